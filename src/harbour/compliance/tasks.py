"""Background task of compliance: the daily posture snapshot of every company (idempotent: one snapshot per
company per Hong Kong day; a rerun the same day changes nothing)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.compliance.actions import take_snapshot
from harbour.core.models import Tenant
from harbour.core.permissions import SystemActor

SYSTEM_LABEL = "compliance snapshot"


def snapshot_every_company() -> dict[str, int]:
    taken = kept = 0
    for tenant_id in Tenant.objects.order_by("pk").values_list("pk", flat=True):
        _snapshot, created = take_snapshot(SystemActor(tenant_id, SYSTEM_LABEL), refresh=False)
        taken += int(created)
        kept += int(not created)
    return {"taken": taken, "already_taken": kept}


@task(queue_name="maintenance")
def snapshot_posture_task() -> dict[str, Any]:
    """Each night (Hong Kong time): record every company's posture for the chart of posture over time."""
    return snapshot_every_company()
