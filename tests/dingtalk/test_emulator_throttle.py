"""The emulator's rate limits and failure injection (reference §11, §13.8)."""

from __future__ import annotations

import httpx

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import api, oapi, token


def test_more_than_the_limit_in_one_second_is_refused_per_api(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(qps_per_api=3)
    access = token(emu)
    with httpx.Client() as http:
        answers = [
            http.post(
                f"{emu.url}/topapi/v2/department/get", params={"access_token": access}, json={"dept_id": 1}
            ).json()
            for _ in range(10)
        ]
        other_api = http.post(
            f"{emu.url}/topapi/v2/department/listsub", params={"access_token": access}, json={}
        ).json()
    refused = [a for a in answers if a["errcode"] != 0]
    assert refused, "ten calls in well under a second must exceed 3 QPS"
    assert all((a["errcode"], a["sub_code"]) == (88, "90018") for a in refused)
    assert other_api["errcode"] == 0  # the window is per API
    assert emu.throttled_count == len(refused)
    assert emu.calls_per_api()["/topapi/v2/department/get"] == 10


def test_new_api_throttle_is_a_403(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(qps_per_api=1)
    access = token(emu)
    codes = {
        api(
            emu, "POST", "/v1.0/contact/users/search", access_token=access, json={"queryWord": "a"}
        ).status_code
        for _ in range(5)
    }
    assert 403 in codes
    throttled = [c for c in emu.calls if c.status == "throttled"]
    assert throttled[0].code == "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"


def test_throttling_can_be_switched_off(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(qps_per_api=None)
    access = token(emu)
    assert all(
        oapi(emu, "/topapi/user/count", {"only_active": False}, access_token=access)["errcode"] == 0
        for _ in range(30)
    )


def test_injected_failures(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    access = token(emu)
    emu.fail_next("/topapi/v2/department/get", errcode=-1, times=2)
    assert oapi(emu, "/topapi/v2/department/get", {"dept_id": 1}, access_token=access)["errcode"] == -1
    assert oapi(emu, "/topapi/v2/department/get", {"dept_id": 1}, access_token=access)["errcode"] == -1
    assert oapi(emu, "/topapi/v2/department/get", {"dept_id": 1}, access_token=access)["errcode"] == 0
    emu.fail_next("/topapi/v2/department/get", http_status=502)
    assert (
        httpx.post(f"{emu.url}/topapi/v2/department/get", params={"access_token": access}).status_code == 502
    )
    emu.fail_next("/topapi/v2/department/get", sub_code="90018")
    answer = oapi(emu, "/topapi/v2/department/get", {"dept_id": 1}, access_token=access)
    assert (answer["errcode"], answer["sub_code"]) == (88, "90018")
    emu.fail_next("/v1.0/contact/users/search", http_status=503)
    assert api(emu, "POST", "/v1.0/contact/users/search", json={"queryWord": "a"}).status_code == 503
    assert [c.status for c in emu.calls if c.path == "/topapi/v2/department/get"] == [
        "error",
        "error",
        "ok",
        "error",
        "error",
    ]


def test_monthly_quota_spares_the_contacts_set(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(monthly_quota=1, qps_per_api=None)
    access = token(emu)
    for _ in range(3):
        assert oapi(emu, "/topapi/v2/department/get", {"dept_id": 1}, access_token=access)["errcode"] == 0
    assert emu.quota.used == 0
