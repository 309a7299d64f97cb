"""The member list costs the same number of queries whatever the page size (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.directory import actions
from tests.api.helpers import ApiClient, api_as, body
from tests.factories import Company


@pytest.fixture
def big_company(company: Company) -> Company:
    finance, accounts, hr = (company.departments[k] for k in ("finance", "accounts", "hr"))
    layouts = [[accounts], [finance, hr], [hr], []]
    specs = [
        actions.MemberSpec(
            email=f"staff{i}@acme.com.hk",
            name=f"Staff {i:04d}",
            mobile="9123 4567",
            employee_number=f"S{i:05d}",
            departments=layouts[i % len(layouts)],
        )
        for i in range(620)
    ]
    actions.bulk_create_members(company.system, specs)
    return company


def _queries(client: ApiClient, limit: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/members", limit=limit)
    assert response.status_code == 200, response.content[:300]
    page = body(response)
    assert len(page["items"]) == limit and page["next_cursor"] is not None
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_member_list_query_count_does_not_grow_with_page_size(big_company: Company, who: str) -> None:
    member = big_company.admin if who == "admin" else big_company.manager
    assert member is not None
    client = api_as(member)
    client.get("/me")  # the token's first use records last_used_at; keep that write out of the count

    manager_sees = 2 + 155 + 155  # Fiona, Gary, and the staff in Accounts Payable or Finance
    small = _queries(client, 50)
    large = _queries(client, 500 if who == "admin" else 300)
    assert small == large, f"{small} queries for 50 members, {large} for more"
    assert small <= 8
    if who == "manager":
        assert len(body(client.get("/members", limit=500))["items"]) == manager_sees


def test_member_list_with_filters_keeps_constant_queries(big_company: Company) -> None:
    client = api_as(big_company.admin)  # type: ignore[arg-type]
    client.get("/me")
    hr = str(big_company.departments["hr"].id)
    counts = []
    for limit in (10, 200):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/members", limit=limit, department_id=hr, q="staff", state="invited")
        assert response.status_code == 200 and len(body(response)["items"]) == limit
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
