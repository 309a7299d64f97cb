"""What DingTalk holds, read once: the department tree level by level and every user, once each.

The tree has no single endpoint, so it is walked one level at a time from the root; a department outside the
app's contact visibility range (50004) is noted and skipped, never ending the walk. Users are listed per
department with paging; a user in several departments appears in each list and is kept once, with every
department it was seen in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from harbour.integrations.dingtalk.client import DingTalkClient, OutOfScope
from harbour.integrations.dingtalk.models import ROOT_DEPT_ID


@dataclass
class Snapshot:
    departments: dict[int, dict[str, Any]] = field(default_factory=dict)  # in walk order (parents first)
    depth: dict[int, int] = field(default_factory=dict)  # root's children are level 0
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # userid → user, dept_id_list merged
    out_of_scope: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether the whole directory was visible (a user missing from an incomplete read may exist)."""
        return not self.out_of_scope

    def parent_of(self, dept_id: int) -> int:
        return int(self.departments[dept_id].get("parent_id") or ROOT_DEPT_ID)


def walk_levels(client: DingTalkClient, snapshot: Snapshot) -> Iterator[dict[str, Any]]:
    """Departments level by level (breadth first), root's children first; out-of-range ones are noted."""
    level, depth = [ROOT_DEPT_ID], 0
    while level:
        below: list[int] = []
        for parent_id in level:
            try:
                children = client.list_sub_departments(parent_id)
            except OutOfScope:
                snapshot.out_of_scope.append(parent_id)
                continue
            for child in children:
                dept_id = int(child["dept_id"])
                if dept_id in snapshot.departments:
                    continue
                child = {**child, "dept_id": dept_id, "parent_id": int(child.get("parent_id") or parent_id)}
                snapshot.departments[dept_id] = child
                snapshot.depth[dept_id] = depth
                below.append(dept_id)
                yield child
        level, depth = below, depth + 1


def read_directory(client: DingTalkClient, *, with_users: bool = True) -> Snapshot:
    snapshot = Snapshot()
    for _department in walk_levels(client, snapshot):
        pass
    if with_users:
        for dept_id in [ROOT_DEPT_ID, *snapshot.departments]:
            if dept_id in snapshot.out_of_scope:
                continue
            try:
                for user in client.iter_department_users(dept_id):
                    remember_user(snapshot, user, dept_id)
            except OutOfScope:
                snapshot.out_of_scope.append(dept_id)
    return snapshot


def remember_user(snapshot: Snapshot, user: dict[str, Any], seen_in: int | None = None) -> dict[str, Any]:
    userid = str(user["userid"])
    known = snapshot.users.get(userid)
    departments = [int(d) for d in user.get("dept_id_list") or []]
    if known is None:
        known = snapshot.users[userid] = {**user, "userid": userid}
    merged = [*known.get("dept_id_list", []), *departments]
    if seen_in is not None:
        merged.append(seen_in)
    known["dept_id_list"] = sorted({int(d) for d in merged})
    return known
