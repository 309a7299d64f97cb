"""The emulator's department and user rules and errcodes (reference §2.1–§2.3, §2.5), over real HTTP."""

from __future__ import annotations

import pytest

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import oapi


def _create_dept(emu: Emulator, name: str, parent_id: int = 1, **fields: object) -> dict:
    return oapi(emu, "/topapi/v2/department/create", {"name": name, "parent_id": parent_id, **fields})


def _create_user(emu: Emulator, **fields: object) -> dict:
    body = {"name": "Ann Chan", "mobile": "13800000001", "dept_id_list": "1", **fields}
    return oapi(emu, "/topapi/v2/user/create", body)


def test_department_create_get_and_one_level_listings(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    eng = _create_dept(emu, "Engineering", source_identifier="H-1", order=5)["result"]["dept_id"]
    ops = _create_dept(emu, "Ops", eng)["result"]["dept_id"]
    got = oapi(emu, "/topapi/v2/department/get", {"dept_id": eng})["result"]
    assert got["name"] == "Engineering" and got["parent_id"] == 1 and got["order"] == 5
    assert got["source_identifier"] == "H-1" and got["member_count"] == 0
    assert got["outer_dept"] is False and got["hide_dept"] is False
    assert "dept_manager_userid_list" not in got  # empty optional fields are omitted
    listed = oapi(emu, "/topapi/v2/department/listsub", {"dept_id": 1})["result"]
    assert isinstance(listed, list)
    assert [d["dept_id"] for d in listed] == [eng]
    assert set(listed[0]) == {"dept_id", "name", "parent_id", "create_dept_group", "auto_add_user"}
    assert oapi(emu, "/topapi/v2/department/listsubid", {"dept_id": eng})["result"] == {"dept_id_list": [ops]}
    assert oapi(emu, "/topapi/v2/department/listparentbydept", {"dept_id": ops})["result"] == {
        "parent_id_list": [ops, eng, 1]
    }
    assert [e["EventType"] for e in emu.events] == ["org_dept_create", "org_dept_create"]
    assert emu.events[0]["DeptId"] == [eng] and emu.events[0]["CorpId"] == "dingcorp"


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"name": "A-B", "parent_id": 1}, 60009),
        ({"name": "", "parent_id": 1}, 60001),
        ({"name": "x" * 65, "parent_id": 1}, 60001),
        ({"name": "Orphan", "parent_id": 999}, 60004),
        ({"name": "Sales", "parent_id": 1}, 60021),
    ],
)
def test_department_create_rules(dingtalk_emulator: Emulator, body: dict, errcode: int) -> None:
    dingtalk_emulator.add_department("Sales")
    assert oapi(dingtalk_emulator, "/topapi/v2/department/create", body)["errcode"] == errcode


def test_department_depth_limit(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(max_depth=3)
    level2 = emu.add_department("Two")
    level3 = emu.add_department("Three", level2)
    assert _create_dept(emu, "Four", level3)["errcode"] == 60002


def test_department_update_and_delete_guards(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    parent = emu.add_department("Parent")
    child = emu.add_department("Child", parent)
    emu.add_department("Taken", parent)
    emu.add_user(name="Bob", mobile="13800000002", dept_ids=[child])
    update = "/topapi/v2/department/update"
    assert oapi(emu, update, {"dept_id": 1, "name": "Root"})["errcode"] == 60018
    assert oapi(emu, update, {"dept_id": child, "name": "Taken"})["errcode"] == 60021
    assert oapi(emu, update, {"dept_id": parent, "parent_id": child})["errcode"] == 60010
    assert oapi(emu, update, {"dept_id": 999, "name": "X"})["errcode"] == 60003
    delete = "/topapi/v2/department/delete"
    assert oapi(emu, delete, {"dept_id": 1})["errcode"] == 60007
    assert oapi(emu, delete, {"dept_id": parent})["errcode"] == 60006
    assert oapi(emu, delete, {"dept_id": child})["errcode"] == 60005
    assert oapi(emu, update, {"dept_id": child, "name": "Renamed", "parent_id": 1})["errcode"] == 0
    assert emu.departments[child]["parent_id"] == 1 and emu.departments[child]["name"] == "Renamed"
    assert [e["EventType"] for e in emu.events] == ["org_dept_modify"]


def test_user_create_returns_userid_and_union_id_and_reads_back(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    dept = emu.add_department("Eng")
    created = _create_user(
        emu,
        userid="ann",
        dept_id_list=f"1,{dept}",
        email="ann@acme.com.hk",
        job_number="E001",
        title="Engineer",
        hired_date=1700000000000,
        extension='{"Hobby":"chess"}',
    )
    assert set(created["result"]) == {"userid", "unionId"} and created["result"]["userid"] == "ann"
    user = oapi(emu, "/topapi/v2/user/get", {"userid": "ann"})["result"]
    assert user["dept_id_list"] == [1, dept] and user["unionid"] == created["result"]["unionId"]
    assert user["email"] == "ann@acme.com.hk" and user["job_number"] == "E001" and user["active"] is True
    assert user["extension"] == '{"Hobby":"chess"}' and user["hired_date"] == 1700000000000
    assert "org_email" not in user and None not in user.values()
    assert emu.events[-1] == {
        "EventType": "user_add_org",
        "CorpId": "dingcorp",
        "TimeStamp": emu.events[-1]["TimeStamp"],
        "UserId": ["ann"],
    }


@pytest.mark.parametrize(
    ("fields", "errcode"),
    [
        ({"userid": "taken"}, 60102),
        ({"mobile": "13800000009"}, 60104),
        ({"mobile": "+86-13800000009"}, 60104),
        ({"email": "TAKEN@acme.com.hk"}, 60106),
        ({"telephone": "1234"}, 60108),
        ({"mobile": "not-a-phone"}, 60103),
        ({"email": "nope"}, 60105),
        ({"name": ""}, 60112),
        ({"dept_id_list": "999"}, 60003),
        ({"dept_id_list": [1]}, 40035),
        ({"manager_userid": "ghost"}, 60128),
    ],
)
def test_user_create_rules(dingtalk_emulator: Emulator, fields: dict, errcode: int) -> None:
    dingtalk_emulator.add_user(
        name="Taken", mobile="13800000009", userid="taken", email="taken@acme.com.hk", telephone="1234"
    )
    assert _create_user(dingtalk_emulator, **fields)["errcode"] == errcode


def test_user_update_rules(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    dept = emu.add_department("Eng")
    emu.add_user(name="Ann", mobile="13800000001", userid="ann")
    update = "/topapi/v2/user/update"
    assert oapi(emu, update, {"userid": "ann", "mobile": "13800000002"})["errcode"] == 40022
    assert oapi(emu, update, {"userid": "ghost", "name": "X"})["errcode"] == 60121
    assert oapi(emu, update, {"userid": "ann", "title": "Lead", "dept_id_list": str(dept)})["errcode"] == 0
    assert emu.users["ann"]["dept_id_list"] == [dept] and emu.users["ann"]["title"] == "Lead"
    event = emu.events[-1]
    assert event["EventType"] == "user_modify_org" and event["UserId"] == ["ann"]


def test_user_delete_writes_a_leave_record_and_emits_leave(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    emu.add_user(name="Ann", mobile="13800000001", userid="ann")
    assert oapi(emu, "/topapi/v2/user/delete", {"userid": "ann"})["errcode"] == 0
    assert oapi(emu, "/topapi/v2/user/get", {"userid": "ann"})["errcode"] == 60121
    assert oapi(emu, "/topapi/v2/user/delete", {"userid": "ann"})["errcode"] == 60121
    assert emu.leave_records[0]["userId"] == "ann" and emu.leave_records[0]["leaveReason"] == "oapi"
    assert emu.events[-1]["EventType"] == "user_leave_org" and emu.events[-1]["UserId"] == ["ann"]
    # the mobile is free again: a rehire can be added
    assert _create_user(emu, mobile="13800000001")["errcode"] == 0


def test_user_list_pages_with_cursor(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    dept = emu.add_department("Eng")
    created = [emu.add_user(name=f"U{n}", mobile=f"1390000{n:04d}", dept_ids=[dept]) for n in range(5)]
    seen, cursor, pages = [], 0, 0
    while True:
        result = oapi(emu, "/topapi/v2/user/list", {"dept_id": dept, "cursor": cursor, "size": 2})["result"]
        seen += [u["userid"] for u in result["list"]]
        pages += 1
        if not result["has_more"]:
            assert "next_cursor" not in result
            break
        cursor = result["next_cursor"]
    assert seen == created and pages == 3
    item = oapi(emu, "/topapi/v2/user/list", {"dept_id": dept, "cursor": 0, "size": 1})["result"]["list"][0]
    assert item["leader"] is False and "dept_order" in item and "role_list" not in item
    simple = oapi(emu, "/topapi/user/listsimple", {"dept_id": dept, "cursor": 4, "size": 100})["result"]
    assert simple == {"has_more": False, "list": [{"userid": created[4], "name": "U4"}]}
    assert oapi(emu, "/topapi/v2/user/list", {"dept_id": dept, "cursor": 0, "size": 101})["errcode"] == 40035


def test_lookups_count_and_admins(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    boss = emu.add_user(name="Boss", mobile="13800000001", admin=True)
    sub = emu.add_user(name="Sub", mobile="13800000002", admin=True, active=False)
    unionid = emu.users[sub]["unionid"]
    assert oapi(emu, "/topapi/v2/user/getbymobile", {"mobile": "13800000002"})["result"] == {"userid": sub}
    assert oapi(emu, "/topapi/v2/user/getbymobile", {"mobile": "13800000003"})["errcode"] == 60121
    assert oapi(emu, "/topapi/user/getbyunionid", {"unionid": unionid})["result"] == {
        "contact_type": 0,
        "userid": sub,
    }
    assert oapi(emu, "/topapi/user/count", {"only_active": True})["result"] == {"count": 1}
    assert oapi(emu, "/topapi/user/count", {"only_active": False})["result"] == {"count": 2}
    assert oapi(emu, "/topapi/user/listadmin")["result"] == [
        {"userid": boss, "sys_level": 1},
        {"userid": sub, "sys_level": 2},
    ]
    assert oapi(emu, "/topapi/user/get_admin_scope", {"userid": sub})["result"] == {"dept_ids": [1]}
    chains = oapi(emu, "/topapi/v2/department/listparentbyuser", {"userid": sub})["result"]
    assert chains == {"parent_list": [{"parent_dept_id_list": [1]}]}


def test_scopes_and_visibility_range(make_dingtalk_emulator) -> None:  # type: ignore[no-untyped-def]
    emu = make_dingtalk_emulator(scopes={"qyapi_get_member", "qyapi_get_department_list"})
    hidden = emu.add_department("Hidden")
    shown = emu.add_department("Shown")
    outsider = emu.add_user(name="Out", mobile="13800000001", dept_ids=[hidden])
    insider = emu.add_user(name="In", mobile="13800000002", dept_ids=[shown])
    denied = _create_dept(emu, "New")
    assert (denied["errcode"], denied["sub_code"]) == (88, "60011")
    user = oapi(emu, "/topapi/v2/user/get", {"userid": insider})["result"]
    assert "mobile" not in user  # personal-information scope not granted: silently omitted
    emu.visible_dept_ids = {shown}
    assert oapi(emu, "/topapi/v2/user/get", {"userid": outsider})["errcode"] == 50002
    assert oapi(emu, "/topapi/v2/department/get", {"dept_id": hidden})["errcode"] == 50004
    assert oapi(emu, "/topapi/v2/department/get", {"dept_id": shown})["errcode"] == 0
