"""The emulated contact directory (reference §2.1–§2.3, §2.5): departments and users with DingTalk's rules and
errcodes. Every lookup goes through a dict or an index, so a call costs the same with 10 or 10,000 users.

Mutations made through the API report events through ``emit``; seeding (``emit=False``) is silent.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from tests.dingtalk_emulator.envelopes import OapiError, compact

ROOT = 1
EventSink = Callable[..., object]

MOBILE = re.compile(r"^(\+\d{1,4}-)?\d{5,20}$")
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
USERID = re.compile(r"^[A-Za-z0-9_.@\-]{1,64}$")

DEPT_BOOLEANS = (
    "hide_dept",
    "outer_dept",
    "outer_dept_only_self",
    "create_dept_group",
    "auto_add_user",
    "auto_approve_apply",
    "group_contain_sub_dept",
    "group_contain_outer_dept",
    "group_contain_hidden_dept",
)
DEPT_STRINGS = ("source_identifier", "code", "org_dept_owner", "language")
DEPT_ID_LISTS = ("dept_permits", "outer_permit_depts")
USERID_LISTS = ("user_permits", "outer_permit_users")
USER_STRINGS = ("title", "job_number", "org_email", "work_place", "remark", "login_email")
USER_BOOLEANS = ("hide_mobile", "senior_mode")


class DirectoryError(OapiError):
    """A directory rule refused the request (HTTP 200, errcode per §2.5)."""


def _fail(errcode: int, errmsg: str) -> DirectoryError:
    return DirectoryError(errcode, errmsg)


def text_param(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(40035, f"invalid parameter {key}")
    return str(value)


def flag_param(params: dict[str, Any], key: str) -> bool | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(40035, f"invalid parameter {key}")


def integer_param(params: dict[str, Any], key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _fail(40035, f"invalid parameter {key}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _fail(40035, f"invalid parameter {key}") from None


def comma_list(params: dict[str, Any], key: str, *, limit: int = 100) -> list[str] | None:
    """A comma-separated string parameter (DingTalk's form for id lists); a JSON array is refused."""
    value = params.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(40035, f"{key} must be a comma-separated string")
    items = [item.strip() for item in value.split(",") if item.strip()]
    if len(items) > limit:
        raise _fail(40035, f"{key} holds more than {limit} items")
    return items


def _mobile_key(mobile: str) -> str:
    return mobile[4:] if mobile.startswith("+86-") else mobile


def iso_utc(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Directory:
    def __init__(
        self,
        *,
        corp_name: str,
        emit: EventSink,
        clock: Callable[[], float],
        max_depth: int = 15,
        max_departments: int = 100_000,
        visible_dept_ids: Iterable[int] | None = None,
        seed: int = 0,
    ):
        self.corp_name = corp_name
        self.emit = emit
        self.clock = clock
        self.max_depth = max_depth
        self.max_departments = max_departments
        self.visible_dept_ids = set(visible_dept_ids) if visible_dept_ids is not None else None
        self._random = random.Random(seed)
        self.removal_hooks: list[Callable[[str], None]] = []
        self.reset()

    # --- state -------------------------------------------------------------------------------------------

    def reset(self) -> None:
        self.departments: dict[int, dict[str, Any]] = {}
        self.children: dict[int, dict[int, None]] = {}
        self.members: dict[int, dict[str, None]] = {}
        self.sibling_names: dict[tuple[int, str], int] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.by_mobile: dict[str, str] = {}
        self.by_email: dict[str, str] = {}
        self.by_telephone: dict[str, str] = {}
        self.by_unionid: dict[str, str] = {}
        self.leave_records: list[dict[str, Any]] = []
        self.admins: list[dict[str, Any]] = []
        self.admin_scopes: dict[str, list[int]] = {}
        self._next_dept_id = 2
        self.departments[ROOT] = {
            "dept_id": ROOT,
            "name": self.corp_name,
            "order": 0,
            "create_dept_group": True,
            "auto_add_user": True,
            "hide_dept": False,
            "outer_dept": False,
            "dept_manager_userid_list": [],
        }
        self.children[ROOT] = {}
        self.members[ROOT] = {}

    # --- visibility (§2: the app's contact range) ------------------------------------------------------

    def ancestors(self, dept_id: int) -> list[int]:
        """The department itself, then its parents up to the root."""
        chain = [dept_id]
        parent = self.departments[dept_id].get("parent_id")
        while parent is not None:
            chain.append(parent)
            parent = self.departments[parent].get("parent_id")
        return chain

    def dept_visible(self, dept_id: int) -> bool:
        if self.visible_dept_ids is None:
            return True
        return any(d in self.visible_dept_ids for d in self.ancestors(dept_id))

    def user_visible(self, user: dict[str, Any]) -> bool:
        if self.visible_dept_ids is None:
            return True
        return any(self.dept_visible(d) for d in user["dept_id_list"])

    def require_dept(self, dept_id: int | None, *, visible: bool = True) -> dict[str, Any]:
        if dept_id is None or dept_id <= 0:
            raise _fail(40009, "invalid dept_id")
        dept = self.departments.get(dept_id)
        if dept is None:
            raise _fail(60003, "department not found")
        if visible and not self.dept_visible(dept_id):
            raise _fail(50004, "department outside the app's contact range")
        return dept

    def require_user(self, userid: str | None, *, visible: bool = True) -> dict[str, Any]:
        if not userid:
            raise _fail(60111, "userid missing")
        user = self.users.get(userid)
        if user is None:
            raise _fail(60121, "user not found")
        if visible and not self.user_visible(user):
            raise _fail(50002, "user outside the app's contact range")
        return user

    # --- departments -------------------------------------------------------------------------------------

    def _check_dept_name(self, name: str | None) -> str:
        if name is None or not name.strip() or len(name) > 64:
            raise _fail(60001, "department name must be 1 to 64 characters")
        if "-" in name or "," in name:
            raise _fail(60009, "department name holds illegal characters")
        return name

    def _depth(self, dept_id: int) -> int:
        return len(self.ancestors(dept_id))

    def _height(self, dept_id: int) -> int:
        below = [self._height(child) for child in self.children[dept_id]]
        return 1 + (max(below) if below else 0)

    def _apply_dept_fields(self, dept: dict[str, Any], params: dict[str, Any]) -> None:
        for key in DEPT_BOOLEANS:
            flag = flag_param(params, key)
            if flag is not None:
                dept[key] = flag
        for key in DEPT_STRINGS:
            text = text_param(params, key)
            if text is not None:
                dept[key] = text
        if dept.get("code") and len(dept["code"]) > 30:
            raise _fail(40035, "code is longer than 30 characters")
        order = integer_param(params, "order")
        if order is not None:
            dept["order"] = order
        for key in DEPT_ID_LISTS:
            items = comma_list(params, key, limit=50)
            if items is not None:
                dept[key] = [self._dept_id_of(item) for item in items]
        for key in USERID_LISTS:
            items = comma_list(params, key, limit=50)
            if items is not None:
                dept[key] = [self.require_user(item, visible=False)["userid"] for item in items]

    def _dept_id_of(self, text: str) -> int:
        try:
            dept_id = int(text)
        except ValueError:
            raise _fail(40009, "invalid dept id") from None
        self.require_dept(dept_id, visible=False)
        return dept_id

    def create_department(self, params: dict[str, Any], *, emit: bool = True) -> int:
        name = self._check_dept_name(text_param(params, "name"))
        parent_id = integer_param(params, "parent_id")
        if parent_id is None:
            raise _fail(40035, "missing parameter parent_id")
        if parent_id not in self.departments:
            raise _fail(60004, "parent department not found")
        if emit and not self.dept_visible(parent_id):
            raise _fail(50004, "department outside the app's contact range")
        if (parent_id, name) in self.sibling_names:
            raise _fail(60021, "a department with this name exists under the parent")
        if self._depth(parent_id) + 1 > self.max_depth:
            raise _fail(60002, "department depth limit reached")
        if len(self.departments) >= self.max_departments:
            raise _fail(60110, "too many departments")
        dept_id = integer_param(params, "dept_id") if not emit else None
        if dept_id is not None and dept_id in self.departments:
            raise _fail(60016, "department id exists")
        if dept_id is None:
            dept_id = self._next_dept_id
        self._next_dept_id = max(self._next_dept_id, dept_id + 1)
        dept: dict[str, Any] = {
            "dept_id": dept_id,
            "name": name,
            "parent_id": parent_id,
            "order": dept_id,
            "create_dept_group": False,
            "auto_add_user": False,
            "hide_dept": False,
            "outer_dept": False,
            "dept_manager_userid_list": [],
        }
        self._apply_dept_fields(dept, params)
        self.departments[dept_id] = dept
        self.children[dept_id] = {}
        self.members[dept_id] = {}
        self.children[parent_id][dept_id] = None
        self.sibling_names[(parent_id, name)] = dept_id
        if emit:
            self.emit("org_dept_create", DeptId=[dept_id])
        return dept_id

    def update_department(self, params: dict[str, Any]) -> None:
        dept_id = integer_param(params, "dept_id")
        if dept_id == ROOT:
            raise _fail(60018, "the root department cannot be updated")
        dept = self.require_dept(dept_id)
        assert dept_id is not None
        name = text_param(params, "name")
        new_name = self._check_dept_name(name) if name is not None else dept["name"]
        parent_id = integer_param(params, "parent_id")
        new_parent = parent_id if parent_id is not None else dept["parent_id"]
        if new_parent not in self.departments:
            raise _fail(60004, "parent department not found")
        if new_parent != dept["parent_id"]:
            if dept_id in self.ancestors(new_parent):
                raise _fail(60010, "a department cannot move below itself")
            if self._depth(new_parent) + self._height(dept_id) > self.max_depth:
                raise _fail(60002, "department depth limit reached")
        owner = self.sibling_names.get((new_parent, new_name))
        if owner is not None and owner != dept_id:
            raise _fail(60021, "a department with this name exists under the parent")
        managers = comma_list(params, "dept_manager_userid_list", limit=200)
        if managers is not None:
            for userid in managers:
                self.require_user(userid, visible=False)
                if userid not in self.members[dept_id]:
                    raise _fail(40035, "a department manager must be a member of the department")
        updated = dict(dept)
        self._apply_dept_fields(updated, params)
        # validation done: apply
        del self.sibling_names[(dept["parent_id"], dept["name"])]
        if new_parent != dept["parent_id"]:
            del self.children[dept["parent_id"]][dept_id]
            self.children[new_parent][dept_id] = None
        updated["name"], updated["parent_id"] = new_name, new_parent
        if managers is not None:
            updated["dept_manager_userid_list"] = managers
        dept.clear()
        dept.update(updated)
        self.sibling_names[(new_parent, new_name)] = dept_id
        self.emit("org_dept_modify", DeptId=[dept_id])

    def delete_department(self, dept_id: int | None) -> None:
        if dept_id == ROOT:
            raise _fail(60007, "the root department cannot be deleted")
        dept = self.require_dept(dept_id)
        assert dept_id is not None
        if self.children[dept_id]:
            raise _fail(60006, "the department has sub-departments")
        if self.members[dept_id]:
            raise _fail(60005, "the department has members")
        del self.departments[dept_id], self.children[dept_id], self.members[dept_id]
        del self.children[dept["parent_id"]][dept_id]
        del self.sibling_names[(dept["parent_id"], dept["name"])]
        self.emit("org_dept_remove", DeptId=[dept_id])

    def sorted_children(self, dept_id: int) -> list[dict[str, Any]]:
        found = [self.departments[child] for child in self.children[dept_id]]
        return sorted(found, key=lambda d: (d.get("order", 0), d["dept_id"]))

    def render_department(self, dept: dict[str, Any]) -> dict[str, Any]:
        out = compact(dict(dept))
        out["member_count"] = len(self.members[dept["dept_id"]])
        return out

    # --- users ---------------------------------------------------------------------------------------------

    def _new_userid(self) -> str:
        while True:
            userid = "".join(self._random.choices(string.digits, k=16))
            if userid not in self.users:
                return userid

    def _new_unionid(self) -> str:
        alphabet = string.ascii_letters + string.digits
        while True:
            unionid = "".join(self._random.choices(alphabet, k=24)) + "iEiE"
            if unionid not in self.by_unionid:
                return unionid

    def _check_user_name(self, name: str | None) -> str:
        if name is None or not name.strip() or len(name) > 80:
            raise _fail(60112, "user name must be 1 to 80 characters")
        return name

    def _dept_ids(self, params: dict[str, Any], *, check_visible: bool) -> list[int] | None:
        items = comma_list(params, "dept_id_list", limit=100)
        if items is None:
            return None
        dept_ids = list(dict.fromkeys(self._dept_id_of(item) for item in items))
        if not dept_ids:
            raise _fail(40009, "dept_id_list is empty")
        if check_visible:
            for dept_id in dept_ids:
                if not self.dept_visible(dept_id):
                    raise _fail(50004, "department outside the app's contact range")
        return dept_ids

    def _check_unique(
        self, index: dict[str, str], key: str | None, userid: str | None, errcode: int, what: str
    ) -> None:
        if key:
            owner = index.get(key)
            if owner is not None and owner != userid:
                raise _fail(errcode, f"{what} exists in the organisation")

    def _user_fields(self, params: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        """Validated field changes (not yet applied) for create/update; '' clears an optional field."""
        changes: dict[str, Any] = {}
        for key in USER_STRINGS:
            text = text_param(params, key)
            if text is not None:
                changes[key] = text
        if changes.get("job_number") and len(changes["job_number"]) > 64:
            raise _fail(60123, "job number is too long")
        for key in USER_BOOLEANS:
            flag = flag_param(params, key)
            if flag is not None:
                changes["senior" if key == "senior_mode" else key] = flag
        email = text_param(params, "email")
        if email is not None:
            if email and not EMAIL.match(email):
                raise _fail(60105, "invalid email")
            self._check_unique(self.by_email, email.lower(), user.get("userid"), 60106, "email")
            changes["email"] = email
        telephone = text_param(params, "telephone")
        if telephone is not None:
            self._check_unique(self.by_telephone, telephone, user.get("userid"), 60108, "telephone")
            changes["telephone"] = telephone
        hired = integer_param(params, "hired_date")
        if hired is not None:
            changes["hired_date"] = hired
        manager = text_param(params, "manager_userid")
        if manager is not None:
            if manager and (manager not in self.users or manager == user.get("userid")):
                raise _fail(60128, "invalid manager_userid")
            changes["manager_userid"] = manager
        extension = params.get("extension")
        if extension is not None:
            if not isinstance(extension, str):
                raise _fail(40035, "extension must be a JSON string")
            try:
                parsed = json.loads(extension) if extension else {}
            except ValueError:
                raise _fail(40035, "extension must be a JSON object") from None
            if not isinstance(parsed, dict):
                raise _fail(40035, "extension must be a JSON object")
            changes["extension"] = extension
        return changes

    def _index(self, user: dict[str, Any], *, add: bool) -> None:
        userid = user["userid"]
        pairs = (
            (self.by_mobile, _mobile_key(user["mobile"]) if user.get("mobile") else None),
            (self.by_email, user["email"].lower() if user.get("email") else None),
            (self.by_telephone, user.get("telephone") or None),
            (self.by_unionid, user["unionid"]),
        )
        for index, key in pairs:
            if key:
                if add:
                    index[key] = userid
                else:
                    index.pop(key, None)

    def create_user(self, params: dict[str, Any], *, emit: bool = True) -> dict[str, Any]:
        name = self._check_user_name(text_param(params, "name"))
        mobile = text_param(params, "mobile")
        if not mobile:
            raise _fail(40035, "missing parameter mobile")
        if not MOBILE.match(mobile):
            raise _fail(60103, "invalid mobile")
        self._check_unique(self.by_mobile, _mobile_key(mobile), None, 60104, "mobile")
        dept_ids = self._dept_ids(params, check_visible=emit)
        if dept_ids is None:
            raise _fail(40035, "missing parameter dept_id_list")
        userid = text_param(params, "userid")
        if userid is not None:
            if not USERID.match(userid):
                raise _fail(40003, "invalid userid")
            if userid in self.users:
                raise _fail(60102, "userid exists")
        changes = self._user_fields(params, {})
        userid = userid or self._new_userid()
        unionid = text_param(params, "unionid") if not emit else None
        user: dict[str, Any] = {
            "userid": userid,
            "unionid": unionid or self._new_unionid(),
            "name": name,
            "mobile": mobile,
            "state_code": "86",
            "dept_id_list": dept_ids,
            "active": True,
            "admin": False,
            "boss": False,
            "senior": False,
            "real_authed": False,
            "hide_mobile": False,
            "exclusive_account": False,
            "created_at": self.clock(),
        }
        user.update(changes)
        self._set_orders(user, params)
        self.users[userid] = user
        self._index(user, add=True)
        for dept_id in dept_ids:
            self.members[dept_id][userid] = None
        if emit:
            self.emit("user_add_org", UserId=[userid])
        return user

    def _set_orders(self, user: dict[str, Any], params: dict[str, Any]) -> None:
        orders = params.get("dept_order_list")
        if isinstance(orders, list):
            user["dept_order_list"] = [
                {"dept_id": int(o["dept_id"]), "order": int(o["order"])}
                for o in orders
                if isinstance(o, dict) and "dept_id" in o
            ]
        titles = params.get("dept_title_list")
        if isinstance(titles, list):
            user["dept_title_list"] = [o for o in titles if isinstance(o, dict)]

    def update_user(self, params: dict[str, Any]) -> None:
        user = self.require_user(text_param(params, "userid"))
        if "mobile" in params:
            raise _fail(40022, "mobile cannot be modified; delete the user and add it again")
        name = text_param(params, "name")
        if name is not None:
            self._check_user_name(name)
        dept_ids = self._dept_ids(params, check_visible=True)
        changes = self._user_fields(params, user)
        if name is not None:
            changes["name"] = name
        before = {key: user.get(key) for key in changes}
        self._index(user, add=False)
        for key, value in changes.items():
            if value == "":
                user.pop(key, None)
            else:
                user[key] = value
        if dept_ids is not None and dept_ids != user["dept_id_list"]:
            before["dept_id_list"] = list(user["dept_id_list"])
            changes["dept_id_list"] = dept_ids
            for dept_id in user["dept_id_list"]:
                self.members[dept_id].pop(user["userid"], None)
                self._drop_manager(dept_id, user["userid"])
            for dept_id in dept_ids:
                self.members[dept_id][user["userid"]] = None
            user["dept_id_list"] = dept_ids
        self._set_orders(user, params)
        self._index(user, add=True)
        diff = {"prev": compact(before), "curr": compact(changes), "userid": user["userid"]}
        self.emit("user_modify_org", UserId=[user["userid"]], DiffInfo=[diff])

    def _drop_manager(self, dept_id: int, userid: str) -> None:
        managers = self.departments[dept_id]["dept_manager_userid_list"]
        if userid in managers:
            managers.remove(userid)

    def remove_user(self, userid: str | None, *, reason: str = "oapi", check_visible: bool = True) -> None:
        """Delete the member; DingTalk keeps a leave record and tells subscribers (``user_leave_org``)."""
        user = self.require_user(userid, visible=check_visible)
        self._index(user, add=False)
        for dept_id in user["dept_id_list"]:
            self.members[dept_id].pop(user["userid"], None)
            self._drop_manager(dept_id, user["userid"])
        del self.users[user["userid"]]
        self.admins[:] = [a for a in self.admins if a["userid"] != user["userid"]]
        self.admin_scopes.pop(user["userid"], None)
        for hook in self.removal_hooks:
            hook(user["userid"])
        self.leave_records.append(
            compact(
                {
                    "userId": user["userid"],
                    "name": user["name"],
                    "stateCode": "86",
                    "mobile": user.get("mobile"),
                    "leaveTime": iso_utc(self.clock()),
                    "leaveReason": reason,
                }
            )
        )
        self.emit("user_leave_org", UserId=[user["userid"]])

    def render_user(self, user: dict[str, Any], *, in_dept: int | None = None) -> dict[str, Any]:
        """The user object of ``v2/user/get`` (or, with ``in_dept``, a ``v2/user/list`` item)."""
        out = {key: value for key, value in user.items() if key != "created_at"}
        out["dept_id_list"] = list(user["dept_id_list"])
        leader = [
            {"dept_id": d, "leader": user["userid"] in self.departments[d]["dept_manager_userid_list"]}
            for d in user["dept_id_list"]
        ]
        if in_dept is None:
            out["leader_in_dept"] = leader
        else:
            out["leader"] = user["userid"] in self.departments[in_dept]["dept_manager_userid_list"]
            orders = {o["dept_id"]: o["order"] for o in user.get("dept_order_list", [])}
            out["dept_order"] = orders.get(in_dept, 0)
        return compact(out)

    def page_members(self, dept_id: int, cursor: int, size: int) -> tuple[list[dict[str, Any]], int | None]:
        """One page of a department's direct members in entry order, and the next cursor (None at the end)."""
        members = self.members[dept_id]
        userids = list(members)[cursor : cursor + size] if cursor < len(members) else []
        following = cursor + size if cursor + size < len(members) else None
        return [self.users[u] for u in userids], following

    def count_users(self, only_active: bool) -> int:
        if not only_active:
            return len(self.users)
        return sum(1 for user in self.users.values() if user.get("active"))
