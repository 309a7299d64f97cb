"""The tenant-owned manager refuses unscoped reads; scoped ones see only their tenant."""

from __future__ import annotations

import pytest

from harbour.core.errors import UnscopedQuery
from harbour.directory.models import Department, Member


def test_unscoped_reads_and_writes_are_refused(company):
    for attempt in (
        lambda: list(Member.objects.all()),
        lambda: Member.objects.count(),
        lambda: Member.objects.filter(name__icontains="a").exists(),
        lambda: Member.objects.get(email=company.admin.email),
        lambda: Member.objects.filter(pk=company.admin.pk).update(title="x"),
        lambda: Department.objects.all().delete(),
        lambda: list(Member.objects.all().iterator()),
    ):
        with pytest.raises(UnscopedQuery):
            attempt()


def test_scoped_queries_see_only_their_tenant(company, other_company):
    assert set(Member.objects.for_tenant(company.tenant).values_list("email", flat=True)) == {
        company.admin.email,
        company.manager.email,
        company.member.email,
        company.outsider.email,
    }
    assert not Member.objects.for_tenant(other_company.tenant).filter(pk=company.admin.pk).exists()


def test_related_managers_of_scoped_rows_are_scoped(company):
    finance = company.departments["finance"]
    assert list(finance.members.all()) == [company.manager]
    assert finance.children.count() == 1
