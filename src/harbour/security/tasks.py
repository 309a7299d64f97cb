"""Background tasks of the security app: idempotent, they call the actions and may run twice."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.security.incident_clock import alert_due
from harbour.security.incidents import flag_overdue_incidents
from harbour.security.models import Incident


@task(queue_name="maintenance")
def flag_overdue_incidents_task() -> dict[str, Any]:
    """Every 15 minutes: flag incidents with a clock that ran out (the internal 24-hour report, the report to
    the CI Commissioner, the proposed PCPD notice) and tell who must act. Each clock alerts once, so a second
    run in the same slot sends nothing."""
    waiting = [
        row for qs in Incident.objects.in_every_database() for row in qs.filter(alert_due()).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(waiting)}, key=str)
    flagged = 0
    for tenant_id in companies:
        flagged += len(flag_overdue_incidents(SystemActor(tenant_id, "incident clock")))
    return {"companies": len(companies), "flagged": flagged}
