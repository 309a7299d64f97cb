"""The emulator's shape-level product stubs (reference §13.11), partly through the official SDK."""

from __future__ import annotations

import subprocess
import sys

import httpx
from alibabacloud_dingtalk.exclusive_1_0 import models as exclusive_models
from alibabacloud_dingtalk.exclusive_1_0.client import Client as ExclusiveClient
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_util import models as util_models

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import api, oapi, token


def test_attendance_list_caps_days_and_users(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    ann = emu.add_user(name="Ann", mobile="13800000001")
    emu.stubs.attendance_results[(ann, "2026-03-02", "OnDuty")] = "Late"
    week = {
        "workDateFrom": "2026-03-02 00:00:00",
        "workDateTo": "2026-03-06 00:00:00",
        "userIdList": [ann],
        "offset": 0,
        "limit": 50,
    }
    answer = oapi(emu, "/attendance/list", week)
    assert answer["errcode"] == 0 and answer["hasMore"] is False and len(answer["recordresult"]) == 10
    assert answer["recordresult"][0]["timeResult"] == "Late"
    assert {r["checkType"] for r in answer["recordresult"]} == {"OnDuty", "OffDuty"}
    too_long = {**week, "workDateTo": "2026-03-10 00:00:00"}
    assert oapi(emu, "/attendance/list", too_long)["errcode"] != 0
    assert oapi(emu, "/attendance/list", {**week, "userIdList": [ann] * 51})["errcode"] != 0


def test_approval_instances_round_trip(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    ann = emu.add_user(name="Ann", mobile="13800000001")
    body = {
        "originatorUserId": ann,
        "processCode": "PROC-LEAVE",
        "approvers": [{"actionType": "AND", "userIds": [ann]}],
        "formComponentValues": [{"name": "Reason", "value": "Holiday"}],
    }
    created = api(emu, "POST", "/v1.0/workflow/processInstances", json=body)
    assert created.status_code == 200
    instance_id = created.json()["instanceId"]
    got = api(emu, "GET", "/v1.0/workflow/processInstances", params={"processInstanceId": instance_id}).json()
    assert got["success"] is True and got["result"]["status"] == "RUNNING"
    bad = api(emu, "POST", "/v1.0/workflow/processInstances", json={**body, "processCode": "nope"})
    assert bad.status_code == 400 and bad.json()["code"] == "aflowProcessCodeIsError"
    missing = api(emu, "GET", "/v1.0/workflow/processInstances", params={"processInstanceId": "x"})
    assert missing.json()["code"] == "aflowProcessInstNotExist"


def test_drive_spaces_and_conferences(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    ann = emu.add_user(name="Ann", mobile="13800000001")
    unionid = emu.users[ann]["unionid"]
    space = api(emu, "POST", "/v1.0/drive/spaces", json={"name": "Team", "unionId": unionid}).json()
    assert space["spaceName"] == "Team" and {"spaceId", "quota", "usedQuota", "createTime"} <= set(space)
    listed = api(emu, "GET", "/v1.0/drive/spaces", params={"unionId": unionid}).json()
    assert [s["spaceId"] for s in listed["spaces"]] == [space["spaceId"]]
    deleted = api(emu, "DELETE", f"/v1.0/drive/spaces/{space['spaceId']}", params={"unionId": unionid})
    assert deleted.status_code == 200
    conference = api(
        emu, "POST", "/v1.0/conference/videoConferences", json={"userId": unionid, "confTitle": "Stand-up"}
    ).json()
    assert {"conferenceId", "roomCode", "externalLinkUrl"} <= set(conference)
    info = api(emu, "GET", f"/v1.0/conference/videoConferences/{conference['conferenceId']}").json()
    assert info["confInfo"]["title"] == "Stand-up"


def test_file_audit_log_pages_by_keyset_through_the_sdk(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    for n in range(5):
        emu.stubs.add_file_audit(
            "ann", action=n % 3, resource=f"file{n}.pdf", gmtCreate=1_700_000_000_000 + n
        )
    client = ExclusiveClient(openapi_models.Config(protocol="http", endpoint=emu.url.removeprefix("http://")))
    headers = exclusive_models.ListAuditLogHeaders(x_acs_dingtalk_access_token=token(emu))
    seen: list[str] = []
    after: tuple[int, str] | None = None
    while True:
        request = exclusive_models.ListAuditLogRequest(
            start_date=1_600_000_000_000, end_date=1_800_000_000_000, page_size=2
        )
        if after:
            request.next_gmt_create, request.next_biz_id = after
        page = client.list_audit_log_with_options(request, headers, util_models.RuntimeOptions()).body.list
        if not page:
            break
        seen += [item.resource for item in page]
        after = (page[-1].gmt_create, page[-1].biz_id)
    assert seen == [f"file{n}.pdf" for n in range(5)]


def test_paid_apis_count_against_the_monthly_quota(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(monthly_quota=1)
    params = {"startDate": 0, "endDate": 1, "pageSize": 10}
    assert api(emu, "GET", "/v1.0/exclusive/fileAuditLogs", params=params).status_code == 200
    refused = api(emu, "GET", "/v1.0/exclusive/fileAuditLogs", params=params)
    assert (
        refused.status_code == 403 and refused.json()["code"] == "Forbidden.AccessDenied.ApiCountLimitForOrg"
    )


def test_the_emulator_runs_from_the_command_line() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.dingtalk_emulator",
            "--port",
            "0",
            "--appkey",
            "k",
            "--appsecret",
            "s",
            "--seed",
            "12",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" on ", 1)[1].split()[0]
        reply = httpx.get(f"{url}/gettoken", params={"appkey": "k", "appsecret": "s"}, timeout=10).json()
        count = httpx.post(
            f"{url}/topapi/user/count",
            params={"access_token": reply["access_token"]},
            json={"only_active": False},
            timeout=10,
        ).json()
        assert count["result"] == {"count": 12}
    finally:
        process.terminate()
        process.wait(timeout=10)
