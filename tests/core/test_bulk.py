"""The bulk insert path used by imports: same rows as the ORM would write, refused when malformed."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction

from harbour.audit.chain import verify
from harbour.audit.models import AuditEvent
from harbour.core.bulk import insert_rows, refresh_statistics
from harbour.directory import actions
from harbour.directory.models import Member, Membership, MemberState
from tests.factories import Company


def test_bulk_members_read_back_like_invited_ones_and_keep_the_chain(company: Company) -> None:
    finance = company.departments["finance"]
    specs = [
        actions.MemberSpec(
            email=f"bulk{i}@acme.com.hk",
            name=f"Bulk Person {i}",
            name_zh="陳大文",
            mobile="9123 456" + str(i),
            employee_number=f"B-{i}",
            departments=[finance],
            state=MemberState.ACTIVE,
        )
        for i in range(3)
    ]
    assert len(actions.bulk_create_members(company.admin, specs)) == 3
    member = Member.objects.for_tenant(company.tenant).get(email="bulk1@acme.com.hk")
    assert (member.name_zh, member.mobile, member.employee_number) == ("陳大文", "+85291234561", "B-1")
    assert member.state == MemberState.ACTIVE and member.created_at is not None
    assert [p.department_id for p in member.places()] == [finance.pk]

    events = list(AuditEvent.objects.for_tenant(company.tenant).order_by("seq"))
    imported = [e for e in events if e.kind == "member.imported"]
    assert len(imported) == 3
    assert imported[1].after["name_zh"] == "陳大文"
    assert imported[1].after["departments"] == [str(finance.pk)]
    assert verify(events).intact


def test_rows_with_different_keys_are_refused(company: Company) -> None:
    rows = [
        {"id": uuid.uuid4(), "tenant_id": company.tenant.id, "name": "A", "email": "a@acme.com.hk"},
        {"id": uuid.uuid4(), "tenant_id": company.tenant.id, "name": "B"},
    ]
    with pytest.raises(ValueError, match="same keys"), transaction.atomic():
        insert_rows(Member, rows)
    with pytest.raises(ValueError, match="no columns"), transaction.atomic():
        insert_rows(Member, [{"id": uuid.uuid4(), "tenant_id": company.tenant.id, "nickname": "A"}])
    assert not Member.objects.for_tenant(company.tenant).filter(name__in=["A", "B"]).exists()


@pytest.mark.django_db(transaction=True)
def test_statistics_refresh_reaches_the_planner(company: Company) -> None:
    refresh_statistics(Member, Membership)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert {"directory_member", "directory_membership"} <= {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname IN (%s, %s)",
                ["directory_member", "directory_membership"],
            )
            analysed = dict(cursor.fetchall())
            assert set(analysed) == {"directory_member", "directory_membership"}
            assert all(when is not None for when in analysed.values())
