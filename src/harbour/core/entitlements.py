"""The entitlement gate: what a company's plan includes, and how much of each quota it may use.

Every gated feature asks ``require(tenant, Feature.X)``; quotas are read with ``limit``/``used`` and taken
with ``consume`` (atomic: two requests cannot both take the last unit). The answers come from the plans app,
which registers itself as the source at start-up (core sits below it and cannot import it). A company's
answers are read once per loaded ``Tenant`` object, i.e. once per request, so a plan change takes effect on
the next request in every process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.errors import NotEntitled, QuotaExceeded

if TYPE_CHECKING:
    from harbour.core.models import Tenant


class Feature(models.TextChoices):
    BASIC_COMMUNICATION = "basic_communication", gettext_lazy("Basic communication")
    ADVANCED_ATTENDANCE = "advanced_attendance", gettext_lazy("Advanced attendance")
    DEPARTMENT_GROUPS = "department_groups", gettext_lazy("Department group management")
    API_ACCESS = "api_access", gettext_lazy("API access")
    SINGLE_SIGN_ON = "single_sign_on", gettext_lazy("Single sign-on")
    OPERATION_LOG_AUDIT = "operation_log_audit", gettext_lazy("Operation-log audit")
    PRIVATE_DEPLOYMENT = "private_deployment", gettext_lazy("Private deployment")
    DEDICATED_DATABASE = "dedicated_database", gettext_lazy("Dedicated database")
    STRONGEST_ENCRYPTION = "strongest_encryption", gettext_lazy("Strongest transport and at-rest encryption")


class Quota(models.TextChoices):
    SEATS = "seats", gettext_lazy("Seats")
    MEETING_MINUTES = "meeting_minutes", gettext_lazy("Cloud-meeting minutes per month")
    STORAGE_BYTES = "storage_bytes", gettext_lazy("Enterprise storage")
    MEETING_PARTICIPANTS = "meeting_participants", gettext_lazy("Participants per meeting")


@dataclass(frozen=True)
class Entitlements:
    """One company's plan, as the gate sees it. A limit of None means unlimited."""

    plan_code: str
    plan_name: str
    features: frozenset[str]
    limits: dict[str, int | None]


class EntitlementSource(Protocol):
    def load(self, tenant_id: uuid.UUID) -> Entitlements: ...

    def cheapest_plan_with(self, feature: str) -> str | None: ...

    def used(self, tenant_id: uuid.UUID, quota: str) -> int: ...

    def consume(self, tenant_id: uuid.UUID, quota: str, amount: int, limit: int | None) -> bool: ...

    def release(self, tenant_id: uuid.UUID, quota: str, amount: int) -> None: ...

    def seats_taken(self, tenant_id: uuid.UUID) -> int: ...


_source: EntitlementSource | None = None


def set_source(source: EntitlementSource) -> None:
    global _source
    _source = source


def _the_source() -> EntitlementSource:
    if _source is None:
        raise RuntimeError("no entitlement source registered (is harbour.plans installed?)")
    return _source


def entitlements_of(tenant: Tenant) -> Entitlements:
    """The company's entitlements, read once per ``Tenant`` object."""
    cached = tenant.__dict__.get("_entitlements")
    if cached is None:
        cached = tenant.__dict__["_entitlements"] = _the_source().load(tenant.id)
    return cached


def forget_entitlements(tenant: Tenant) -> None:
    tenant.__dict__.pop("_entitlements", None)


def has(tenant: Tenant, feature: Feature) -> bool:
    return feature.value in entitlements_of(tenant).features


def require(tenant: Tenant, feature: Feature) -> None:
    """Refuse with a message naming the plan that includes ``feature``."""
    if has(tenant, feature):
        return
    plan = _the_source().cheapest_plan_with(feature.value)
    if plan is None:
        message = _("%(feature)s is not included in any plan") % {"feature": feature.label}
    else:
        message = _("%(feature)s needs the %(plan)s plan") % {"feature": feature.label, "plan": plan}
    raise NotEntitled(message, field="plan")


def limit(tenant: Tenant, quota: Quota) -> int | None:
    return entitlements_of(tenant).limits.get(quota.value)


def used(tenant: Tenant, quota: Quota) -> int:
    if quota is Quota.SEATS:
        return _the_source().seats_taken(tenant.id)
    return _the_source().used(tenant.id, quota.value)


def consume(tenant: Tenant, quota: Quota, amount: int = 1) -> None:
    """Take ``amount`` of a quota, or refuse without taking anything.

    The check and the take are one conditional UPDATE, so concurrent callers cannot overdraw it. Seats are
    not consumed here: they are counted from the accounts themselves (see ``plans.seats``).
    """
    if amount < 0:
        raise ValueError("consume a positive amount; use release() to give back")
    if quota is Quota.SEATS:
        raise ValueError("seats are held by accounts: use take_seats()")
    cap = limit(tenant, quota)
    if not _the_source().consume(tenant.id, quota.value, amount, cap):
        raise QuotaExceeded(
            _("the plan's %(quota)s would be exceeded (%(used)s of %(limit)s used)")
            % {"quota": quota.label, "used": used(tenant, quota), "limit": cap},
            field=quota.value,
        )


def release(tenant: Tenant, quota: Quota, amount: int) -> None:
    _the_source().release(tenant.id, quota.value, amount)


def take_seats(tenant: Tenant, count: int = 1) -> None:
    """Refuse unless ``count`` more accounts fit in the company's seats.

    Call inside the transaction that then creates or reactivates the accounts. Seats are counted from the
    accounts themselves (every account not deactivated holds one), under a lock on the company's row, so two
    requests cannot both take the last seat: the second waits, then counts the first one's account.
    """
    from harbour.core.models import Tenant as TenantModel

    if count <= 0:
        return
    cap = limit(tenant, Quota.SEATS)
    if cap is None:
        return
    TenantModel.objects.select_for_update().filter(pk=tenant.pk).values_list("pk", flat=True).get()
    taken = _the_source().seats_taken(tenant.id)
    if taken + count > cap:
        raise QuotaExceeded(
            _("all %(limit)d seats of the plan are taken; add seats or deactivate an account first")
            % {"limit": cap},
            field="seats",
        )


# -------------------------------------------------------------------------------- what depends on what
Dependent = Callable[["Tenant"], "str | None"]
_dependents: dict[str, list[Dependent]] = {}


def register_dependent(feature: Feature, describe: Dependent) -> None:
    """An app declares what of a company's data or setup relies on ``feature``: ``describe(tenant)`` returns a
    sentence for a downgrade preview ("3 API tokens will stop working"), or None when nothing relies on it."""
    _dependents.setdefault(feature.value, []).append(describe)


def what_stops_working(tenant: Tenant, lost: list[Feature]) -> list[str]:
    return [
        sentence
        for feature in lost
        for describe in _dependents.get(feature.value, [])
        if (sentence := describe(tenant)) is not None
    ]
