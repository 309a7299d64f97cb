"""The emulator's token endpoints, per-family authentication, envelopes, and the official SDK reaching it."""

from __future__ import annotations

import httpx
import pytest
from alibabacloud_dingtalk.contact_1_0 import models as contact_models
from alibabacloud_dingtalk.contact_1_0.client import Client as ContactClient
from alibabacloud_dingtalk.oauth2_1_0 import models as oauth_models
from alibabacloud_dingtalk.oauth2_1_0.client import Client as OauthClient
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_util import models as util_models
from Tea.exceptions import TeaException

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import api, oapi, token


def _sdk_config(emu: Emulator) -> openapi_models.Config:
    return openapi_models.Config(protocol="http", endpoint=emu.url.removeprefix("http://"))


def test_legacy_token_has_the_documented_shape_and_is_reissued_while_valid(
    dingtalk_emulator: Emulator,
) -> None:
    params = {"appkey": "dingappkey", "appsecret": "dingsecret"}
    first = httpx.get(f"{dingtalk_emulator.url}/gettoken", params=params).json()
    second = httpx.get(f"{dingtalk_emulator.url}/gettoken", params=params).json()
    assert first["errcode"] == 0 and first["errmsg"] == "ok" and first["expires_in"] == 7200
    assert second["access_token"] == first["access_token"]


def test_new_token_is_the_same_token_and_works_on_both_hosts(dingtalk_emulator: Emulator) -> None:
    reply = httpx.post(
        f"{dingtalk_emulator.url}/v1.0/oauth2/accessToken",
        json={"appKey": "dingappkey", "appSecret": "dingsecret"},
    )
    assert reply.status_code == 200
    assert reply.json() == {"accessToken": token(dingtalk_emulator), "expireIn": 7200}
    new_token = reply.json()["accessToken"]
    assert (
        oapi(dingtalk_emulator, "/topapi/v2/department/get", {"dept_id": 1}, access_token=new_token)[
            "errcode"
        ]
        == 0
    )
    search = api(
        dingtalk_emulator,
        "POST",
        "/v1.0/contact/users/search",
        access_token=new_token,
        json={"queryWord": "x", "offset": 0, "size": 10},
    )
    assert search.status_code == 200


def test_bad_credentials_are_refused_per_family(dingtalk_emulator: Emulator) -> None:
    legacy = httpx.get(
        f"{dingtalk_emulator.url}/gettoken", params={"appkey": "dingappkey", "appsecret": "no"}
    )
    assert legacy.status_code == 200 and legacy.json()["errcode"] == 40096
    new = httpx.post(
        f"{dingtalk_emulator.url}/v1.0/oauth2/accessToken", json={"appKey": "dingappkey", "appSecret": "no"}
    )
    assert new.status_code == 400
    assert new.json()["code"] == "invalidClientIdOrSecret" and "requestid" in new.json()


def test_legacy_host_reads_only_the_query_token(dingtalk_emulator: Emulator) -> None:
    url = f"{dingtalk_emulator.url}/topapi/v2/department/get"
    header_only = httpx.post(
        url, json={"dept_id": 1}, headers={"x-acs-dingtalk-access-token": token(dingtalk_emulator)}
    ).json()
    assert (header_only["errcode"], header_only["sub_code"]) == (88, "40000")
    bad = httpx.post(url, params={"access_token": "forged"}, json={"dept_id": 1}).json()
    assert (bad["errcode"], bad["sub_code"]) == (88, "40014")
    assert "request_id" in bad


def test_new_host_reads_only_the_header_token(dingtalk_emulator: Emulator) -> None:
    url = f"{dingtalk_emulator.url}/v1.0/contact/users/search"
    query_only = httpx.post(url, params={"access_token": token(dingtalk_emulator)}, json={"queryWord": "a"})
    assert query_only.status_code == 400
    assert query_only.json()["code"] == "AuthenticationFailed.MissingParameter"
    forged = httpx.post(url, headers={"x-acs-dingtalk-access-token": "forged"}, json={"queryWord": "a"})
    assert forged.status_code == 400 and forged.json()["code"] == "InvalidAuthentication"


def test_expired_tokens_are_refused_and_a_new_one_is_issued(dingtalk_emulator: Emulator) -> None:
    old = token(dingtalk_emulator)
    dingtalk_emulator.expire_tokens()
    refused = oapi(dingtalk_emulator, "/topapi/v2/department/get", {"dept_id": 1}, access_token=old)
    assert (refused["errcode"], refused["sub_code"]) == (88, "40014")
    assert (
        api(
            dingtalk_emulator, "POST", "/v1.0/contact/users/search", access_token=old, json={"queryWord": "a"}
        ).json()["code"]
        == "InvalidAuthentication"
    )
    fresh = token(dingtalk_emulator)
    assert fresh != old
    assert (
        oapi(dingtalk_emulator, "/topapi/v2/department/get", {"dept_id": 1}, access_token=fresh)["errcode"]
        == 0
    )


def test_unknown_paths(dingtalk_emulator: Emulator) -> None:
    assert oapi(dingtalk_emulator, "/topapi/no/such/method")["errcode"] == 22
    assert api(dingtalk_emulator, "GET", "/v1.0/no/such").status_code == 404


def test_sdk_gets_a_token_from_the_emulator(dingtalk_emulator: Emulator) -> None:
    client = OauthClient(_sdk_config(dingtalk_emulator))
    reply = client.get_access_token(
        oauth_models.GetAccessTokenRequest(app_key="dingappkey", app_secret="dingsecret")
    )
    assert reply.body.access_token == token(dingtalk_emulator)
    assert reply.body.expire_in == 7200
    with pytest.raises(TeaException) as refused:
        client.get_access_token(oauth_models.GetAccessTokenRequest(app_key="dingappkey", app_secret="no"))
    assert refused.value.code == "invalidClientIdOrSecret"


def test_sdk_reads_leave_records_and_searches_users(dingtalk_emulator: Emulator) -> None:
    ann = dingtalk_emulator.add_user(name="Ann Chan", mobile="13800000001")
    dingtalk_emulator.add_user(name="Bob Lee", mobile="13800000002")
    oapi(dingtalk_emulator, "/topapi/v2/user/delete", {"userid": ann})
    client = ContactClient(_sdk_config(dingtalk_emulator))
    headers = contact_models.ListEmpLeaveRecordsHeaders(x_acs_dingtalk_access_token=token(dingtalk_emulator))
    records = client.list_emp_leave_records_with_options(
        contact_models.ListEmpLeaveRecordsRequest(start_time="2000-01-01T00:00:00Z", max_results=50),
        headers,
        util_models.RuntimeOptions(),
    )
    assert [(r.user_id, r.name, r.leave_reason) for r in records.body.records] == [(ann, "Ann Chan", "oapi")]
    search_headers = contact_models.SearchUserHeaders(x_acs_dingtalk_access_token=token(dingtalk_emulator))
    found = client.search_user_with_options(
        contact_models.SearchUserRequest(query_word="bob", offset=0, size=10),
        search_headers,
        util_models.RuntimeOptions(),
    )
    assert found.body.total_count == 1 and found.body.has_more is False
    assert found.body.list == [next(u for u in dingtalk_emulator.users if u != ann)]


def test_sdk_errors_carry_the_emulators_code(dingtalk_emulator: Emulator) -> None:
    client = ContactClient(_sdk_config(dingtalk_emulator))
    headers = contact_models.ListEmpLeaveRecordsHeaders(x_acs_dingtalk_access_token="forged")
    with pytest.raises(TeaException) as refused:
        client.list_emp_leave_records_with_options(
            contact_models.ListEmpLeaveRecordsRequest(start_time="2000-01-01T00:00:00Z"),
            headers,
            util_models.RuntimeOptions(),
        )
    assert refused.value.code == "InvalidAuthentication"
