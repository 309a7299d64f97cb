"""REST API v1 of plans: the catalogue, the company's subscription and quota use, and the cost calculator."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from harbour.core.entitlements import entitlements_of
from harbour.core.errors import Forbidden
from harbour.core.models import Account
from harbour.plans import actions
from harbour.plans.models import Plan
from harbour.plans.pricing import price_of
from harbour.plans.queries import available_plans, company_of, get_plan, subscription_of, usage_of
from harbour.plans.schemas import (
    PlanChangeIn,
    PlanChangeOut,
    PlanOut,
    PlanPatch,
    PriceIn,
    PriceOut,
    SubscriptionChangedOut,
    SubscriptionOut,
    UsageOut,
    as_changes,
)
from harbour.plans.source import effective_terms

router = Router(tags=["plans"])


def _actor(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.actor  # type: ignore[attr-defined]


def _subscription_out(request: HttpRequest, permission: str) -> SubscriptionOut:
    tenant = company_of(_actor(request), permission)
    subscription = subscription_of(tenant)
    plan, _seats = effective_terms(subscription)
    return SubscriptionOut.of(subscription, plan, sorted(entitlements_of(tenant).features))


@router.get("/plans", response=list[PlanOut], summary="The plan catalogue, cheapest first")
def list_plans(request: HttpRequest) -> list[PlanOut]:
    account: Account | None = getattr(_actor(request), "account", None)
    plans = (
        Plan.objects.order_by("rank") if account is not None and account.is_operator else available_plans()
    )
    return [PlanOut.of(p) for p in plans]


@router.patch("/plans/{code}", response=PlanOut, summary="Edit a plan of the catalogue (platform operator)")
def update_plan(request: HttpRequest, code: str, body: PlanPatch) -> PlanOut:
    account: Account | None = getattr(_actor(request), "account", None)
    if account is None or not account.is_operator:
        raise Forbidden(_("only the platform operator edits the plan catalogue"))
    plan = get_plan(code, field="code")
    return PlanOut.of(actions.update_catalogue_plan(account, plan, **as_changes(body)))


@router.get("/subscription", response=SubscriptionOut, summary="The company's plan, seats and term")
def get_subscription(request: HttpRequest) -> SubscriptionOut:
    return _subscription_out(request, "plan.view")


@router.post(
    "/subscription/preview",
    response=PlanChangeOut,
    summary="What a plan change would do: when, at what price, what stops working, what refuses it",
)
def preview_subscription_change(request: HttpRequest, body: PlanChangeIn) -> PlanChangeOut:
    plan = get_plan(body.plan)
    change = actions.preview_plan_change(
        _actor(request), plan, body.seats, body.term, unit_price=body.unit_price
    )
    return PlanChangeOut.of(change)


@router.put(
    "/subscription",
    response=SubscriptionChangedOut,
    summary="Change plan, seats or term (upgrades at once, downgrades at the end of the period)",
)
def change_subscription(request: HttpRequest, body: PlanChangeIn) -> SubscriptionChangedOut:
    plan = get_plan(body.plan)
    _subscription, change = actions.change_subscription(
        _actor(request), plan, body.seats, body.term, unit_price=body.unit_price
    )
    return SubscriptionChangedOut(
        subscription=_subscription_out(request, "plan.view"), change=PlanChangeOut.of(change)
    )


@router.delete(
    "/subscription/scheduled-change", response=SubscriptionOut, summary="Cancel a scheduled downgrade"
)
def cancel_scheduled_change(request: HttpRequest) -> SubscriptionOut:
    actions.cancel_scheduled_change(_actor(request))
    return _subscription_out(request, "plan.view")


@router.get(
    "/usage", response=list[UsageOut], summary="Seats, meeting minutes and storage: used and included"
)
def get_usage(request: HttpRequest) -> list[UsageOut]:
    tenant = company_of(_actor(request), "plan.view")
    return [UsageOut.of(line) for line in usage_of(tenant)]


@router.post("/pricing", response=PriceOut, summary="Cost calculator: seats × plan × term, in HKD")
def calculate_price(request: HttpRequest, body: PriceIn) -> PriceOut:
    company_of(_actor(request), "plan.view")
    plan = get_plan(body.plan)
    return PriceOut.of(
        price_of(
            plan, body.seats, body.term, unit_price=body.unit_price, discount_percent=body.discount_percent
        )
    )
