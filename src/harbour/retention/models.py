"""Retention: a schedule per data category (how long its records are kept), legal holds that stop erasure,
and the evidence of every erasure run (what was erased, never the erased data itself)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned


class RetentionSchedule(TenantOwned):
    """How long a company keeps one category's records (``core.erasure``), and whether the erasure job
    enforces it. A category without a row has the category's default period and is not enforced."""

    category = models.CharField(max_length=40)
    days = models.PositiveIntegerField()
    enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_fields = ("category", "days", "enabled")

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "category"], name="retention_schedule_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.days} days"


class LegalHold(TenantOwned):
    """Keeps records from erasure for a documented reason: a whole category (``member`` empty) or one
    member's records (``category`` empty: in every category that holds that member)."""

    category = models.CharField(max_length=40, blank=True)
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ends_on = models.DateField(null=True, blank=True)  # the hold lapses after this Hong Kong day
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    audit_fields = ("category", "member", "reason", "ends_on", "lifted_at", "lift_reason")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(category="") & Q(member__isnull=False))
                | (~Q(category="") & Q(member__isnull=True)),
                name="legal_hold_category_or_member",
            )
        ]
        indexes = [models.Index(fields=["tenant", "lifted_at"], name="legal_hold_live")]

    def __str__(self) -> str:
        return f"legal hold on {self.category or 'member'}"


class ErasureRun(TenantOwned):
    """The evidence of one erasure run over one category: the period and cut-off in force, how many records
    were erased and held, and a SHA-256 digest of the erased records' ids. Kept for good (never erased).

    A run commits in batches; one killed half-way is ``running`` and the next run resumes it."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    category = models.CharField(max_length=40)
    days = models.PositiveIntegerField()
    as_of = models.DateField()  # the Hong Kong day the run counted from
    cutoff = models.DateField()  # records whose period started on or before this day are due
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    erased = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_label = models.CharField(max_length=200, blank=True)  # "the schedule", or who ran it
    by_schedule = models.BooleanField(default=False)

    audit_fields = ("category", "days", "as_of", "cutoff", "state", "erased", "held", "batches", "digest")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "category"],
                condition=Q(state="running"),
                name="erasure_run_one_running",
            )
        ]
        indexes = [models.Index(fields=["tenant", "category", "state"], name="erasure_run_state")]

    def __str__(self) -> str:
        return f"erasure of {self.category} as of {self.as_of}"


class ErasedRecord(TenantOwned):
    """One erased record: its category and id, and the run that erased it (the digest is computed from
    these ids). An erased member stays as a tombstone; this row is what marks it erased."""

    run = models.ForeignKey(ErasureRun, on_delete=models.PROTECT, related_name="records")
    category = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["record_id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "category", "record_id"], name="erased_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.category}/{self.record_id}"
