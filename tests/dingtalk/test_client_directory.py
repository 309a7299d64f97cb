"""The client's directory calls against the emulator: the tree walked level by level, members read page by
page, writes with DingTalk's rules, and every rule violation arriving as its error class."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harbour.integrations.dingtalk.client import (
    AlreadyExists,
    DingTalkClient,
    NoPermission,
    NotFoundInDingTalk,
    OutOfScope,
    Refused,
    UnknownMethod,
)
from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.scopes import ALL_SCOPES, MEMBER

LISTSUB = "/topapi/v2/department/listsub"


def client_for(emu: Emulator, **options: Any) -> DingTalkClient:
    return DingTalkClient(emu.appkey, emu.appsecret, oapi_base_url=emu.url, api_base_url=emu.url, **options)


def calls_to(emu: Emulator, path: str) -> int:
    return sum(1 for call in emu.calls if call.path == path)


def test_walk_goes_level_by_level_over_a_nested_tree(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    depth: dict[int, int] = {}
    for top in range(3):
        top_id = emu.add_department(f"Division {top}")
        depth[top_id] = 1
        for middle in range(2):
            middle_id = emu.add_department(f"Team {top}.{middle}", parent_id=top_id)
            depth[middle_id] = 2
            leaf_id = emu.add_department(f"Squad {top}.{middle}", parent_id=middle_id)
            depth[leaf_id] = 3
    walked = list(client_for(emu).walk_departments())
    assert sorted(dept["dept_id"] for dept in walked) == sorted(depth)
    levels = [depth[dept["dept_id"]] for dept in walked]
    assert levels == sorted(levels)  # every level is finished before the next starts
    # one listsub per department (the root and each department found), nothing else reads the tree
    assert calls_to(emu, LISTSUB) == len(depth) + 1
    tree_paths = {call.path for call in emu.calls if "department" in call.path}
    assert tree_paths == {LISTSUB}


def test_walk_from_a_subtree_yields_only_its_descendants(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    top = emu.add_department("Operations")
    child = emu.add_department("Logistics", parent_id=top)
    emu.add_department("Elsewhere")
    assert [dept["dept_id"] for dept in client_for(emu).walk_departments(top)] == [child]


@pytest.mark.parametrize(("members", "page_size", "pages"), [(250, 100, 3), (23, 5, 5), (0, 100, 1)])
def test_department_members_are_read_over_every_page(
    dingtalk_emulator: Emulator, members: int, page_size: int, pages: int
) -> None:
    emu = dingtalk_emulator
    dept = emu.add_department("Warehouse")
    expected = {
        emu.add_user(name=f"Worker {n}", mobile=f"+852-6{n:07d}", dept_ids=[dept]) for n in range(members)
    }
    read = [user["userid"] for user in client_for(emu).iter_department_users(dept, page_size=page_size)]
    assert sorted(read) == sorted(expected)
    assert calls_to(emu, "/topapi/v2/user/list") == pages


def test_department_crud(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    client = client_for(emu)
    parent = client.create_department(name="Finance", parent_id=1, order=5, source_identifier="hr-finance")
    child = client.create_department(name="Payroll", parent_id=parent)
    assert emu.departments[child]["parent_id"] == parent
    assert client.get_department(parent)["source_identifier"] == "hr-finance"
    assert [d["dept_id"] for d in client.list_sub_departments(parent)] == [child]
    assert client.list_sub_department_ids(parent) == [child]
    client.update_department(child, name="Payroll and Benefits")
    assert emu.departments[child]["name"] == "Payroll and Benefits"
    client.delete_department(child)
    assert child not in emu.departments


def test_duplicate_department_name_is_already_exists(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator)
    client.create_department(name="Legal", parent_id=1)
    with pytest.raises(AlreadyExists) as caught:
        client.create_department(name="Legal", parent_id=1)
    assert caught.value.code == "60021"
    assert caught.value.api == "/topapi/v2/department/create"
    assert caught.value.request_id


def test_deleting_a_department_with_members_is_refused(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    dept = emu.add_department("Front desk")
    emu.add_user(name="Receptionist", mobile="+852-61111111", dept_ids=[dept])
    with pytest.raises(Refused) as caught:
        client_for(emu).delete_department(dept)
    assert caught.value.code == "60005"


def test_the_root_cannot_be_deleted(dingtalk_emulator: Emulator) -> None:
    with pytest.raises(Refused) as caught:
        client_for(dingtalk_emulator).delete_department(1)
    assert caught.value.code == "60007"


def test_user_crud_with_the_comma_string_department_list(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    client = client_for(emu)
    first, second = emu.add_department("Design"), emu.add_department("Research")
    userid, unionid = client.create_user(
        name="Bo Wong", mobile="+852-62222222", dept_id_list=[first, second], userid="bo", title="Designer"
    )
    assert userid == "bo"
    assert unionid == emu.users["bo"]["unionid"]
    user = client.get_user("bo")
    assert sorted(user["dept_id_list"]) == sorted([first, second])
    assert user["title"] == "Designer"
    client.update_user("bo", title="Lead designer", dept_id_list=[second])
    assert client.get_user("bo")["dept_id_list"] == [second]
    assert client.userid_by_mobile("+852-62222222") == "bo"
    assert client.userid_by_unionid(unionid) == "bo"
    client.delete_user("bo")
    assert "bo" not in emu.users
    with pytest.raises(NotFoundInDingTalk) as caught:
        client.get_user("bo")
    assert caught.value.code == "60121"


def test_unknown_mobile_or_unionid_is_none(dingtalk_emulator: Emulator) -> None:
    client = client_for(dingtalk_emulator)
    assert client.userid_by_mobile("+852-69999999") is None
    assert client.userid_by_unionid("nobodyunionid") is None


def test_duplicate_mobile_is_already_exists(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    emu.add_user(name="First", mobile="+852-63333333")
    with pytest.raises(AlreadyExists) as caught:
        client_for(emu).create_user(name="Second", mobile="+852-63333333", dept_id_list=[1])
    assert caught.value.code in {"60104", "60107"}


def test_mobile_update_is_refused_locally_before_any_call(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    emu.add_user(name="Cat Lee", mobile="+852-64444444", userid="cat")
    client = client_for(emu)
    with pytest.raises(ValueError, match="40022"):
        client.update_user("cat", mobile="+852-65555555")
    assert emu.calls == []


def test_dingtalk_itself_refuses_a_mobile_update(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    emu.add_user(name="Cat Lee", mobile="+852-64444444", userid="cat")
    with pytest.raises(Refused) as caught:
        client_for(emu).call("/topapi/v2/user/update", {"userid": "cat", "mobile": "+852-65555555"})
    assert caught.value.code == "40022"
    assert emu.users["cat"]["mobile"] == "+852-64444444"


def test_counts_admins_and_their_scope(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    emu.add_user(name="Main Admin", mobile="+852-66666661", userid="boss", admin=True)
    emu.add_user(name="Sub Admin", mobile="+852-66666662", userid="sub", admin=True)
    emu.add_user(name="Not Yet", mobile="+852-66666663", active=False)
    client = client_for(emu)
    assert client.count_users(only_active=False) == 3
    assert client.count_users(only_active=True) == 2
    assert {(a["userid"], a["sys_level"]) for a in client.list_admins()} == {("boss", 1), ("sub", 2)}
    assert client.admin_scope("sub") == [1]


def test_roles_and_their_members_over_every_page(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    members = [emu.add_user(name=f"Staff {n}", mobile=f"+852-67{n:06d}") for n in range(130)]
    role_id = emu.add_role("Auditor", group="Compliance", members=members)
    groups = list(client_for(emu).iter_role_groups())
    compliance = next(group for group in groups if group["name"] == "Compliance")
    assert [role["id"] for role in compliance["roles"]] == [role_id]
    read = [member["userid"] for member in client_for(emu).iter_role_members(role_id)]
    assert sorted(read) == sorted(members)
    assert calls_to(emu, "/topapi/role/simplelist") == 2


def test_leave_records_through_the_sdk(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    leavers = [emu.add_user(name=f"Leaver {n}", mobile=f"+852-68{n:06d}") for n in range(60)]
    client = client_for(emu)
    since = datetime.now(UTC) - timedelta(minutes=5)
    for userid in leavers:
        client.delete_user(userid)
    records = list(client.iter_leave_records(since))
    assert sorted(record["userId"] for record in records) == sorted(leavers)
    assert {record["leaveReason"] for record in records} == {"oapi"}
    assert calls_to(emu, "/v1.0/contact/empLeaveRecords") == 2  # 50 a page
    assert list(client.iter_leave_records(since, since + timedelta(seconds=1))) == []


def test_user_search_through_the_sdk_over_every_page(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    expected = [emu.add_user(name=f"Wong {n}", mobile=f"+852-69{n:06d}") for n in range(120)]
    emu.add_user(name="Chan", mobile="+852-59000000")
    assert sorted(client_for(emu).search_user_ids("wong")) == sorted(expected)
    assert calls_to(emu, "/v1.0/contact/users/search") == 2


def test_unknown_legacy_method(dingtalk_emulator: Emulator) -> None:
    with pytest.raises(UnknownMethod) as caught:
        client_for(dingtalk_emulator).call("/topapi/v2/nothing/here")
    assert caught.value.code == "22"


@pytest.mark.parametrize(
    "call",
    [
        lambda client: client.get_user("anyone"),
        lambda client: client.search_user_ids("anyone"),
    ],
    ids=["legacy", "new api"],
)
def test_missing_api_permission_is_no_permission(
    make_dingtalk_emulator: Callable[..., Emulator], call: Callable[[DingTalkClient], object]
) -> None:
    emu = make_dingtalk_emulator(scopes=ALL_SCOPES - {MEMBER})
    emu.add_user(name="Anyone", mobile="+852-61234567", userid="anyone")
    with pytest.raises(NoPermission) as caught:
        call(client_for(emu))
    assert caught.value.code in {"60011", "Forbidden.AccessDenied.AccessTokenPermissionDenied"}


def test_outside_the_visibility_range_is_out_of_scope(
    make_dingtalk_emulator: Callable[..., Emulator],
) -> None:
    emu = make_dingtalk_emulator()
    visible = emu.add_department("Visible")
    hidden = emu.add_department("Hidden")
    emu.add_user(name="Hidden person", mobile="+852-61234568", userid="hidden", dept_ids=[hidden])
    emu.visible_dept_ids = [visible]
    client = client_for(emu)
    assert client.get_department(visible)["name"] == "Visible"
    with pytest.raises(OutOfScope) as caught:
        client.get_department(hidden)
    assert caught.value.code == "50004"
    with pytest.raises(OutOfScope) as caught:
        client.get_user("hidden")
    assert caught.value.code == "50002"
