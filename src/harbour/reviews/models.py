"""Access reviews: a campaign certifies who holds chosen roles; each grant under review is one item.

Items are snapshots (member, role, scope and grant id as they were when the campaign opened) with the
reviewer's decision, so the evidence outlives the grants it is about."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned


class ReviewCampaign(TenantOwned):
    """One review: draft → open (grants snapshotted, reviewers told) → closed (the evidence is final)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("review state", "Open")
        CLOSED = "closed", pgettext_lazy("review state", "Closed")

    name = models.CharField(max_length=120)
    # The roles under review as [{"id", "name"}]: kept by name too, so the evidence reads the same after a
    # role is renamed or deleted.
    roles = models.JSONField(default=list)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(null=True, blank=True)  # opened by the clock then; by hand when empty
    due_at = models.DateTimeField()
    escalate_at = models.DateTimeField()
    quarter = models.CharField(max_length=7, blank=True)  # "2026-Q3": made by the quarterly schedule
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_automatically = models.BooleanField(default=False)  # by the clock, at the due date
    summary = models.JSONField(default=dict, blank=True)  # decision → count, written at close

    audit_fields = ("name", "roles", "state", "opens_at", "due_at", "escalate_at", "quarter", "summary")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "quarter"], condition=~Q(quarter=""), name="review_campaign_per_quarter"
            )
        ]
        indexes = [models.Index(fields=["tenant", "state"], name="review_campaign_state")]

    def __str__(self) -> str:
        return self.name

    @property
    def role_names(self) -> list[str]:
        return [str(role.get("name", "")) for role in self.roles]

    @property
    def is_quarterly(self) -> bool:
        return bool(self.quarter)


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    CERTIFIED = "certified", _("Certified")
    REVOKED = "revoked", _("Revoked")


class Effect(models.TextChoices):
    """What a revocation did to the grant."""

    NONE = "", _("No change to the grant")
    REMOVED = "removed", _("Grant removed")
    ALREADY_REMOVED = "already_removed", _("Grant had been removed meanwhile")
    ALREADY_EXPIRED = "already_expired", _("Grant had expired meanwhile")


class ReviewerBasis(models.TextChoices):
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator (no manager)")
    NONE = "none", _("Nobody else can review")


class ReviewItem(TenantOwned):
    """One grant under review: who held which role where, who reviews it, and what they decided."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="items")
    grant_id = models.UUIDField()  # the grant may be gone since: no foreign key
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_name = models.CharField(max_length=150)
    member_email = models.CharField(max_length=254, blank=True)
    role = models.ForeignKey(
        "directory.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role_name = models.CharField(max_length=80)
    scope = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_name = models.CharField(max_length=120, blank=True)  # empty: company-wide
    granted_at = models.DateTimeField(null=True, blank=True)
    grant_expires_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField(max_length=150, blank=True)
    reviewer_basis = models.CharField(max_length=14, choices=ReviewerBasis.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    effect = models.CharField(max_length=16, choices=Effect.choices, blank=True, default="")
    escalated_to = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_to_name = models.CharField(max_length=150, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "grant_id",
        "member",
        "role_name",
        "scope_name",
        "reviewer",
        "decision",
        "comment",
        "decided_by",
        "decided_at",
        "effect",
        "escalated_to",
        "escalated_at",
    )

    class Meta:
        ordering = ["member_name", "role_name", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "grant_id"], name="review_item_per_grant")]
        indexes = [
            models.Index(fields=["tenant", "reviewer", "decision"], name="review_item_reviewer"),
            models.Index(fields=["tenant", "campaign", "decision"], name="review_item_decision"),
        ]

    def __str__(self) -> str:
        where = f" ({self.scope_name})" if self.scope_name else ""
        return f"{self.member_name}: {self.role_name}{where}"

    @property
    def is_pending(self) -> bool:
        return self.decision == Decision.PENDING


class ReviewSchedule(TenantOwned):
    """A company's quarterly schedule: when on, a campaign opens at the start of each quarter (Hong Kong
    time) over ``roles`` (the Administrator and Department Manager roles when empty)."""

    quarterly = models.BooleanField(default=False)
    roles = models.JSONField(default=list, blank=True)  # role ids (strings)
    days_open = models.PositiveSmallIntegerField(default=21)
    escalate_after_days = models.PositiveSmallIntegerField(default=14)

    audit_fields = ("quarterly", "roles", "days_open", "escalate_after_days")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="review_schedule_per_tenant")]

    def __str__(self) -> str:
        return f"review schedule ({'quarterly' if self.quarterly else 'off'})"
