"""Demo data of retention: every registered category's schedule enforced at its default period, three
warehouse staff who left (one long enough ago to be due for erasure, one kept by a legal hold for a Labour
Tribunal claim, one who left recently), and nothing erased yet: the preview shows what a run would do."""

from __future__ import annotations

import datetime as dt

from harbour.core.erasure import categories
from harbour.core.permissions import SystemActor
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member, MemberState
from harbour.lifecycle.leavers import deactivate_departed, freeze_leaver
from harbour.retention.actions import place_hold, update_schedule


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def seed_retention(system: SystemActor, it_head: Member) -> None:
    tenant_id = system.tenant_id
    for category in categories():
        update_schedule(it_head, category.code, enabled=True)

    today = today_in_hong_kong()
    staff = list(
        Member.objects.for_tenant(tenant_id)
        .filter(
            memberships__department__name="Warehouse",
            manager__isnull=False,
            state=MemberState.ACTIVE,
            is_external=False,
        )
        .order_by("-employee_number")[:3]
    )
    if len(staff) < 3:
        return
    due, held, recent = staff
    left = {
        due: _years_before(today, 7) - dt.timedelta(days=45),  # past the erase-by date: due now
        held: _years_before(today, 8) + dt.timedelta(days=120),  # past it too, but under a legal hold
        recent: today - dt.timedelta(days=75),  # kept until 7 years after leaving
    }
    for member, left_on in left.items():
        freeze_leaver(system, member, left_on=left_on, reason="resigned")
    deactivate_departed(tenant_id, today=today)
    place_hold(
        it_head,
        member=held,
        reason=(
            "Labour Tribunal claim LBTC 2417/2025 about unpaid end-of-year payment: keep the employment "
            "records until the claim and any appeal are finished (Legal & Compliance)."
        ),
    )
