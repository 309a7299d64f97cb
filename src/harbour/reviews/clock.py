"""The review clock, run by the periodic jobs for one company at a time: scheduled drafts open, items
unanswered after the escalation time go to the administrators, reviewers are reminded before the due
date, campaigns close at their due date, and the quarterly schedule opens one campaign per quarter.

Each step is idempotent: an item is escalated once (``escalated_at``), reminded once (``reminded_at``), a
campaign closes once, and a quarter has at most one scheduled campaign (a unique constraint backs the
check made under the schedule's row lock)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import Entry, record_many
from harbour.core.databases import tenant_atomic
from harbour.core.errors import HarbourError
from harbour.core.models import Tenant
from harbour.core.permissions import SystemActor, require_permission
from harbour.core.time import local, now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.reviews.actions import close_campaign, create_campaign, end_of_day, open_campaign
from harbour.reviews.models import Decision, ReviewCampaign, ReviewItem, ReviewSchedule
from harbour.reviews.notify import my_reviews_url, tell
from harbour.reviews.queries import MANAGE, review_managers, schedule_roles

log = logging.getLogger(__name__)

REMIND_BEFORE_DUE = dt.timedelta(days=3)
REMIND_NOT_BEFORE = dt.timedelta(days=1)  # after opening: the opening notice is reminder enough


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def system_actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "access review clock")


def run_clock(tenant_id: uuid.UUID, *, at: dt.datetime | None = None) -> dict[str, int]:
    """Every step for one company, each in its own transaction."""
    at = at or now()
    actor = system_actor(tenant_id)
    campaigns = ReviewCampaign.objects.for_tenant(tenant_id)
    opened = 0
    for campaign in campaigns.filter(state=ReviewCampaign.State.DRAFT, opens_at__lte=at):
        try:
            open_campaign(actor, campaign)
        except HarbourError as exc:  # e.g. its due date passed while nothing ran: it stays a draft
            log.warning("access review %s not opened: %s", campaign.pk, exc.message)
        else:
            opened += 1
    escalated = escalate_unanswered(actor, at=at)
    reminded = remind_reviewers(actor, at=at)
    closed = 0
    for campaign in campaigns.filter(state=ReviewCampaign.State.OPEN, due_at__lte=at):
        close_campaign(actor, campaign, automatic=True)
        closed += 1
    return {"opened": opened, "escalated": escalated, "reminded": reminded, "closed": closed}


@tenant_atomic
def escalate_unanswered(actor: SystemActor, *, at: dt.datetime | None = None) -> int:
    """Items still pending after their campaign's escalation time go to the administrators: each item names
    one (another than the member and the reviewer when possible) and every administrator may decide it;
    each is told how many wait."""
    require_permission(actor, MANAGE, Tenant.objects.get(pk=actor.tenant_id))
    at = at or now()
    due = (
        ReviewItem.objects.for_tenant(actor.tenant_id)
        .filter(
            campaign__state=ReviewCampaign.State.OPEN,
            campaign__escalate_at__lte=at,
            decision=Decision.PENDING,
            escalated_at__isnull=True,
        )
        .select_for_update(of=("self",))
        .select_related("campaign")
        .order_by("campaign_id", "member_name", "id")
    )
    items = list(due)
    if not items:
        return 0
    managers = review_managers(actor.tenant_id)
    entries = []
    for item in items:
        before = item.snapshot()
        target = next(
            (m for m in managers if m.pk not in (item.member_id, item.reviewer_id)),
            next((m for m in managers if m.pk != item.member_id), None),
        )
        item.escalated_at = at
        item.escalated_to = target
        item.escalated_to_name = target.name if target else ""
        entries.append(Entry(item, before, item.snapshot(), {"campaign": str(item.campaign_id)}))
    ReviewItem.objects.for_tenant(actor.tenant_id).bulk_update(
        items, ["escalated_at", "escalated_to", "escalated_to_name", "updated_at"]
    )
    record_many(actor, "review.item_escalated", entries)
    for manager in managers:
        theirs = [item for item in items if item.member_id != manager.pk]
        if not theirs:
            continue
        campaigns = sorted({item.campaign.name for item in theirs})
        tell(
            [manager],
            title=_("Access review: %(n)d unanswered item(s) escalated to you") % {"n": len(theirs)},
            body=_(
                "Their reviewers did not answer by the escalation time of %(campaigns)s. As an administrator "
                "you may certify or revoke them."
            )
            % {"campaigns": ", ".join(campaigns)},
            url=my_reviews_url(),
        )
    return len(items)


@tenant_atomic
def remind_reviewers(actor: SystemActor, *, at: dt.datetime | None = None) -> int:
    """Once per item, in the last days before the due date: its reviewer is reminded of what waits."""
    require_permission(actor, MANAGE, Tenant.objects.get(pk=actor.tenant_id))
    at = at or now()
    due = (
        ReviewItem.objects.for_tenant(actor.tenant_id)
        .filter(
            campaign__state=ReviewCampaign.State.OPEN,
            campaign__due_at__lte=at + REMIND_BEFORE_DUE,
            campaign__due_at__gt=at,
            campaign__opened_at__lte=at - REMIND_NOT_BEFORE,
            decision=Decision.PENDING,
            reminded_at__isnull=True,
            reviewer__isnull=False,
        )
        .select_for_update(of=("self",))
        .select_related("campaign", "reviewer")
    )
    items = list(due)
    per_reviewer: dict[uuid.UUID, list[ReviewItem]] = defaultdict(list)
    for item in items:
        item.reminded_at = at
        assert item.reviewer_id is not None
        per_reviewer[item.reviewer_id].append(item)
    ReviewItem.objects.for_tenant(actor.tenant_id).bulk_update(items, ["reminded_at", "updated_at"])
    for theirs in per_reviewer.values():
        reviewer: Member = theirs[0].reviewer  # type: ignore[assignment]
        due_at = min(item.campaign.due_at for item in theirs)
        tell(
            [reviewer],
            title=_("Reminder: %(n)d access review item(s) wait for you") % {"n": len(theirs)},
            body=_(
                "Certify or revoke them by %(due)s (Hong Kong time); after that they are escalated or "
                "left undecided in the evidence."
            )
            % {"due": local(due_at).strftime("%Y-%m-%d %H:%M")},
            url=my_reviews_url(),
        )
    return len(items)


@tenant_atomic
def open_quarterly_campaign(actor: SystemActor, *, today: dt.date | None = None) -> ReviewCampaign | None:
    """The quarter's campaign for a company whose quarterly schedule is on — at most one per quarter
    (Hong Kong time), however often this runs."""
    today = today or today_in_hong_kong()
    schedule = (
        ReviewSchedule.objects.for_tenant(actor.tenant_id).select_for_update().filter(quarterly=True).first()
    )
    if schedule is None:
        return None
    quarter = quarter_of(today)
    if ReviewCampaign.objects.for_tenant(actor.tenant_id).filter(quarter=quarter).exists():
        return None
    at = now()
    year, number = quarter.split("-")
    campaign = create_campaign(
        actor,
        name=_("Access review %(year)s %(quarter)s") % {"year": year, "quarter": number},
        role_ids=[role.pk for role in schedule_roles(schedule)],
        due_at=end_of_day(today + dt.timedelta(days=schedule.days_open)),
        escalate_at=at + dt.timedelta(days=schedule.escalate_after_days),
        quarter=quarter,
    )
    return open_campaign(actor, campaign)


def clock_summary(results: list[dict[str, int]]) -> dict[str, Any]:
    total: dict[str, Any] = defaultdict(int)
    for result in results:
        for key, value in result.items():
            total[key] += value
    total["companies"] = len(results)
    return dict(total)
