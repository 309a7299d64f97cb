"""Background task of announcements: every minute, send the scheduled announcements that are due.

Idempotent: an announcement is sent only while it is still scheduled (its row locked), so a second run in
the same minute, or two workers at once, deliver it once; after downtime the next run catches up on every
announcement whose time has passed."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.announcements.actions import send_due
from harbour.announcements.models import Announcement
from harbour.core.tenancy import home_rows
from harbour.core.time import now


@task(queue_name="maintenance")
def send_due_announcements_task() -> dict[str, Any]:
    at = now()
    rows = [
        row
        for qs in Announcement.objects.in_every_database()
        for row in qs.filter(state=Announcement.State.SCHEDULED, scheduled_for__lte=at).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(rows)}, key=str)
    return {"companies": len(companies), "sent": sum(send_due(tenant_id, at=at) for tenant_id in companies)}
