"""The DingTalk console pages as an administrator uses them: set up, test (HTMX), plan, read the plan,
generate callback credentials once, robot, disconnect; form errors stay next to the field."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.integrations.dingtalk.models import Connection, SyncRun
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(company: Company, as_member: Any) -> Any:
    assert company.admin is not None
    return as_member(company.admin)


def _setup(admin: Any, emulator: Emulator, **overrides: Any) -> Any:
    data = {
        "app_key": "dingappkey",
        "app_secret": "dingsecret",
        "qps_limit": 20,
        "leaver_mode": "at_once",
        "sync_interval_minutes": 60,
        "oapi_base_url": emulator.url,
        "api_base_url": emulator.url,
    }
    return admin.post("/dingtalk/", {**data, **overrides})


def test_setup_test_plan_and_read_the_plan(company: Company, admin: Any, dingtalk_emulator: Emulator) -> None:
    page = admin.get("/dingtalk/").content.decode()
    assert "AppSecret" in page and "Connect" in page
    dingtalk_emulator.add_department("Sales")
    assert _setup(admin, dingtalk_emulator).status_code == 302
    page = admin.get("/dingtalk/").content.decode()
    assert "dingsecret" not in page and "/hooks/dingtalk/" in page and "Plan adoption" in page

    swap = admin.post("/dingtalk/test/", HTTP_HX_REQUEST="true")
    assert swap.status_code == 200 and "The connection works" in swap.content.decode()
    assert 'id="last-test" class="card" hx-swap-oob="true"' in swap.content.decode()  # the card follows

    planned = admin.post("/dingtalk/plan/", {"kind": "adopt"})
    run = SyncRun.objects.for_tenant(company.tenant).get()
    assert planned["Location"] == f"/dingtalk/runs/{run.pk}/"
    plan = admin.get(planned["Location"]).content.decode()
    assert "Sales" in plan and "Apply these changes" in plan
    assert str(run.pk) in admin.get("/dingtalk/runs/").content.decode()


def test_a_bad_setting_is_shown_next_to_its_field_and_nothing_is_saved(
    company: Company, admin: Any, dingtalk_emulator: Emulator
) -> None:
    response = _setup(admin, dingtalk_emulator, app_key="bad key!")
    assert response.status_code == 400 and "field-error" in response.content.decode()
    assert not Connection.objects.for_tenant(company.tenant).exists()


def test_callback_credentials_are_shown_once(admin: Any, dingtalk_emulator: Emulator) -> None:
    _setup(admin, dingtalk_emulator)
    admin.post("/dingtalk/callback/")
    first = admin.get("/dingtalk/").content.decode()
    assert "Enter these in DingTalk now" in first
    assert "Enter these in DingTalk now" not in admin.get("/dingtalk/").content.decode()


def test_robot_test_message_and_disconnect(company: Company, admin: Any, dingtalk_emulator: Emulator) -> None:
    _setup(admin, dingtalk_emulator)
    saved = admin.post(
        "/dingtalk/robot/", {"token": "robottoken", "secret": "SECrobotsecret", "topics": ["incident"]}
    )
    assert saved.status_code == 302
    assert admin.post("/dingtalk/robot/test/")["Location"] == "/dingtalk/robot/messages/"
    assert "Harbour test message" in admin.get("/dingtalk/robot/messages/").content.decode()
    refused = admin.post("/dingtalk/robot/", {"token": "robottoken", "secret": "plain"})
    assert refused.status_code == 400 and "SEC" in refused.content.decode()

    confirm = admin.get("/dingtalk/disconnect/").content.decode()
    assert "DingTalk itself is not changed" in confirm
    admin.post("/dingtalk/disconnect/")
    assert not Connection.objects.for_tenant(company.tenant).exists()
