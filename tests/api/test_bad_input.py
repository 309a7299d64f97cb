"""Bad input is refused with a 4xx problem+json naming the field, and changes nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from harbour.directory.models import MemberState
from tests.api.conftest import World
from tests.api.helpers import ApiClient, assert_problem, row_counts


@dataclass(frozen=True)
class Bad:
    name: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any]
    status: int
    field: str


def _dept(key: str) -> Callable[[World], str]:
    return lambda w: str(w.a.departments[key].id)


def _new_member(**extra: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"email": "new.person@acme.com.hk", "name": "New Person", **extra}


CASES = [
    Bad(
        "bad email",
        "POST",
        lambda w: "/members",
        lambda w: {"email": "not-an-email", "name": "X"},
        422,
        "email",
    ),
    Bad(
        "email outside the company's domains",
        "POST",
        lambda w: "/members",
        lambda w: {"email": "someone@gmail.com", "name": "X"},
        422,
        "email",
    ),
    Bad("bad mobile", "POST", lambda w: "/members", _new_member(mobile="12"), 422, "mobile"),
    Bad(
        "bad mobile on edit",
        "PATCH",
        lambda w: f"/members/{w.a.member.id}",
        lambda w: {"mobile": "call me"},  # type: ignore[union-attr]
        422,
        "mobile",
    ),
    Bad(
        "duplicate employee number",
        "POST",
        lambda w: "/members",
        lambda w: {"email": "dup@acme.com.hk", "name": "Dup", "employee_number": w.a.member.employee_number},  # type: ignore[union-attr]
        409,
        "employee_number",
    ),
    Bad(
        "duplicate email",
        "POST",
        lambda w: "/members",
        lambda w: {"email": w.a.member.email.upper(), "name": "Twin"},
        409,
        "email",
    ),  # type: ignore[union-attr]
    Bad("missing name", "POST", lambda w: "/members", lambda w: {"email": "x@acme.com.hk"}, 422, "name"),
    Bad("blank name", "POST", lambda w: "/members", _new_member(name="   "), 422, "name"),
    Bad(
        "null name on edit",
        "PATCH",
        lambda w: f"/members/{w.a.member.id}",
        lambda w: {"name": None},
        422,  # type: ignore[union-attr]
        "name",
    ),
    Bad(
        "naive access expiry",
        "POST",
        lambda w: "/members",
        _new_member(access_expires_at="2030-01-01T00:00:00"),
        422,
        "access_expires_at",
    ),
    Bad(
        "access expiry in the past",
        "POST",
        lambda w: "/members",
        _new_member(access_expires_at="2001-01-01T00:00:00+08:00"),
        422,
        "access_expires_at",
    ),
    Bad(
        "malformed department id",
        "POST",
        lambda w: "/members",
        _new_member(department_ids=["nope"]),
        422,
        "department_ids.0",
    ),
    Bad(
        "another company's department id",
        "POST",
        lambda w: "/members",
        lambda w: {
            "email": "new.person@acme.com.hk",
            "name": "New Person",
            "department_ids": [_dept("hr")(w), str(w.b.departments["hr"].id)],
        },
        404,
        "department_ids",
    ),
    Bad(
        "another company's department id on edit",
        "PATCH",
        lambda w: f"/members/{w.a.member.id}",  # type: ignore[union-attr]
        lambda w: {"department_ids": [str(w.b.departments["finance"].id)], "title": "Moved"},
        404,
        "department_ids",
    ),
    Bad(
        "another company's member as manager",
        "POST",
        lambda w: "/members",
        lambda w: {"email": "new.person@acme.com.hk", "name": "New Person", "manager_id": str(w.b.admin.id)},  # type: ignore[union-attr]
        404,
        "manager_id",
    ),
    Bad(
        "manager loop",
        "PATCH",
        lambda w: f"/members/{w.a.manager.id}",  # type: ignore[union-attr]
        lambda w: {"manager_id": str(w.a.manager.id)},
        422,
        "manager_id",
    ),  # type: ignore[union-attr]
    Bad(
        "another company's parent department",
        "POST",
        lambda w: "/departments",
        lambda w: {"name": "Smuggled", "parent_id": str(w.b.departments["finance"].id)},
        404,
        "parent_id",
    ),
    Bad(
        "another company's department as filter",
        "GET",
        lambda w: f"/members?department_id={w.b.departments['hr'].id}",
        lambda w: None,
        404,
        "department_id",
    ),
    Bad(
        "move a department under its own child",
        "POST",
        lambda w: f"/departments/{_dept('finance')(w)}/move",
        lambda w: {"parent_id": _dept("accounts")(w)},
        422,
        "parent_id",
    ),
    Bad(
        "move a department under itself",
        "POST",
        lambda w: f"/departments/{_dept('finance')(w)}/move",
        lambda w: {"parent_id": _dept("finance")(w)},
        422,
        "parent_id",
    ),
    Bad(
        "move a department under another company's",
        "POST",
        lambda w: f"/departments/{_dept('hr')(w)}/move",
        lambda w: {"parent_id": str(w.b.departments["hr"].id)},
        404,
        "parent_id",
    ),
    Bad(
        "negative position",
        "POST",
        lambda w: f"/departments/{_dept('hr')(w)}/move",
        lambda w: {"parent_id": None, "position": -1},
        422,
        "position",
    ),
    Bad(
        "delete a department with sub-departments",
        "DELETE",
        lambda w: f"/departments/{_dept('finance')(w)}",
        lambda w: None,
        409,
        "department_id",
    ),
    Bad(
        "delete a department with members",
        "DELETE",
        lambda w: f"/departments/{_dept('hr')(w)}",
        lambda w: None,
        409,
        "department_id",
    ),
    Bad(
        "rename to an empty name",
        "PATCH",
        lambda w: f"/departments/{_dept('hr')(w)}",
        lambda w: {"name": ""},
        422,
        "name",
    ),
    Bad(
        "reactivate an active member",
        "POST",
        lambda w: f"/members/{w.a.member.id}/reactivate",  # type: ignore[union-attr]
        lambda w: None,
        409,
        "state",
    ),
    Bad(
        "suspend a suspended member",
        "POST",
        lambda w: f"/members/{w.suspended.id}/suspend",
        lambda w: None,
        409,
        "state",
    ),
    Bad(
        "reactivate an invited member",
        "POST",
        lambda w: f"/members/{w.invited.id}/reactivate",
        lambda w: {"reason": "skip the invitation"},
        409,
        "state",
    ),
    Bad(
        "unknown permission code",
        "POST",
        lambda w: "/roles",
        lambda w: {"name": "Wizards", "permissions": ["member.view", "magic.cast"]},
        422,
        "permissions",
    ),
    Bad(
        "unknown permission code on edit",
        "PATCH",
        lambda w: f"/roles/{w.spare_role.id}",
        lambda w: {"permissions": ["audit.view", "own:teleport"]},
        422,
        "permissions",
    ),
    Bad(
        "another company's role in a grant",
        "POST",
        lambda w: "/grants",
        lambda w: {"member_id": str(w.a.outsider.id), "role_id": str(w.b.roles["administrator"].id)},  # type: ignore[union-attr]
        404,
        "role_id",
    ),
    Bad(
        "another company's scope in a grant",
        "POST",
        lambda w: "/grants",
        lambda w: {
            "member_id": str(w.a.outsider.id),
            "role_id": str(w.spare_role.id),  # type: ignore[union-attr]
            "scope_department_id": str(w.b.departments["hr"].id),
        },
        404,
        "scope_department_id",
    ),
    Bad(
        "grant ending in the past",
        "POST",
        lambda w: "/grants",
        lambda w: {
            "member_id": str(w.a.outsider.id),
            "role_id": str(w.spare_role.id),  # type: ignore[union-attr]
            "expires_at": "2020-01-01T00:00:00Z",
        },
        422,
        "expires_at",
    ),
    Bad(
        "unknown tenant field value",
        "PATCH",
        lambda w: "/tenant",
        lambda w: {"locale": "klingon"},
        422,
        "locale",
    ),
    Bad(
        "bad email domain",
        "PATCH",
        lambda w: "/tenant",
        lambda w: {"email_domains": ["not a domain"]},
        422,
        "email_domains",
    ),
    Bad("unknown state filter", "GET", lambda w: "/members?state=retired", lambda w: None, 422, "state"),
    Bad("malformed id in the path", "GET", lambda w: "/members/12345", lambda w: None, 422, "member_id"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_is_refused_and_changes_nothing(world: World, case: Bad) -> None:
    admin: ApiClient = world.client("admin")
    assert world.suspended.state == MemberState.SUSPENDED
    before = row_counts()
    response = admin.request(case.method, case.path(world), case.body(world))
    assert_problem(response, case.status, case.field)
    assert row_counts() == before
