"""The emulator's role APIs (reference §2.4): offset/size paging with hasMore, camelCase inside results."""

from __future__ import annotations

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import oapi


def test_role_groups_roles_and_members(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    ann = emu.add_user(name="Ann", mobile="13800000001", userid="ann")
    group_id = oapi(emu, "/role/add_role_group", {"name": "Finance"})["groupId"]
    role_id = oapi(emu, "/role/add_role", {"roleName": "Approver", "groupId": group_id})["roleId"]
    assert oapi(emu, "/topapi/role/getrole", {"roleId": role_id})["role"] == {
        "name": "Approver",
        "groupId": group_id,
    }
    assert oapi(emu, "/topapi/role/getrolegroup", {"group_id": group_id})["role_group"] == {
        "group_name": "Finance",
        "roles": [{"role_id": role_id, "role_name": "Approver"}],
    }
    first = oapi(emu, "/topapi/role/list", {"size": 1, "offset": 0})["result"]
    assert first["hasMore"] is True and first["list"][0]["name"] == "Default"
    second = oapi(emu, "/topapi/role/list", {"size": 1, "offset": 1})["result"]
    assert second == {
        "hasMore": False,
        "list": [{"groupId": group_id, "name": "Finance", "roles": [{"id": role_id, "name": "Approver"}]}],
    }
    grant = {"roleIds": str(role_id), "userIds": ann}
    assert oapi(emu, "/topapi/role/addrolesforemps", grant)["errcode"] == 0
    assert (
        oapi(emu, "/topapi/role/addrolesforemps", {"roleIds": str(role_id), "userIds": "ghost"})["errcode"]
        == 60121
    )
    members = oapi(emu, "/topapi/role/simplelist", {"role_id": role_id, "size": 20, "offset": 0})["result"]
    assert members == {"hasMore": False, "list": [{"userid": "ann", "name": "Ann"}]}
    user = oapi(emu, "/topapi/v2/user/get", {"userid": "ann"})["result"]
    assert user["role_list"] == [{"id": role_id, "name": "Approver", "group_name": "Finance"}]
    assert oapi(emu, "/topapi/role/removerolesforemps", grant)["errcode"] == 0
    assert oapi(emu, "/topapi/role/simplelist", {"role_id": role_id})["result"]["list"] == []
    assert oapi(emu, "/topapi/role/deleterole", {"role_id": role_id})["errcode"] == 0
    assert oapi(emu, "/topapi/role/getrole", {"roleId": role_id})["errcode"] != 0


def test_a_deleted_user_leaves_its_roles(dingtalk_emulator: Emulator) -> None:
    emu = dingtalk_emulator
    ann = emu.add_user(name="Ann", mobile="13800000001")
    role_id = emu.add_role("Auditor", members=[ann])
    oapi(emu, "/topapi/v2/user/delete", {"userid": ann})
    assert oapi(emu, "/topapi/role/simplelist", {"role_id": role_id})["result"]["list"] == []
