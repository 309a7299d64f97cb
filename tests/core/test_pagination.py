"""Keyset pages: every row exactly once, in order, even when the leading sort key repeats across pages."""

from __future__ import annotations

from harbour.core.pagination import keyset_page
from harbour.directory.models import Member
from tests.factories import Company, make_member


def test_pages_cover_every_row_once_with_repeated_names(company: Company) -> None:
    for i in range(9):
        make_member(company, name="Chan Tai Man", email=f"chan{i}@acme.com.hk", with_login=False)
    members = Member.objects.for_tenant(company.tenant)
    expected = list(members.order_by("name", "id").values_list("id", flat=True))
    seen, cursor = [], None
    while True:
        page = keyset_page(members, ("name", "id"), cursor, 4)
        seen += [m.id for m in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
