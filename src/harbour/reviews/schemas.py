"""API shapes of access reviews."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from harbour.directory.models import Role
from harbour.reviews.models import ReviewCampaign, ReviewItem, ReviewSchedule


class RoleRef(Schema):
    id: str
    name: str


class CampaignIn(Schema):
    name: str
    due_at: dt.datetime
    role_ids: list[uuid.UUID] | None = None  # none: the Administrator and Department Manager roles
    escalate_at: dt.datetime | None = None
    opens_at: dt.datetime | None = None  # opened by the clock then; otherwise POST …/open


class CampaignOut(Schema):
    id: uuid.UUID
    name: str
    roles: list[RoleRef]
    state: str
    quarter: str
    opens_at: dt.datetime | None
    due_at: dt.datetime
    escalate_at: dt.datetime
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_automatically: bool
    created_by_id: uuid.UUID | None
    counts: dict[str, int]

    @classmethod
    def of(cls, campaign: ReviewCampaign, counts: dict[str, int]) -> CampaignOut:
        return cls(
            id=campaign.pk,
            name=campaign.name,
            roles=[RoleRef(id=str(r.get("id", "")), name=str(r.get("name", ""))) for r in campaign.roles],
            state=campaign.state,
            quarter=campaign.quarter,
            opens_at=campaign.opens_at,
            due_at=campaign.due_at,
            escalate_at=campaign.escalate_at,
            opened_at=campaign.opened_at,
            closed_at=campaign.closed_at,
            closed_automatically=campaign.closed_automatically,
            created_by_id=campaign.created_by_id,
            counts=counts,
        )


class ItemOut(Schema):
    id: uuid.UUID
    campaign_id: uuid.UUID
    campaign_name: str
    grant_id: uuid.UUID
    grant_now: str  # live, expired or removed
    member_id: uuid.UUID | None
    member_name: str
    member_email: str
    role_name: str
    scope_name: str
    granted_at: dt.datetime | None
    grant_expires_at: dt.datetime | None
    reviewer_id: uuid.UUID | None
    reviewer_name: str
    reviewer_basis: str
    decision: str
    comment: str
    decided_by_name: str
    decided_at: dt.datetime | None
    effect: str
    escalated_to_name: str
    escalated_at: dt.datetime | None
    due_at: dt.datetime

    @classmethod
    def of(cls, item: ReviewItem, grant_now: str) -> ItemOut:
        return cls(
            id=item.pk,
            campaign_id=item.campaign_id,
            campaign_name=item.campaign.name,
            grant_id=item.grant_id,
            grant_now=grant_now,
            member_id=item.member_id,
            member_name=item.member_name,
            member_email=item.member_email,
            role_name=item.role_name,
            scope_name=item.scope_name,
            granted_at=item.granted_at,
            grant_expires_at=item.grant_expires_at,
            reviewer_id=item.reviewer_id,
            reviewer_name=item.reviewer_name,
            reviewer_basis=item.reviewer_basis,
            decision=item.decision,
            comment=item.comment,
            decided_by_name=item.decided_by_name,
            decided_at=item.decided_at,
            effect=item.effect,
            escalated_to_name=item.escalated_to_name,
            escalated_at=item.escalated_at,
            due_at=item.campaign.due_at,
        )


class CampaignDetailOut(CampaignOut):
    items: list[ItemOut]


class DecisionIn(Schema):
    decision: str  # certify or revoke
    comment: str = ""


class BulkDecisionIn(DecisionIn):
    item_ids: list[uuid.UUID]


class ScheduleIn(Schema):
    quarterly: bool | None = None
    role_ids: list[uuid.UUID] | None = None  # an empty list: back to the defaults
    days_open: int | None = None
    escalate_after_days: int | None = None


class ScheduleOut(Schema):
    quarterly: bool
    role_ids: list[str]  # as set; empty means the defaults
    roles: list[RoleRef]  # what the next quarterly campaign covers
    days_open: int
    escalate_after_days: int

    @classmethod
    def of(cls, schedule: ReviewSchedule, roles: list[Role]) -> ScheduleOut:
        return cls(
            quarterly=schedule.quarterly,
            role_ids=[str(r) for r in schedule.roles],
            roles=[RoleRef(id=str(r.pk), name=r.display_name) for r in roles],
            days_open=schedule.days_open,
            escalate_after_days=schedule.escalate_after_days,
        )
