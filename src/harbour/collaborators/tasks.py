"""Background tasks of temporary collaborators: idempotent, they call the clock's functions (``expiry``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.collaborators.expiry import expire_overdue, overdue, reminders_ahead, send_due_reminders
from harbour.collaborators.models import CollaboratorRequest
from harbour.core.tenancy import home_rows
from harbour.core.time import now


def _companies(select: Any) -> list[Any]:
    at = now()
    rows = [
        row
        for qs in CollaboratorRequest.objects.in_every_database()
        for row in select(qs, at).only("tenant_id")
    ]
    return sorted({row.tenant_id for row in home_rows(rows)}, key=str)


@task(queue_name="maintenance")
def expire_collaborators_task() -> dict[str, Any]:
    """Every 5 minutes (and at once when a worker starts after downtime): collaborators whose access ended are
    suspended, signed out everywhere and their requests marked expired."""
    companies = _companies(overdue)
    expired = sum(expire_overdue(tenant_id) for tenant_id in companies)
    return {"companies": len(companies), "expired": expired}


@task(queue_name="maintenance")
def remind_collaborators_task() -> dict[str, Any]:
    """Every 15 minutes: sponsors and collaborators are told 2 days and 1 day before the access ends."""
    companies = _companies(reminders_ahead)
    sent = sum(send_due_reminders(tenant_id) for tenant_id in companies)
    return {"companies": len(companies), "reminders": sent}
