"""The plans app's answers to the entitlement gate in ``core.entitlements``."""

from __future__ import annotations

import uuid

from django.db.models import F
from django.db.models.functions import Greatest

from harbour.core.entitlements import Entitlements, Quota
from harbour.core.time import local, now, today_in_hong_kong
from harbour.plans.catalogue import FREE_PLAN_CODE, ensure_default_catalogue
from harbour.plans.models import Plan, QuotaUsage, Subscription

MONTHLY_QUOTAS = frozenset({Quota.MEETING_MINUTES.value})


def period_of(quota: str) -> str:
    """The usage period a quota counts in: the Hong Kong calendar month for monthly quotas."""
    if quota in MONTHLY_QUOTAS:
        return local(now()).strftime("%Y-%m")
    return ""


def free_plan() -> Plan:
    plan = Plan.objects.filter(code=FREE_PLAN_CODE).first()
    if plan is None:  # a database emptied by hand (or a test flush): put the default catalogue back
        ensure_default_catalogue()
        plan = Plan.objects.get(code=FREE_PLAN_CODE)
    return plan


def effective_terms(subscription: Subscription | None) -> tuple[Plan, int | None]:
    """The plan and seat count in force today: a scheduled change counts from its date even before a job
    has written it into the subscription."""
    if subscription is None:
        return free_plan(), None
    if subscription.scheduled_plan_id is not None and subscription.renews_on <= today_in_hong_kong():
        assert subscription.scheduled_plan is not None
        return subscription.scheduled_plan, subscription.scheduled_seats or subscription.seats
    return subscription.plan, subscription.seats


class DatabaseSource:
    def load(self, tenant_id: uuid.UUID) -> Entitlements:
        subscription = Subscription.objects.for_tenant(tenant_id).first()
        plan, seats = effective_terms(subscription)
        limits: dict[str, int | None] = {q.value: None for q in Quota}
        limits.update(plan.quotas)
        if seats is not None and not plan.is_free:
            limits[Quota.SEATS.value] = seats
        return Entitlements(
            plan_code=plan.code, plan_name=plan.display_name, features=frozenset(plan.features), limits=limits
        )

    def cheapest_plan_with(self, feature: str) -> str | None:
        for plan in Plan.objects.filter(is_available=True).order_by("rank"):
            if feature in plan.features:
                return plan.display_name
        return None

    def used(self, tenant_id: uuid.UUID, quota: str) -> int:
        row = (
            QuotaUsage.objects.for_tenant(tenant_id)
            .filter(quota=quota, period=period_of(quota))
            .values_list("used", flat=True)
            .first()
        )
        return int(row or 0)

    def consume(self, tenant_id: uuid.UUID, quota: str, amount: int, limit: int | None) -> bool:
        period = period_of(quota)
        rows = QuotaUsage.objects.for_tenant(tenant_id).filter(quota=quota, period=period)
        QuotaUsage.objects.get_or_create(tenant_id=tenant_id, quota=quota, period=period)
        if limit is not None:
            rows = rows.filter(used__lte=limit - amount)
        return rows.update(used=F("used") + amount) == 1

    def release(self, tenant_id: uuid.UUID, quota: str, amount: int) -> None:
        rows = QuotaUsage.objects.for_tenant(tenant_id).filter(quota=quota, period=period_of(quota))
        rows.update(used=Greatest(F("used") - amount, 0))

    def seats_taken(self, tenant_id: uuid.UUID) -> int:
        from harbour.directory.models import Member, MemberState

        return Member.objects.for_tenant(tenant_id).exclude(state=MemberState.DEACTIVATED).count()
