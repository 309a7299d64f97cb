"""Background tasks of policies: idempotent; each stage of a reminder is recorded once, so a second run in
the same slot sends nothing."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.policies.models import PolicyVersion, VersionState
from harbour.policies.reminders import remind_company


@task(queue_name="maintenance")
def remind_acknowledgements_task() -> dict[str, Any]:
    """Hourly: tell members in scope who have not acknowledged (new to the scope, 7, 3 and 1 days before
    their deadline, overdue)."""
    at = now()
    rows = [
        row
        for qs in PolicyVersion.objects.in_every_database()
        for row in qs.filter(state=VersionState.PUBLISHED).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(rows)}, key=str)
    told = sum(remind_company(tenant_id, at=at) for tenant_id in companies)
    return {"companies": len(companies), "members_told": told}
