"""Tenant isolation as an invariant: whatever company A does through the API, company B never sees any of
it — not in lists, searches, filters, nor when it asks for A's ids directly."""

from __future__ import annotations

import itertools
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.directory.models import Department, Member, Role, RoleGrant
from tests.api.conftest import World
from tests.api.helpers import ApiClient, assert_problem, body, ids_in

# Names company B also uses (its departments and members), so searches for them must find only B's rows.
SHARED_NAMES = [
    "Finance",
    "Human Resources",
    "Accounts Payable",
    "Ada Admin",
    "Gary General",
    "財務部",
    "Helen",
]
names = st.one_of(
    st.sampled_from(SHARED_NAMES),
    st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12),
)
pick = st.integers(min_value=0, max_value=1000)
operation = st.one_of(
    st.tuples(st.just("department"), names, st.one_of(st.none(), pick)),
    st.tuples(st.just("member"), names, st.one_of(st.none(), pick)),
    st.tuples(st.just("role"), names, st.none()),
    st.tuples(st.just("rename_department"), names, pick),
    st.tuples(st.just("rename_member"), names, pick),
)
_emails = itertools.count(1)


def _ids(company_tenant: Any) -> set[str]:
    found: set[str] = {str(company_tenant.id)}
    for model in (Department, Member, Role, RoleGrant):
        found |= {str(pk) for pk in model.objects.for_tenant(company_tenant).values_list("pk", flat=True)}
    return found


def _apply(a: ApiClient, op: tuple[str, str, int | None], departments: list[str], members: list[str]) -> None:
    kind, name, index = op
    if kind == "department":
        parent = departments[index % len(departments)] if index is not None and departments else None
        response = a.post("/departments", {"name": name, "parent_id": parent})
        if response.status_code == 201:
            departments.append(body(response)["id"])
    elif kind == "member":
        dept = [departments[index % len(departments)]] if index is not None and departments else []
        response = a.post(
            "/members", {"email": f"person{next(_emails)}@acme.com.hk", "name": name, "department_ids": dept}
        )
        if response.status_code == 201:
            members.append(body(response)["id"])
    elif kind == "role":
        response = a.post("/roles", {"name": name, "permissions": ["member.view"]})
    elif kind == "rename_department":
        response = a.patch(f"/departments/{departments[index % len(departments)]}", {"name": name})  # type: ignore[operator]
    else:
        response = a.patch(f"/members/{members[index % len(members)]}", {"name": name})  # type: ignore[operator]
    # Refusals (a clashing name, say) are fine; anything else must have worked.
    assert response.status_code in (200, 201, 409, 422), (op, response.status_code, response.content[:300])


def _all_items(client: ApiClient, path: str, **query: Any) -> list[dict[str, Any]]:
    response = client.get(path, limit=500, **query)
    assert response.status_code == 200, response.content[:300]
    page = body(response)
    assert page["next_cursor"] is None
    return page["items"]  # type: ignore[no-any-return]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=6))
def test_company_b_never_sees_company_a(world: World, ops: list[tuple[str, str, int | None]]) -> None:
    a, b = world.client("admin"), world.client("other")
    with transaction.atomic():
        departments = [str(d.id) for d in Department.objects.for_tenant(world.a.tenant)]
        members = [str(m.id) for m in Member.objects.for_tenant(world.a.tenant)]
        for op in ops:
            _apply(a, op, departments, members)

        a_ids, b_ids = _ids(world.a.tenant), _ids(world.b.tenant)
        used_names = {name for _, name, _ in ops} | set(SHARED_NAMES)

        # lists and searches answer with B's rows only
        for path in ("/members", "/departments", "/roles", "/grants"):
            seen = ids_in(_all_items(b, path))
            assert not seen & a_ids, path
        for name in used_names:
            for path in ("/members", "/departments"):
                found = {item["id"] for item in _all_items(b, path, q=name)}
                assert found <= b_ids, (path, name)

        # A's ids are not found, directly or as filters
        for department in departments:
            assert_problem(b.get(f"/departments/{department}"), 404)
            assert_problem(b.get("/members", department_id=department), 404, "department_id")
            assert_problem(b.get("/departments", parent_id=department), 404, "parent_id")
        for member in members:
            assert_problem(b.get(f"/members/{member}"), 404)
            assert_problem(b.get("/grants", member_id=member), 404, "member_id")
        for role in Role.objects.for_tenant(world.a.tenant).values_list("pk", flat=True):
            assert_problem(b.get(f"/roles/{role}"), 404)

        transaction.set_rollback(True)  # every example starts from the same two companies
