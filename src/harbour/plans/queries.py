"""Reads: the catalogue, a company's subscription and its quota use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.core import entitlements
from harbour.core.entitlements import Quota
from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.plans.models import Plan, Subscription
from harbour.plans.units import format_bytes


@dataclass(frozen=True)
class UsageLine:
    quota: str
    label: str
    used: int
    limit: int | None

    @property
    def percent(self) -> float | None:
        """Share of the limit used, capped at 100 for drawing; None when unlimited."""
        if self.limit is None:
            return None
        if self.limit == 0:
            return 100.0 if self.used else 0.0
        return min(100.0, round(100 * self.used / self.limit, 1))

    @property
    def used_display(self) -> str:
        return self._show(self.used)

    @property
    def limit_display(self) -> str:
        return self._show(self.limit)

    def _show(self, amount: int | None) -> str:
        if amount is None:
            return _("unlimited")
        if self.quota == Quota.STORAGE_BYTES:
            return format_bytes(amount)
        return f"{amount:,}"

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


CONSUMED_QUOTAS = (Quota.SEATS, Quota.MEETING_MINUTES, Quota.STORAGE_BYTES)


def available_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(is_available=True).order_by("rank")


def get_plan(code: str, *, field: str = "plan") -> Plan:
    """A plan of the catalogue by code; an unknown code names the field at fault."""
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise NotFound(f"no plan {code!r}", field=field)
    return plan


def company_of(actor: Actor, permission: str) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, permission, tenant)
    return tenant


def subscription_of(tenant: Tenant) -> Subscription | None:
    return Subscription.objects.for_tenant(tenant).first()


def usage_of(tenant: Tenant) -> list[UsageLine]:
    """Seats, this month's meeting minutes and storage: used against what the plan includes."""
    return [
        UsageLine(
            quota=quota.value,
            label=str(quota.label),
            used=entitlements.used(tenant, quota),
            limit=entitlements.limit(tenant, quota),
        )
        for quota in CONSUMED_QUOTAS
    ]
