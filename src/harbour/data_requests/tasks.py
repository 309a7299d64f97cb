"""Background tasks of data requests: idempotent, one company at a time."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.data_requests.clock import remind_handlers, system_actor
from harbour.data_requests.models import OPEN_STATES, DataRequest


@task(queue_name="maintenance")
def remind_request_handlers_task() -> dict[str, Any]:
    """Hourly: tell the handlers of requests reaching day 30, and of requests that became overdue (each
    once per request, so a second run in the same hour sends nothing)."""
    at = now()
    rows = [
        row
        for qs in DataRequest.objects.in_every_database()
        for row in qs.filter(state__in=OPEN_STATES).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(rows)}, key=str)
    totals = {"companies": len(companies), "day30": 0, "overdue": 0}
    for tenant_id in companies:
        counts = remind_handlers(system_actor(tenant_id), at=at)
        totals["day30"] += counts["day30"]
        totals["overdue"] += counts["overdue"]
    return totals
