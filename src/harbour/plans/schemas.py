"""API shapes of plans, subscriptions, usage and prices. Money is a decimal string in HKD."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.plans.actions import PlanChange
from harbour.plans.models import Plan, Subscription
from harbour.plans.pricing import MAX_SEATS, Price
from harbour.plans.queries import UsageLine


class PlanOut(Schema):
    code: str
    name: str
    name_zh: str
    rank: int
    price_per_seat_month: Decimal | None = Field(description="HKD; null when priced by contract")
    annual_discount_percent: Decimal
    features: list[str]
    quotas: dict[str, int | None] = Field(description="null: unlimited")
    summary: str
    is_available: bool

    @staticmethod
    def of(plan: Plan) -> PlanOut:
        return PlanOut(
            code=plan.code,
            name=plan.name,
            name_zh=plan.name_zh,
            rank=plan.rank,
            price_per_seat_month=plan.price_per_seat_month,
            annual_discount_percent=plan.annual_discount_percent,
            features=list(plan.features),
            quotas=dict(plan.quotas),
            summary=plan.summary,
            is_available=plan.is_available,
        )


class PlanPatch(Schema):
    """Catalogue edits (platform operator only); fields left out stay as they are."""

    name: str | None = None
    name_zh: str | None = None
    price_per_seat_month: Decimal | None = None
    annual_discount_percent: Decimal | None = None
    features: list[str] | None = None
    quotas: dict[str, int | None] | None = None
    summary: str | None = None
    is_available: bool | None = None


class ScheduledChangeOut(Schema):
    plan: str
    seats: int
    term: str
    effective_on: dt.date


class SubscriptionOut(Schema):
    plan: str
    plan_name: str
    seats: int | None = Field(description="null on the Free plan, which is capped by the plan instead")
    term: str | None
    started_on: dt.date | None
    renews_on: dt.date | None
    unit_price: Decimal
    features: list[str]
    scheduled_change: ScheduledChangeOut | None

    @staticmethod
    def of(subscription: Subscription | None, plan: Plan, features: list[str]) -> SubscriptionOut:
        if subscription is None:
            return SubscriptionOut(
                plan=plan.code,
                plan_name=plan.display_name,
                seats=None,
                term=None,
                started_on=None,
                renews_on=None,
                unit_price=plan.price_per_seat_month or Decimal("0"),
                features=features,
                scheduled_change=None,
            )
        scheduled = None
        if subscription.scheduled_plan is not None:
            scheduled = ScheduledChangeOut(
                plan=subscription.scheduled_plan.code,
                seats=subscription.scheduled_seats or subscription.seats,
                term=subscription.scheduled_term or subscription.term,
                effective_on=subscription.renews_on,
            )
        return SubscriptionOut(
            plan=subscription.plan.code,
            plan_name=subscription.plan.display_name,
            seats=subscription.seats,
            term=subscription.term,
            started_on=subscription.started_on,
            renews_on=subscription.renews_on,
            unit_price=subscription.unit_price,
            features=features,
            scheduled_change=scheduled,
        )


class PlanChangeIn(Schema):
    plan: str = Field(max_length=40)
    seats: int = Field(ge=1, le=MAX_SEATS)
    term: str = Field("monthly", description="monthly or annual")
    unit_price: Decimal | None = Field(None, description="negotiated HKD per seat per month (operator only)")


class PriceIn(Schema):
    plan: str = Field(max_length=40)
    seats: int = Field(ge=1, le=MAX_SEATS)
    term: str = "monthly"
    unit_price: Decimal | None = Field(None, description="a quoted price instead of the catalogue's")
    discount_percent: Decimal | None = Field(None, description="annual terms only; default: the plan's")


class PriceOut(Schema):
    plan: str
    seats: int
    term: str
    unit_price: Decimal
    months: int
    list_total: Decimal
    discount_percent: Decimal
    discount: Decimal
    total: Decimal
    per_month: Decimal
    currency: str = "HKD"

    @staticmethod
    def of(price: Price) -> PriceOut:
        return PriceOut(
            plan=price.plan.code,
            seats=price.seats,
            term=price.term,
            unit_price=price.unit_price,
            months=price.months,
            list_total=price.list_total,
            discount_percent=price.discount_percent,
            discount=price.discount,
            total=price.total,
            per_month=price.per_month,
        )


class RefusalOut(Schema):
    field: str
    message: str


class PlanChangeOut(Schema):
    plan: str
    seats: int
    term: str
    immediate: bool
    effective_on: dt.date
    price: PriceOut
    lost_features: list[str]
    stops_working: list[str]
    refusals: list[RefusalOut]
    allowed: bool

    @staticmethod
    def of(change: PlanChange) -> PlanChangeOut:
        return PlanChangeOut(
            plan=change.plan.code,
            seats=change.seats,
            term=change.term,
            immediate=change.immediate,
            effective_on=change.effective_on,
            price=PriceOut.of(change.price),
            lost_features=change.lost_features,
            stops_working=change.stops_working,
            refusals=[RefusalOut(field=f, message=m) for f, m in change.refusals],
            allowed=change.allowed,
        )


class SubscriptionChangedOut(Schema):
    subscription: SubscriptionOut
    change: PlanChangeOut


class UsageOut(Schema):
    quota: str
    label: str
    used: int
    limit: int | None = Field(description="null: unlimited")
    percent: float | None

    @staticmethod
    def of(line: UsageLine) -> UsageOut:
        return UsageOut(
            quota=line.quota, label=line.label, used=line.used, limit=line.limit, percent=line.percent
        )


def as_changes(patch: PlanPatch) -> dict[str, Any]:
    return patch.model_dump(exclude_unset=True)
