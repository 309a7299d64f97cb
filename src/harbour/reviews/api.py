"""REST API v1 of access reviews: campaigns (create, open, close, read, evidence CSV), the quarterly
schedule, and each reviewer's items to decide (one by one or several at once)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from harbour.core.errors import NotFound
from harbour.reviews import actions
from harbour.reviews.models import ReviewItem, ReviewSchedule
from harbour.reviews.queries import (
    campaigns_for,
    counts_of,
    decision_counts,
    get_campaign_for,
    get_item_for,
    grant_states,
    items_of,
    items_to_decide,
    schedule_for,
    schedule_roles,
    with_counts,
)
from harbour.reviews.report import csv_text
from harbour.reviews.schemas import (
    BulkDecisionIn,
    CampaignDetailOut,
    CampaignIn,
    CampaignOut,
    DecisionIn,
    ItemOut,
    ScheduleIn,
    ScheduleOut,
)

router = Router(tags=["reviews"])
ITEMS_SHOWN = 2000


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _items_out(actor: Any, items: list[ReviewItem]) -> list[ItemOut]:
    states = grant_states(actor.tenant_id, items)
    return [ItemOut.of(item, states[item.grant_id]) for item in items]


def _detail(actor: Any, campaign: Any) -> CampaignDetailOut:
    items = list(items_of(campaign).select_related("campaign").order_by("member_name", "id")[:ITEMS_SHOWN])
    return CampaignDetailOut(
        **CampaignOut.of(campaign, decision_counts(campaign)).dict(), items=_items_out(actor, items)
    )


@router.get("/reviews/campaigns", response=list[CampaignOut], summary="Access reviews, newest first")
def list_campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [CampaignOut.of(c, counts_of(c)) for c in with_counts(campaigns_for(_actor(request)))[:100]]


@router.post("/reviews/campaigns", response={201: CampaignOut}, summary="Create an access review (a draft)")
def create_campaign(request: HttpRequest, body: CampaignIn) -> tuple[int, CampaignOut]:
    campaign = actions.create_campaign(
        _actor(request),
        name=body.name,
        due_at=body.due_at,
        role_ids=body.role_ids,
        escalate_at=body.escalate_at,
        opens_at=body.opens_at,
    )
    return 201, CampaignOut.of(campaign, decision_counts(campaign))


@router.get(
    "/reviews/campaigns/{campaign_id}", response=CampaignDetailOut, summary="An access review and its items"
)
def get_campaign(request: HttpRequest, campaign_id: str) -> CampaignDetailOut:
    actor = _actor(request)
    return _detail(actor, get_campaign_for(actor, campaign_id))


@router.post(
    "/reviews/campaigns/{campaign_id}/open",
    response=CampaignDetailOut,
    summary="Open it: snapshot the grants, tell the reviewers",
)
def open_campaign(request: HttpRequest, campaign_id: str) -> CampaignDetailOut:
    actor = _actor(request)
    campaign = actions.open_campaign(actor, get_campaign_for(actor, campaign_id))
    return _detail(actor, campaign)


@router.post(
    "/reviews/campaigns/{campaign_id}/close",
    response=CampaignOut,
    summary="Close it: undecided items stay recorded as not decided",
)
def close_campaign(request: HttpRequest, campaign_id: str) -> CampaignOut:
    actor = _actor(request)
    campaign = actions.close_campaign(actor, get_campaign_for(actor, campaign_id))
    return CampaignOut.of(campaign, decision_counts(campaign))


@router.get("/reviews/campaigns/{campaign_id}/report.csv", summary="The evidence of an access review (CSV)")
def campaign_report(request: HttpRequest, campaign_id: str) -> HttpResponse:
    actor = _actor(request)
    campaign = get_campaign_for(actor, campaign_id)
    text, rows = csv_text(campaign)
    actions.record_export(actor, campaign, rows=rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{campaign.pk}.csv"'
    return response


@router.get("/reviews/mine", response=list[ItemOut], summary="Items waiting for my decision")
def my_items(request: HttpRequest) -> list[ItemOut]:
    actor = _actor(request)
    items = list(items_to_decide(actor).order_by("campaign__due_at", "member_name", "id")[:ITEMS_SHOWN])
    return _items_out(actor, items)


@router.post("/reviews/items/{item_id}/decide", response=ItemOut, summary="Certify or revoke one item")
def decide(request: HttpRequest, item_id: str, body: DecisionIn) -> ItemOut:
    actor = _actor(request)
    item = actions.decide(actor, get_item_for(actor, item_id), decision=body.decision, comment=body.comment)
    return _items_out(actor, [item])[0]


@router.post("/reviews/items/decide", response=list[ItemOut], summary="The same decision on several items")
def decide_many(request: HttpRequest, body: BulkDecisionIn) -> list[ItemOut]:
    actor = _actor(request)
    items = []
    for item_id in body.item_ids:
        try:
            items.append(get_item_for(actor, item_id))
        except NotFound:
            raise NotFound(_("no such review item: %(id)s") % {"id": item_id}, field="item_ids") from None
    decided = actions.decide_many(actor, items, decision=body.decision, comment=body.comment)
    return _items_out(actor, decided)


def _schedule_out(schedule: ReviewSchedule) -> ScheduleOut:
    return ScheduleOut.of(schedule, schedule_roles(schedule))


@router.get("/reviews/schedule", response=ScheduleOut, summary="The quarterly access review schedule")
def get_schedule(request: HttpRequest) -> ScheduleOut:
    return _schedule_out(schedule_for(_actor(request)))


@router.patch("/reviews/schedule", response=ScheduleOut, summary="Switch quarterly reviews on or off")
def update_schedule(request: HttpRequest, body: ScheduleIn) -> ScheduleOut:
    schedule = actions.update_schedule(
        _actor(request),
        quarterly=body.quarterly,
        role_ids=body.role_ids,
        days_open=body.days_open,
        escalate_after_days=body.escalate_after_days,
    )
    return _schedule_out(schedule)
