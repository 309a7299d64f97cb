"""Legacy role endpoints (reference §2.4): paged with ``offset``/``size`` → ``hasMore``, camelCase inside."""

from __future__ import annotations

from typing import Any

from tests.dingtalk_emulator import scopes
from tests.dingtalk_emulator.directory import DirectoryError, comma_list, integer_param, text_param
from tests.dingtalk_emulator.roles import RoleBook
from tests.dingtalk_emulator.routing import Request, Route, route


def _window(params: dict[str, Any], *, default: int, limit: int) -> tuple[int, int]:
    offset = integer_param(params, "offset") or 0
    size = integer_param(params, "size") or default
    if offset < 0 or not 1 <= size <= limit:
        raise DirectoryError(40035, f"size must be 1 to {limit}")
    return offset, size


def _ids(params: dict[str, Any], key: str) -> list[int]:
    items = comma_list(params, key, limit=20)
    if not items:
        raise DirectoryError(40035, f"missing parameter {key}")
    try:
        return [int(item) for item in items]
    except ValueError:
        raise DirectoryError(40035, f"invalid parameter {key}") from None


def role_routes(roles: RoleBook) -> list[Route]:
    def role_list(req: Request) -> dict[str, Any]:
        offset, size = _window(req.params(), default=20, limit=200)
        groups = list(roles.groups.values())
        chunk = [roles.group_view(g) for g in groups[offset : offset + size]]
        return {"result": {"hasMore": offset + size < len(groups), "list": chunk}}

    def role_get(req: Request) -> dict[str, Any]:
        role = roles.require_role(integer_param(req.params(), "roleId"))
        return {"role": {"name": role["name"], "groupId": role["groupId"]}}

    def group_get(req: Request) -> dict[str, Any]:
        group = roles.require_group(integer_param(req.params(), "group_id"))
        listed = [{"role_id": r, "role_name": roles.roles[r]["name"]} for r in group["roles"]]
        return {"role_group": {"group_name": group["name"], "roles": listed}}

    def role_members(req: Request) -> dict[str, Any]:
        params = req.params()
        role = roles.require_role(integer_param(params, "role_id"))
        offset, size = _window(params, default=20, limit=100)
        userids = list(roles.holders[role["id"]])
        chunk = [roles.member_view(role["id"], u) for u in userids[offset : offset + size]]
        return {"result": {"hasMore": offset + size < len(userids), "list": chunk}}

    def add_role(req: Request) -> dict[str, Any]:
        params = req.params()
        return {"roleId": roles.add_role(text_param(params, "roleName"), integer_param(params, "groupId"))}

    def update_role(req: Request) -> dict[str, Any]:
        params = req.params()
        roles.rename_role(integer_param(params, "roleId"), text_param(params, "roleName"))
        return {}

    def add_group(req: Request) -> dict[str, Any]:
        return {"groupId": roles.add_group(text_param(req.params(), "name"))}

    def delete_role(req: Request) -> dict[str, Any]:
        roles.delete_role(integer_param(req.params(), "role_id"))
        return {}

    def grant(req: Request) -> dict[str, Any]:
        params = req.params()
        roles.grant(_ids(params, "roleIds"), comma_list(params, "userIds", limit=20) or [])
        return {}

    def revoke(req: Request) -> dict[str, Any]:
        params = req.params()
        roles.revoke(_ids(params, "roleIds"), comma_list(params, "userIds", limit=20) or [])
        return {}

    def scope_update(req: Request) -> dict[str, Any]:
        params = req.params()
        userid = roles.directory.require_user(text_param(params, "userid"))["userid"]
        dept_ids = [int(d) for d in comma_list(params, "dept_ids", limit=50) or []]
        for dept_id in dept_ids:
            roles.directory.require_dept(dept_id)
        role_id = integer_param(params, "role_id")
        roles.set_scope(userid, roles.require_role(role_id)["id"], dept_ids)
        return {}

    read, write = scopes.MEMBER, scopes.MANAGE_ADDRESSLIST
    return [
        route("GET|POST", "/topapi/role/list", role_list, scope=read),
        route("GET|POST", "/topapi/role/getrole", role_get, scope=read),
        route("GET|POST", "/topapi/role/getrolegroup", group_get, scope=read),
        route("GET|POST", "/topapi/role/simplelist", role_members, scope=read),
        route("POST", "/role/add_role", add_role, scope=write),
        route("POST", "/role/update_role", update_role, scope=write),
        route("POST", "/role/add_role_group", add_group, scope=write),
        route("POST", "/topapi/role/deleterole", delete_role, scope=write),
        route("POST", "/topapi/role/addrolesforemps", grant, scope=write),
        route("POST", "/topapi/role/removerolesforemps", revoke, scope=write),
        route("POST", "/topapi/role/scope/update", scope_update, scope=write),
    ]
