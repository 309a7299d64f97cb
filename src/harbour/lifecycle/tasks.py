"""Background tasks of account lifecycle management: idempotent, they call the actions."""

from __future__ import annotations

import uuid
from typing import Any

from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import today_in_hong_kong
from harbour.lifecycle.leavers import deactivate_departed
from harbour.lifecycle.models import Departure


@task(queue_name="maintenance")
def deactivate_departed_task() -> dict[str, Any]:
    """Daily: leavers whose grace period ended are deactivated (their seats free up)."""
    today = today_in_hong_kong()
    due = [
        row
        for qs in Departure.objects.in_every_database()
        for row in qs.filter(
            deactivate_on__lte=today, deactivated_at__isnull=True, rehired_at__isnull=True
        ).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(due)}, key=str)
    done = sum(deactivate_departed(tenant_id, today=today) for tenant_id in companies)
    return {"companies": len(companies), "deactivated": done}


@task()
def apply_import_task(tenant_id: str, run_id: str, member_id: str) -> dict[str, Any]:
    """Apply a planned HR import for the member who asked (their rights are checked again now)."""
    from harbour.directory.models import Member
    from harbour.lifecycle.actions import apply_run
    from harbour.lifecycle.models import SyncRun

    member = Member.objects.for_tenant(uuid.UUID(tenant_id)).get(pk=member_id)
    run = SyncRun.objects.for_tenant(uuid.UUID(tenant_id)).get(pk=run_id)
    if run.state == SyncRun.State.APPLIED:
        return {"state": run.state, "counts": run.counts}
    run = apply_run(member, run)
    return {"state": run.state, "outcomes": run.counts.get("outcomes", {})}
