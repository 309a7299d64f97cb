"""Background tasks of retention: the daily erasure job (idempotent; resumes a run killed half-way)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django_tasks import task

from harbour.core.errors import HarbourError
from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.retention.models import ErasureRun, RetentionSchedule
from harbour.retention.runs import enabled_categories, run_erasure

log = logging.getLogger(__name__)


def companies_with_schedules() -> list[Any]:
    rows = [
        row
        for qs in RetentionSchedule.objects.in_every_database()
        for row in qs.filter(enabled=True).only("tenant_id")
    ]
    rows += [
        row
        for qs in ErasureRun.objects.in_every_database()
        for row in qs.filter(Q(state=ErasureRun.State.RUNNING)).only("tenant_id")
    ]
    return sorted({row.tenant_id for row in home_rows(rows)}, key=str)


def erase_due_records(tenant_id: Any) -> dict[str, int]:
    """Run every enabled schedule of one company; one category's failure does not stop the others (its
    unfinished run is resumed next time)."""
    system = SystemActor(tenant_id, "retention schedule")
    erased: dict[str, int] = {}
    for code in enabled_categories(tenant_id):
        try:
            run = run_erasure(system, code, by_schedule=True)
        except HarbourError as exc:
            log.warning("erasure of %s in company %s stopped: %s", code, tenant_id, exc.message)
            continue
        erased[code] = run.erased
    return erased


@task(queue_name="maintenance")
def erase_due_records_task() -> dict[str, Any]:
    """Daily: every company's enabled retention schedules erase what is due, legal holds excepted."""
    companies = companies_with_schedules()
    erased = 0
    for tenant_id in companies:
        erased += sum(erase_due_records(tenant_id).values())
    return {"companies": len(companies), "erased": erased}
