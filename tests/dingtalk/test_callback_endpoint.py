"""DingTalk's encrypted event pushes through the real endpoint: a genuine push is handled once and answered
with the encrypted "success"; anything not proved genuine is refused with 403 and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from harbour.integrations.dingtalk.actions import connection as actions
from harbour.integrations.dingtalk.models import CallbackEvent, Connection
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(company: Company, dingtalk_emulator: Emulator) -> Connection:
    """Connected, with callback credentials the emulator shares (as entered in DingTalk's console)."""
    assert company.admin is not None
    connection = actions.connect(
        company.admin,
        app_key="dingappkey",
        app_secret="dingsecret",
        oapi_base_url=dingtalk_emulator.url,
        api_base_url=dingtalk_emulator.url,
    )
    token, aes_key = actions.set_callback(company.admin, connection)
    dingtalk_emulator.set_callback(None, token, aes_key)
    return Connection.objects.for_tenant(company.tenant).get()


def _post(connection_id: object, params: dict[str, str], body: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return Client().post(
        f"/hooks/dingtalk/{connection_id}/?{query}", data=data, content_type="application/json"
    )


def _leave(userid: str = "nobody-here") -> dict[str, Any]:
    return {
        "EventType": "user_leave_org",
        "CorpId": "dingcorp",
        "UserId": [userid],
        "TimeStamp": "1767225600000",
    }


def test_a_genuine_push_is_handled_once_and_acknowledged(
    subscribed: Connection, dingtalk_emulator: Emulator
) -> None:
    params, body = dingtalk_emulator.push_payload(_leave())
    first = _post(subscribed.pk, params, body)
    assert first.status_code == 200, first.content
    assert dingtalk_emulator.decrypt_reply(first.json()) == "success"
    events = CallbackEvent.objects.for_tenant(subscribed.tenant_id)
    assert list(events.values_list("event_type", flat=True)) == ["user_leave_org"]

    replay = _post(subscribed.pk, params, body)
    assert replay.status_code == 200
    assert dingtalk_emulator.decrypt_reply(replay.json()) == "success"
    assert events.count() == 1


def test_the_url_check_is_answered_without_recording_an_event(
    subscribed: Connection, dingtalk_emulator: Emulator
) -> None:
    params, body = dingtalk_emulator.push_payload({"EventType": "check_url"})
    response = _post(subscribed.pk, params, body)
    assert dingtalk_emulator.decrypt_reply(response.json()) == "success"
    assert not CallbackEvent.objects.for_tenant(subscribed.tenant_id).exists()


def _tampered(params: dict[str, str], body: dict[str, str]) -> tuple[dict[str, str], Any]:
    return {**params, "signature": "0" * 40}, body


def _other_body(params: dict[str, str], body: dict[str, str]) -> tuple[dict[str, str], Any]:
    return params, {"encrypt": body["encrypt"][:-8] + "AAAAAAA="}


def _not_json(params: dict[str, str], body: dict[str, str]) -> tuple[dict[str, str], Any]:
    return params, "encrypt=nope"


def _no_signature(params: dict[str, str], body: dict[str, str]) -> tuple[dict[str, str], Any]:
    return {k: v for k, v in params.items() if k != "signature"}, body


@pytest.mark.parametrize("spoil", [_tampered, _other_body, _not_json, _no_signature])
def test_a_push_not_proved_genuine_is_refused(
    subscribed: Connection, dingtalk_emulator: Emulator, spoil: Any
) -> None:
    params, body = spoil(*dingtalk_emulator.push_payload(_leave()))
    response = _post(subscribed.pk, params, body)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not CallbackEvent.objects.for_tenant(subscribed.tenant_id).exists()


def test_old_credentials_stop_working_when_new_ones_are_generated(
    company: Company, subscribed: Connection, dingtalk_emulator: Emulator
) -> None:
    assert company.admin is not None
    params, body = dingtalk_emulator.push_payload(_leave())
    actions.set_callback(company.admin, subscribed)
    assert _post(subscribed.pk, params, body).status_code == 403


def test_an_unknown_address_or_a_connection_without_callback_is_refused(
    company: Company, dingtalk_emulator: Emulator, subscribed: Connection
) -> None:
    params, body = dingtalk_emulator.push_payload(_leave())
    assert _post("6f1c2d3e-0000-4000-8000-000000000000", params, body).status_code == 403
    Connection.objects.for_tenant(company.tenant).update(callback_token="", callback_aes_key="")
    assert _post(subscribed.pk, params, body).status_code == 403


def test_an_oversized_body_is_refused_before_it_is_read(
    subscribed: Connection, dingtalk_emulator: Emulator
) -> None:
    params, _body = dingtalk_emulator.push_payload(_leave())
    response = _post(subscribed.pk, params, {"encrypt": "A" * (70 * 1024)})
    assert response.status_code == 413
    assert not CallbackEvent.objects.for_tenant(subscribed.tenant_id).exists()


def test_only_post_is_accepted(subscribed: Connection) -> None:
    assert Client().get(f"/hooks/dingtalk/{subscribed.pk}/").status_code == 405
