"""Leavers: rights handed to the successor, the account frozen at once, deactivation after the grace period,
the 7-year retention clock, and a rehire coming back with no rights."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.core.errors import Conflict
from harbour.directory import actions
from harbour.directory.models import BuiltinRole, MemberState, RoleGrant
from harbour.lifecycle.leavers import deactivate_departed, erase_by, freeze_leaver, rehire
from harbour.lifecycle.models import Departure
from tests.factories import Company, make_member


def test_a_managers_rights_go_to_their_own_manager(company: Company) -> None:
    manager, admin = company.manager, company.admin
    assert manager is not None
    actions.update_member(company.admin, manager, manager=admin)
    departure = freeze_leaver(company.admin, manager, left_on=dt.date(2026, 12, 31))
    manager.refresh_from_db()
    assert manager.state == MemberState.SUSPENDED
    assert departure.successor_id == admin.pk
    assert departure.handover["roles"] == ["Department Manager (Finance)"]
    assert (
        RoleGrant.objects.for_tenant(company.tenant)
        .filter(
            member=admin, role__builtin=BuiltinRole.DEPARTMENT_MANAGER, scope=company.departments["finance"]
        )
        .exists()
    )
    assert not RoleGrant.objects.for_tenant(company.tenant).filter(member=manager).exists()
    assert departure.erase_by == dt.date(2033, 12, 31) and departure.deactivate_on == dt.date(2027, 1, 30)


def test_the_only_administrator_can_leave_once_the_rights_are_handed_over(company: Company) -> None:
    successor = make_member(company, name="Next Admin", email="next@acme.com.hk", role=None)
    departure = freeze_leaver(company.system, company.admin, successor=successor)
    assert departure.handover["roles"] == ["Administrator"]
    company.admin.refresh_from_db()
    assert company.admin.state == MemberState.SUSPENDED
    assert freeze_leaver(company.system, company.admin) == departure  # told twice: the first one stands
    deactivated = make_member(company, name="Long Gone", email="gone@acme.com.hk", role=None)
    actions.deactivate_member(company.system, deactivated)
    with pytest.raises(Conflict):
        freeze_leaver(company.system, deactivated)


def test_deactivation_after_the_grace_period_and_a_rehire(company: Company) -> None:
    member = company.member
    assert member is not None
    freeze_leaver(company.admin, member, left_on=dt.date(2026, 1, 1))
    assert deactivate_departed(company.tenant.pk, today=dt.date(2026, 1, 30)) == 0
    assert deactivate_departed(company.tenant.pk, today=dt.date(2026, 1, 31)) == 1
    member.refresh_from_db()
    assert member.state == MemberState.DEACTIVATED
    assert deactivate_departed(company.tenant.pk, today=dt.date(2026, 2, 1)) == 0  # once
    rehire(company.admin, member)
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE
    held = RoleGrant.objects.for_tenant(company.tenant).filter(member=member)
    assert [g.role.builtin for g in held] == ["general_member"]  # fresh rights: the baseline only
    assert Departure.objects.for_tenant(company.tenant).get(member=member).rehired_at is not None


def test_the_retention_date_of_a_leap_day() -> None:
    assert erase_by(dt.date(2028, 2, 29)) == dt.date(2035, 2, 28)
