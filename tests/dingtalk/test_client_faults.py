"""Throttling, outages and injected failures against the emulator: the client stays under the per-API limit,
retries what is worth retrying, and reports everything else as its error class straight away."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from harbour.integrations.dingtalk.client import (
    DingTalkClient,
    DingTalkError,
    NoPermission,
    QuotaExceeded,
    ServerError,
    Throttled,
    errors,
)
from tests.dingtalk_emulator import Emulator

DEPT_GET = "/topapi/v2/department/get"
SEARCH = "/v1.0/contact/users/search"
FAST = {"backoff_base": 0.01}


def client_for(emu: Emulator, **options: Any) -> DingTalkClient:
    return DingTalkClient(emu.appkey, emu.appsecret, oapi_base_url=emu.url, api_base_url=emu.url, **options)


def calls_to(emu: Emulator, path: str) -> int:
    return sum(1 for call in emu.calls if call.path == path)


def test_a_client_at_the_limit_is_never_throttled(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    emu = make_dingtalk_emulator(qps_per_api=20)
    client = client_for(emu, qps_per_api=20)
    for _ in range(60):
        client.get_department(1)
    assert calls_to(emu, DEPT_GET) == 60
    assert emu.throttled_count == 0
    assert client.stats.throttled == 0
    assert client.stats.per_api[DEPT_GET] == 60


def test_threads_sharing_a_client_stay_under_the_limit(
    make_dingtalk_emulator: Callable[..., Emulator],
) -> None:
    emu = make_dingtalk_emulator(qps_per_api=20)
    client = client_for(emu, qps_per_api=20)
    client.access_token()
    with ThreadPoolExecutor(max_workers=6) as pool:
        names = list(pool.map(lambda _n: client.get_department(1)["name"], range(60)))
    assert len(names) == 60
    assert emu.throttled_count == 0
    assert client.stats.throttled == 0


def test_a_client_set_too_fast_is_throttled_but_finishes(
    make_dingtalk_emulator: Callable[..., Emulator],
) -> None:
    emu = make_dingtalk_emulator(qps_per_api=20)
    client = client_for(emu, qps_per_api=1000, max_retries=8, backoff_base=0.2)
    for _ in range(60):
        client.get_department(1)
    assert sum(1 for call in emu.calls if call.path == DEPT_GET and call.status == "ok") == 60
    assert client.stats.throttled > 0
    assert client.stats.throttled == emu.throttled_count
    assert client.stats.retries >= client.stats.throttled


@pytest.mark.parametrize(
    "failure",
    [
        {"errcode": -1},
        {"sub_code": "90018"},
        {"sub_code": "90002"},
        {"http_status": 502},
        {"http_status": 503},
    ],
    ids=["busy", "qps", "global qps", "502", "503"],
)
def test_busy_throttled_and_5xx_legacy_answers_are_retried(
    dingtalk_emulator: Emulator, failure: dict
) -> None:
    client = client_for(dingtalk_emulator, **FAST)
    dingtalk_emulator.fail_next(DEPT_GET, times=2, **failure)
    assert client.get_department(1)["dept_id"] == 1
    assert calls_to(dingtalk_emulator, DEPT_GET) == 3
    assert client.stats.retries == 2


@pytest.mark.parametrize(
    "failure",
    [
        {"http_status": 503},
        {"http_status": 500, "code": "InternalError"},
        {"code": "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "http_status": 403},
        {"code": "Forbidden.AccessDenied.QpsLimitForApi", "http_status": 403},
    ],
    ids=["503", "500", "app qps", "api qps"],
)
def test_5xx_and_throttled_new_api_answers_are_retried(dingtalk_emulator: Emulator, failure: dict) -> None:
    dingtalk_emulator.add_user(name="Dee Ho", mobile="+852-61230000", userid="dee")
    client = client_for(dingtalk_emulator, **FAST)
    dingtalk_emulator.fail_next(SEARCH, **failure)
    assert client.search_user_ids("dee") == ["dee"]
    assert client.stats.retries == 1


def test_retries_run_out_into_the_error(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator, max_retries=3, **FAST)
    dingtalk_emulator.fail_next(DEPT_GET, errcode=-1, times=4)
    with pytest.raises(ServerError) as caught:
        client.get_department(1)
    assert caught.value.code == "-1"
    assert calls_to(dingtalk_emulator, DEPT_GET) == 4


def test_throttling_that_never_ends_is_throttled(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator, max_retries=2, **FAST)
    dingtalk_emulator.fail_next(DEPT_GET, sub_code="90018", times=3)
    with pytest.raises(Throttled) as caught:
        client.get_department(1)
    assert caught.value.code == "90018"
    assert client.stats.throttled == 3


@pytest.mark.parametrize(
    ("failure", "expected", "code"),
    [
        ({"sub_code": "90020"}, QuotaExceeded, "90020"),
        ({"sub_code": "60011"}, NoPermission, "60011"),
        ({"errcode": 60020}, NoPermission, "60020"),
        ({"errcode": 50004}, errors.OutOfScope, "50004"),
        ({"errcode": 60003}, errors.NotFoundInDingTalk, "60003"),
        ({"errcode": 60016}, errors.AlreadyExists, "60016"),
        ({"errcode": 60018}, errors.Refused, "60018"),
        ({"errcode": 40096}, errors.CredentialsInvalid, "40096"),
        ({"errcode": 22}, errors.UnknownMethod, "22"),
        ({"errcode": 777777}, DingTalkError, "777777"),
    ],
)
def test_injected_legacy_errors_are_raised_at_once_as_their_class(
    dingtalk_emulator: Emulator, failure: dict, expected: type[DingTalkError], code: str
) -> None:
    client = client_for(dingtalk_emulator, **FAST)
    dingtalk_emulator.fail_next(DEPT_GET, **failure)
    with pytest.raises(expected) as caught:
        client.get_department(1)
    assert type(caught.value) is expected
    assert caught.value.code == code
    assert calls_to(dingtalk_emulator, DEPT_GET) == 1
    assert client.stats.retries == 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("Forbidden.AccessDenied.ApiCountLimitForOrg", QuotaExceeded),
        ("Forbidden.AccessDenied.AccessTokenPermissionDenied", NoPermission),
        ("Forbidden.AccessDenied.IpNotInWhiteList", NoPermission),
        ("invalidParameter", DingTalkError),
    ],
)
def test_injected_new_api_errors_are_raised_at_once_as_their_class(
    dingtalk_emulator: Emulator, code: str, expected: type[DingTalkError]
) -> None:
    client = client_for(dingtalk_emulator, **FAST)
    dingtalk_emulator.fail_next(SEARCH, code=code)
    with pytest.raises(expected) as caught:
        client.search_user_ids("anyone")
    assert type(caught.value) is expected
    assert caught.value.code == code
    assert caught.value.http_status in {400, 403}
    assert caught.value.api == SEARCH


def test_an_unreachable_host_is_a_server_error_after_retries(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator, max_retries=1, **FAST)
    client.access_token()
    dingtalk_emulator.stop()
    with pytest.raises(ServerError) as caught:
        client.get_department(1)
    assert caught.value.code == "connection_error"
    assert client.stats.retries == 1
