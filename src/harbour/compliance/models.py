"""Compliance records: an officer's attestation for a rule, and the daily snapshot of the company's posture.

A snapshot keeps the whole evaluation of its day (each rule's status, finding summaries and evidence, and the
attestations in force), so a report printed from it reads the same later."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned


class AttestedStatus(models.TextChoices):
    MET = "met", pgettext_lazy("compliance status", "Met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Attestation(TenantOwned):
    """An officer's statement about a rule, with the reason. It never changes a computed gap: both show."""

    rule_id = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=AttestedStatus.choices)
    reason = models.TextField()
    evidence_ref = models.CharField(max_length=300, blank=True)
    review_by = models.DateField()  # the officer reviews the statement again by this day
    recorded_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_name = models.CharField(max_length=200, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    audit_fields = ("rule_id", "status", "reason", "evidence_ref", "review_by", "withdrawn_at")

    class Meta:
        ordering = ["rule_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "rule_id"],
                condition=Q(withdrawn_at__isnull=True),
                name="compliance_one_attestation_in_force",
            )
        ]
        indexes = [models.Index(fields=["tenant", "rule_id"], name="compliance_attestation_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.get_status_display()}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class PostureSnapshot(TenantOwned):
    """The company's compliance posture on one Hong Kong day (one row per company per day)."""

    day = models.DateField()
    taken_at = models.DateTimeField()
    counts = models.JSONField(default=dict)  # status → number of rules
    rules = models.JSONField(default=list)  # [{"id", "status", "findings": [...], "attestation": {...}}]

    audit_fields = ("day", "counts")

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day"], name="compliance_snapshot_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day}"

    def statuses(self) -> dict[str, str]:
        return {str(row.get("id")): str(row.get("status")) for row in self.rules}
