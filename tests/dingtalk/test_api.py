"""The DingTalk connector through the REST API, as an integrator uses it: connect, test, plan the adoption
of the emulated directory, read its items, apply; refusals are problem+json naming the field; secrets never
come back."""

from __future__ import annotations

import pytest

from harbour.integrations.dingtalk.actions.sync import apply_run
from harbour.integrations.dingtalk.models import Connection, SyncRun
from tests.api.helpers import ApiClient, assert_problem, body
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


def _connect(api: ApiClient, emulator: Emulator) -> dict[str, object]:
    response = api.post(
        "/dingtalk/connection",
        {
            "app_key": "dingappkey",
            "app_secret": "dingsecret",
            "oapi_base_url": emulator.url,
            "api_base_url": emulator.url,
        },
    )
    assert response.status_code == 201, response.content
    return body(response)


def test_connect_test_plan_and_apply_an_adoption(
    company: Company, admin_api: ApiClient, dingtalk_emulator: Emulator
) -> None:
    sales = dingtalk_emulator.add_department("Sales")
    dingtalk_emulator.add_user(
        name="Chan Tai Man", mobile="13800000009", dept_ids=[sales], email="chan@acme.com.hk"
    )
    connection = _connect(admin_api, dingtalk_emulator)
    assert "dingsecret" not in str(connection) and connection["callback_set"] is False

    tested = body(admin_api.post("/dingtalk/connection/test"))
    assert tested["ok"] is True and tested["steps"][0] == {
        "step": "Access token",
        "ok": True,
        "seen": "issued",
    }

    planned = admin_api.post("/dingtalk/runs", {"kind": "adopt"})
    assert planned.status_code == 201, planned.content
    run = body(planned)
    assert run["kind"] == "adopt" and run["state"] == "planned"
    items = body(admin_api.get(f"/dingtalk/runs/{run['id']}/items", limit=1))
    assert len(items["items"]) == 1 and items["next_cursor"]
    rest = body(admin_api.get(f"/dingtalk/runs/{run['id']}/items", cursor=items["next_cursor"]))
    assert {i["label"] for i in items["items"] + rest["items"]} >= {"Sales"}

    queued = admin_api.post(f"/dingtalk/runs/{run['id']}/apply")
    assert queued.status_code == 202
    assert company.admin is not None
    apply_run(
        company.admin, SyncRun.objects.for_tenant(company.tenant).get(pk=run["id"])
    )  # what the worker does
    history = body(admin_api.get("/dingtalk/runs"))
    assert history[0]["id"] == run["id"] and history[0]["state"] == "applied"


def test_bad_input_is_a_problem_naming_the_field_and_changes_nothing(
    company: Company, admin_api: ApiClient
) -> None:
    refused = admin_api.post(
        "/dingtalk/connection", {"app_key": "dingappkey", "app_secret": "s", "qps_limit": 0}
    )
    assert_problem(refused, 422, "qps_limit")
    assert not Connection.objects.for_tenant(company.tenant).exists()
    assert_problem(admin_api.get("/dingtalk/connection"), 404)
    admin_api.post("/dingtalk/connection", {"app_key": "dingappkey", "app_secret": "s"})
    assert_problem(admin_api.patch("/dingtalk/connection", {"leaver_mode": "never"}), 422, "leaver_mode")
    assert_problem(
        admin_api.request("put", "/dingtalk/robot", {"token": "robottoken", "secret": "nope"}), 422, "secret"
    )
    assert_problem(admin_api.post("/dingtalk/runs", {"kind": "merge"}), 422, "kind")
    assert body(admin_api.get("/dingtalk/connection"))["leaver_mode"] == "at_once"


def test_callback_credentials_are_returned_once(admin_api: ApiClient, dingtalk_emulator: Emulator) -> None:
    _connect(admin_api, dingtalk_emulator)
    minted = body(admin_api.post("/dingtalk/connection/callback"))
    assert len(minted["aes_key"]) == 43 and minted["url"].endswith("/")
    shown = admin_api.get("/dingtalk/connection").content.decode()
    assert minted["aes_key"] not in shown and minted["token"] not in shown
    assert body(admin_api.get("/dingtalk/connection"))["callback_set"] is True
