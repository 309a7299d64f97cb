"""The demo's retention data: schedules enforced at their defaults, a hold with its reason, nothing erased."""

from __future__ import annotations

import pytest

from harbour.demo.retention_seed import seed_retention
from harbour.directory import actions as directory
from harbour.directory.models import MemberState
from harbour.retention.models import ErasureRun, LegalHold, RetentionSchedule
from harbour.retention.queries import preview_for
from tests.factories import Company, make_member

pytestmark = pytest.mark.django_db


def test_demo_seed_shows_what_is_due_without_erasing_it(company: Company) -> None:
    assert company.admin is not None and company.manager is not None
    warehouse = directory.create_department(company.system, name="Warehouse")
    domain = company.admin.email.split("@", 1)[1]
    for i in range(3):
        member = make_member(
            company, name=f"Storekeeper {i}", email=f"store{i}@{domain}", departments=[warehouse]
        )
        directory.update_member(company.system, member, manager=company.manager)

    seed_retention(company.system, company.admin)

    schedules = RetentionSchedule.objects.for_tenant(company.tenant)
    assert schedules.count() >= 2 and all(s.enabled for s in schedules)
    hold = LegalHold.objects.for_tenant(company.tenant).get()
    assert "Labour Tribunal" in hold.reason and hold.member is not None
    assert hold.member.state == MemberState.DEACTIVATED
    assert not ErasureRun.objects.for_tenant(company.tenant).exists()
    former = next(row for row in preview_for(company.system) if row.category.code == "former_employees")
    assert (len(former.due.erase), len(former.due.held)) == (1, 1)
