"""The plan catalogue (shared by every company, edited by the platform operator), each company's
subscription, and the running totals of consumable quotas."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned


class Plan(models.Model):
    """A tier of the catalogue. ``rank`` orders tiers: a higher rank is an upgrade."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    name_zh = models.CharField(max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    # HKD per seat per month; None means the price is agreed per contract (Premium).
    price_per_seat_month = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    annual_discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    features = models.JSONField(default=list)
    # Quota code -> limit; a missing key or null means unlimited. "seats" here caps a plan that is not
    # bought per seat (Free); paid plans take their seats from the subscription.
    quotas = models.JSONField(default=dict)
    summary = models.CharField(max_length=300, blank=True)
    is_available = models.BooleanField(default=True, help_text=_("Offered to companies choosing a plan."))
    updated_at = models.DateTimeField(auto_now=True)

    audit_fields = (
        "code",
        "name",
        "name_zh",
        "rank",
        "price_per_seat_month",
        "annual_discount_percent",
        "features",
        "quotas",
        "summary",
        "is_available",
    )

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.name_zh and (get_language() or "").lower().startswith("zh"):
            return self.name_zh
        return self.name

    @property
    def is_custom_price(self) -> bool:
        return self.price_per_seat_month is None

    @property
    def storage_display(self) -> str:
        from harbour.plans.units import format_bytes

        return format_bytes(self.quotas.get("storage_bytes"))

    @property
    def is_free(self) -> bool:
        return self.price_per_seat_month == Decimal("0")


class Term(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")


class Subscription(TenantOwned):
    """A company's plan. A company with no row is on the Free plan.

    Upgrades change ``plan``/``seats`` at once; downgrades are written to the ``scheduled_*`` fields and
    take effect at ``renews_on`` (the gate already answers with them from that day on)."""

    # The catalogue lives in the registry (default database); a company in a dedicated database refers to
    # it by id, so these links carry no database constraint and are never joined (core.databases).
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    seats = models.PositiveIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices, default=Term.MONTHLY)
    started_on = models.DateField()
    renews_on = models.DateField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2, help_text=_("HKD per seat per month"))
    scheduled_plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False
    )
    scheduled_seats = models.PositiveIntegerField(null=True, blank=True)
    scheduled_term = models.CharField(max_length=10, choices=Term.choices, blank=True)

    audit_fields = (
        "plan",
        "seats",
        "term",
        "started_on",
        "renews_on",
        "unit_price",
        "scheduled_plan",
        "scheduled_seats",
        "scheduled_term",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="subscription_one_per_tenant")]

    def __str__(self) -> str:
        return f"{self.plan} × {self.seats}"

    @property
    def has_scheduled_change(self) -> bool:
        return self.scheduled_plan_id is not None


class QuotaUsage(TenantOwned):
    """How much of a consumable quota a company used in a period ("2026-11" for monthly quotas, "" for
    running totals such as storage)."""

    quota = models.CharField(max_length=40)
    period = models.CharField(max_length=7, blank=True)
    used = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "quota", "period"], name="quota_usage_unique"),
            models.CheckConstraint(condition=models.Q(used__gte=0), name="quota_usage_not_negative"),
        ]


class PlanRevision(models.Model):
    """One edit of the catalogue by a platform operator: the catalogue belongs to no company, so its history
    is kept here rather than in a company's operation log."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey("core.Account", on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.plan} @ {self.changed_at:%Y-%m-%d %H:%M}"
