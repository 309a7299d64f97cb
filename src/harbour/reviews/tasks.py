"""Background tasks of access reviews: idempotent, they call the clock's actions one company at a time."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import now, today_in_hong_kong
from harbour.reviews.clock import clock_summary, open_quarterly_campaign, run_clock, system_actor
from harbour.reviews.models import ReviewCampaign, ReviewSchedule


@task(queue_name="maintenance")
def advance_reviews_task() -> dict[str, Any]:
    """Every 15 minutes: open scheduled drafts, escalate unanswered items, remind reviewers, close campaigns
    at their due date (each step happens once, so a second run in the same slot changes nothing)."""
    at = now()
    busy = Q(state=ReviewCampaign.State.OPEN) | Q(state=ReviewCampaign.State.DRAFT, opens_at__lte=at)
    rows = [
        row for qs in ReviewCampaign.objects.in_every_database() for row in qs.filter(busy).only("tenant_id")
    ]
    companies = sorted({row.tenant_id for row in home_rows(rows)}, key=str)
    return clock_summary([run_clock(tenant_id, at=at) for tenant_id in companies])


@task(queue_name="maintenance")
def open_quarterly_reviews_task() -> dict[str, Any]:
    """At the start of each quarter (Hong Kong time): one campaign for each company whose quarterly schedule
    is on. Run again — or late, after downtime — it opens nothing twice."""
    today = today_in_hong_kong()
    rows = [
        row
        for qs in ReviewSchedule.objects.in_every_database()
        for row in qs.filter(quarterly=True).only("tenant_id")
    ]
    opened = [open_quarterly_campaign(system_actor(row.tenant_id), today=today) for row in home_rows(rows)]
    return {"companies": len(rows), "opened": sum(1 for campaign in opened if campaign is not None)}
