"""Legacy ``topapi`` department, user and admin endpoints (reference §2.1, §2.2) over the Directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.dingtalk_emulator import scopes
from tests.dingtalk_emulator.directory import (
    ROOT,
    Directory,
    DirectoryError,
    integer_param,
    text_param,
)
from tests.dingtalk_emulator.roles import RoleBook
from tests.dingtalk_emulator.routing import Request, Route, route

Granted = Callable[[str], bool]


def _paging(params: dict[str, Any], *, first: str, limit: int) -> tuple[int, int]:
    start = integer_param(params, first) or 0
    size = integer_param(params, "size")
    if size is None:
        raise DirectoryError(40035, "missing parameter size")
    if start < 0 or not 1 <= size <= limit:
        raise DirectoryError(40035, f"size must be 1 to {limit}")
    return start, size


def directory_routes(directory: Directory, roles: RoleBook, granted: Granted) -> list[Route]:
    def personal(user: dict[str, Any]) -> dict[str, Any]:
        for field, scope in scopes.PERSONAL_FIELDS.items():
            if not granted(scope):
                user.pop(field, None)
        return user

    def dept_of(params: dict[str, Any], default: int | None = None) -> int | None:
        dept_id = integer_param(params, "dept_id")
        return default if dept_id is None else dept_id

    # departments
    def department_create(req: Request) -> dict[str, Any]:
        return {"result": {"dept_id": directory.create_department(req.params())}}

    def department_update(req: Request) -> dict[str, Any]:
        directory.update_department(req.params())
        return {}

    def department_delete(req: Request) -> dict[str, Any]:
        directory.delete_department(dept_of(req.params()))
        return {}

    def department_get(req: Request) -> dict[str, Any]:
        dept = directory.require_dept(dept_of(req.params()))
        return {"result": directory.render_department(dept)}

    def department_listsub(req: Request) -> dict[str, Any]:
        dept = directory.require_dept(dept_of(req.params(), ROOT))
        keys = ("dept_id", "name", "parent_id", "create_dept_group", "auto_add_user")
        return {
            "result": [{k: child[k] for k in keys} for child in directory.sorted_children(dept["dept_id"])]
        }

    def department_listsubid(req: Request) -> dict[str, Any]:
        dept = directory.require_dept(dept_of(req.params()), visible=False)
        return {
            "result": {"dept_id_list": [c["dept_id"] for c in directory.sorted_children(dept["dept_id"])]}
        }

    def parents_by_dept(req: Request) -> dict[str, Any]:
        dept = directory.require_dept(dept_of(req.params()))
        return {"result": {"parent_id_list": directory.ancestors(dept["dept_id"])}}

    def parents_by_user(req: Request) -> dict[str, Any]:
        user = directory.require_user(text_param(req.params(), "userid"))
        chains = [{"parent_dept_id_list": directory.ancestors(d)} for d in user["dept_id_list"]]
        return {"result": {"parent_list": chains}}

    # users
    def user_create(req: Request) -> dict[str, Any]:
        user = directory.create_user(req.params())
        return {"result": {"userid": user["userid"], "unionId": user["unionid"]}}

    def user_update(req: Request) -> dict[str, Any]:
        directory.update_user(req.params())
        return {}

    def user_delete(req: Request) -> dict[str, Any]:
        directory.remove_user(text_param(req.params(), "userid"))
        return {}

    def user_get(req: Request) -> dict[str, Any]:
        user = directory.require_user(text_param(req.params(), "userid"))
        out = directory.render_user(user)
        role_list = roles.roles_of(user["userid"])
        if role_list:
            out["role_list"] = role_list
        return {"result": personal(out)}

    def page(req: Request, limit: int) -> tuple[int, list[dict[str, Any]], int | None]:
        params = req.params()
        dept = directory.require_dept(dept_of(params))
        if integer_param(params, "cursor") is None:
            raise DirectoryError(40035, "missing parameter cursor")
        cursor, size = _paging(params, first="cursor", limit=limit)
        users, following = directory.page_members(dept["dept_id"], cursor, size)
        return dept["dept_id"], users, following

    def paged(items: list[dict[str, Any]], following: int | None) -> dict[str, Any]:
        result: dict[str, Any] = {"has_more": following is not None, "list": items}
        if following is not None:
            result["next_cursor"] = following
        return {"result": result}

    def user_list(req: Request) -> dict[str, Any]:
        dept_id, users, following = page(req, 100)
        return paged([personal(directory.render_user(u, in_dept=dept_id)) for u in users], following)

    def user_listsimple(req: Request) -> dict[str, Any]:
        _dept_id, users, following = page(req, 100)
        return paged([{"userid": u["userid"], "name": u["name"]} for u in users], following)

    def user_listid(req: Request) -> dict[str, Any]:
        dept = directory.require_dept(dept_of(req.params()))
        return {"result": {"userid_list": list(directory.members[dept["dept_id"]])}}

    def user_by_mobile(req: Request) -> dict[str, Any]:
        mobile = text_param(req.params(), "mobile")
        if not mobile:
            raise DirectoryError(40035, "missing parameter mobile")
        userid = directory.by_mobile.get(mobile[4:] if mobile.startswith("+86-") else mobile)
        if userid is None:
            raise DirectoryError(60121, "user not found")
        user = directory.require_user(userid)
        return {"result": {"userid": user["userid"]}}

    def user_by_unionid(req: Request) -> dict[str, Any]:
        unionid = text_param(req.params(), "unionid")
        if not unionid:
            raise DirectoryError(40035, "missing parameter unionid")
        userid = directory.by_unionid.get(unionid)
        if userid is None:
            raise DirectoryError(60121, "user not found")
        user = directory.require_user(userid)
        return {"result": {"contact_type": 0, "userid": user["userid"]}}

    def user_count(req: Request) -> dict[str, Any]:
        only_active = req.params().get("only_active")
        if only_active is None:
            raise DirectoryError(40035, "missing parameter only_active")
        return {"result": {"count": directory.count_users(only_active in (True, "true", "True", 1))}}

    def admin_list(req: Request) -> dict[str, Any]:
        return {"result": [{"userid": a["userid"], "sys_level": a["sys_level"]} for a in directory.admins]}

    def admin_scope(req: Request) -> dict[str, Any]:
        user = directory.require_user(text_param(req.params(), "userid"))
        if not any(a["userid"] == user["userid"] for a in directory.admins):
            raise DirectoryError(40035, "the user is not an administrator")
        return {"result": {"dept_ids": directory.admin_scopes.get(user["userid"], [])}}

    read_depts, read_members, read_member = scopes.DEPARTMENT_LIST, scopes.DEPARTMENT_MEMBER, scopes.MEMBER
    write = scopes.MANAGE_ADDRESSLIST
    return [
        route("POST", "/topapi/v2/department/create", department_create, scope=write),
        route("POST", "/topapi/v2/department/update", department_update, scope=write),
        route("POST", "/topapi/v2/department/delete", department_delete, scope=write),
        route("GET|POST", "/topapi/v2/department/get", department_get, scope=read_depts),
        route("GET|POST", "/topapi/v2/department/listsub", department_listsub, scope=read_depts),
        route("GET|POST", "/topapi/v2/department/listsubid", department_listsubid, scope=read_depts),
        route("GET|POST", "/topapi/v2/department/listparentbydept", parents_by_dept, scope=read_depts),
        route("GET|POST", "/topapi/v2/department/listparentbyuser", parents_by_user, scope=read_member),
        route("POST", "/topapi/v2/user/create", user_create, scope=write),
        route("POST", "/topapi/v2/user/update", user_update, scope=write),
        route("POST", "/topapi/v2/user/delete", user_delete, scope=write),
        route("GET|POST", "/topapi/v2/user/get", user_get, scope=read_member),
        route("GET|POST", "/topapi/v2/user/list", user_list, scope=read_members),
        route("GET|POST", "/topapi/user/listsimple", user_listsimple, scope=read_members),
        route("GET|POST", "/topapi/user/listid", user_listid, scope=read_members),
        route("GET|POST", "/topapi/v2/user/getbymobile", user_by_mobile, scope=read_member),
        route("GET|POST", "/topapi/user/getbyunionid", user_by_unionid, scope=read_member),
        route("GET|POST", "/topapi/user/count", user_count, scope=read_members),
        route("GET|POST", "/topapi/user/listadmin", admin_list, scope=read_member),
        route("GET|POST", "/topapi/user/get_admin_scope", admin_scope, scope=read_member),
    ]
