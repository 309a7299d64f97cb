"""Roles and role groups (reference §2.4). The legacy role APIs speak camelCase inside their results."""

from __future__ import annotations

from typing import Any

from tests.dingtalk_emulator.directory import Directory, DirectoryError

DEFAULT_GROUP = "Default"
DEFAULT_ROLES = ("Main administrator", "Sub-administrator", "Department head", "Supervisor")


class RoleBook:
    def __init__(self, directory: Directory):
        self.directory = directory
        self.reset()

    def reset(self) -> None:
        self.groups: dict[int, dict[str, Any]] = {}
        self.roles: dict[int, dict[str, Any]] = {}
        self.holders: dict[int, dict[str, list[int]]] = {}  # role id → userid → managed dept ids
        self._next_group = 1
        self._next_role = 1
        group_id = self.add_group(DEFAULT_GROUP)
        for name in DEFAULT_ROLES:
            self.add_role(name, group_id)

    def add_group(self, name: str | None) -> int:
        if not name or not name.strip():
            raise DirectoryError(40035, "missing parameter name")
        if any(group["name"] == name for group in self.groups.values()):
            raise DirectoryError(40035, "a role group with this name exists")
        group_id = self._next_group
        self._next_group += 1
        self.groups[group_id] = {"groupId": group_id, "name": name, "roles": []}
        return group_id

    def add_role(self, name: str | None, group_id: int | None) -> int:
        if not name or not name.strip():
            raise DirectoryError(40035, "missing parameter roleName")
        group = self.require_group(group_id)
        if any(self.roles[r]["name"] == name for r in group["roles"]):
            raise DirectoryError(40035, "a role with this name exists in the group")
        role_id = self._next_role
        self._next_role += 1
        self.roles[role_id] = {"id": role_id, "name": name, "groupId": group["groupId"]}
        self.holders[role_id] = {}
        group["roles"].append(role_id)
        return role_id

    def require_group(self, group_id: int | None) -> dict[str, Any]:
        group = self.groups.get(group_id) if group_id is not None else None
        if group is None:
            raise DirectoryError(40035, "role group not found")
        return group

    def require_role(self, role_id: int | None) -> dict[str, Any]:
        role = self.roles.get(role_id) if role_id is not None else None
        if role is None:
            raise DirectoryError(40035, "role not found")
        return role

    def rename_role(self, role_id: int | None, name: str | None) -> None:
        role = self.require_role(role_id)
        if not name or not name.strip():
            raise DirectoryError(40035, "missing parameter roleName")
        role["name"] = name

    def delete_role(self, role_id: int | None) -> None:
        role = self.require_role(role_id)
        self.groups[role["groupId"]]["roles"].remove(role["id"])
        del self.roles[role["id"]], self.holders[role["id"]]

    def grant(self, role_ids: list[int], userids: list[str]) -> None:
        for role_id in role_ids:
            self.require_role(role_id)
        for userid in userids:
            self.directory.require_user(userid)
        for role_id in role_ids:
            for userid in userids:
                self.holders[role_id].setdefault(userid, [])

    def revoke(self, role_ids: list[int], userids: list[str]) -> None:
        for role_id in role_ids:
            self.require_role(role_id)
        for role_id in role_ids:
            for userid in userids:
                self.holders[role_id].pop(userid, None)

    def set_scope(self, userid: str, role_id: int, dept_ids: list[int]) -> None:
        self.require_role(role_id)
        if userid not in self.holders[role_id]:
            raise DirectoryError(40035, "the user does not hold this role")
        self.holders[role_id][userid] = dept_ids

    def forget_user(self, userid: str) -> None:
        for holders in self.holders.values():
            holders.pop(userid, None)

    def roles_of(self, userid: str) -> list[dict[str, Any]]:
        return [
            {
                "id": role_id,
                "name": self.roles[role_id]["name"],
                "group_name": self.groups[self.roles[role_id]["groupId"]]["name"],
            }
            for role_id, holders in self.holders.items()
            if userid in holders
        ]

    def group_view(self, group: dict[str, Any]) -> dict[str, Any]:
        return {
            "groupId": group["groupId"],
            "name": group["name"],
            "roles": [{"id": r, "name": self.roles[r]["name"]} for r in group["roles"]],
        }

    def member_view(self, role_id: int, userid: str) -> dict[str, Any]:
        user = self.directory.users[userid]
        view: dict[str, Any] = {"userid": userid, "name": user["name"]}
        scopes = self.holders[role_id][userid]
        if scopes:
            view["manageScopes"] = [
                {"dept_id": d, "name": self.directory.departments[d]["name"]}
                for d in scopes
                if d in self.directory.departments
            ]
        return view
