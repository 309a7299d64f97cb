"""The client's token against the emulator: fetched once per app, shared, renewed early, replaced when
DingTalk stops accepting it, and bad credentials reported as such."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.integrations.dingtalk.client import CredentialsInvalid, DingTalkClient, TokenInvalid
from harbour.integrations.dingtalk.client.tokens import TokenCache
from tests.dingtalk_emulator import Emulator

TOKEN_PATH = "/v1.0/oauth2/accessToken"


def client_for(emu: Emulator, **options: Any) -> DingTalkClient:
    return DingTalkClient(emu.appkey, emu.appsecret, oapi_base_url=emu.url, api_base_url=emu.url, **options)


def token_requests(emu: Emulator) -> int:
    return sum(1 for call in emu.calls if call.path == TOKEN_PATH)


class FakeClock:
    def __init__(self) -> None:
        self.now = 50_000.0

    def __call__(self) -> float:
        return self.now


def test_one_token_serves_every_client_of_the_app(dingtalk_emulator: Emulator) -> None:
    first, second = client_for(dingtalk_emulator), client_for(dingtalk_emulator)
    first.get_department(1)
    second.list_sub_departments(1)
    first.search_user_ids("nobody")  # the same token on the new host
    assert token_requests(dingtalk_emulator) == 1
    assert first.access_token() == second.access_token()


def test_token_is_renewed_five_minutes_before_it_expires(dingtalk_emulator: Emulator) -> None:
    clock = FakeClock()
    client = client_for(dingtalk_emulator, token_cache=TokenCache(clock=clock))
    client.get_department(1)
    clock.now += 7200 - 400
    client.get_department(1)
    assert token_requests(dingtalk_emulator) == 1
    clock.now += 200  # 200 s left
    client.get_department(1)
    assert token_requests(dingtalk_emulator) == 2
    assert dingtalk_emulator.throttled_count == 0


def test_a_token_expiring_mid_run_is_replaced_once(dingtalk_emulator: Emulator) -> None:
    dept_id = dingtalk_emulator.add_department("Sales")
    client = client_for(dingtalk_emulator)
    client.get_department(1)
    dingtalk_emulator.expire_tokens()
    assert client.get_department(dept_id)["name"] == "Sales"
    assert token_requests(dingtalk_emulator) == 2
    assert client.stats.retries == 1
    refused = [call for call in dingtalk_emulator.calls if call.status == "error"]
    assert [call.code for call in refused] == ["40014"]


def test_a_token_expiring_mid_run_on_the_new_api_is_replaced_once(dingtalk_emulator: Emulator) -> None:
    dingtalk_emulator.add_user(name="Alice Chan", mobile="+852-51234567", userid="alice")
    client = client_for(dingtalk_emulator)
    assert client.search_user_ids("alice") == ["alice"]
    dingtalk_emulator.expire_tokens()
    assert client.search_user_ids("alice") == ["alice"]
    assert token_requests(dingtalk_emulator) == 2
    assert [call.code for call in dingtalk_emulator.calls if call.status == "error"] == [
        "InvalidAuthentication"
    ]


def test_a_token_refused_twice_is_token_invalid(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator)
    dingtalk_emulator.fail_next("/topapi/v2/department/get", sub_code="42001", times=2)
    with pytest.raises(TokenInvalid) as caught:
        client.get_department(1)
    assert caught.value.code == "42001"
    assert caught.value.api == "/topapi/v2/department/get"
    assert token_requests(dingtalk_emulator) == 2


def test_wrong_secret_is_credentials_invalid_even_after_a_good_token(dingtalk_emulator: Emulator) -> None:
    client_for(dingtalk_emulator).get_department(1)
    wrong = DingTalkClient(
        dingtalk_emulator.appkey,
        "not-the-secret",
        oapi_base_url=dingtalk_emulator.url,
        api_base_url=dingtalk_emulator.url,
    )
    with pytest.raises(CredentialsInvalid) as caught:
        wrong.get_department(1)
    assert caught.value.code == "invalidClientIdOrSecret"
    assert caught.value.http_status == 400
    assert str(caught.value.explanation)
