"""HR sync runs: a planned (dry-run) set of changes and, once applied, what happened to each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.fields import SealedCharField
from harbour.core.tenancy import TenantOwned


class SyncRun(TenantOwned):
    """One import from an HR source: planned first, applied on request, resumable after a crash."""

    class Source(models.TextChoices):
        FILE = "file", _("File (CSV or XLSX)")
        SCIM = "scim", _("SCIM 2.0")
        WEBHOOK = "webhook", _("HR webhook")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned (dry run)")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FILE)
    filename = models.CharField(max_length=255, blank=True)
    full_export = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    counts = models.JSONField(default=dict, blank=True)  # planned: kind → n; applied: outcome → n
    started_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("source", "filename", "full_export", "state", "counts")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename}".strip()


class SyncItem(TenantOwned):
    """One planned change: what the record says, the account it concerns, and the outcome once applied."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not applied yet")
        APPLIED = "applied", _("Applied")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")
        WAITING = "waiting", _("Waiting for a person")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)  # create, update, move, leave, link, disputed, unchanged, absent
    row = models.PositiveIntegerField(null=True, blank=True)
    member_id = models.UUIDField(null=True, blank=True)
    label = models.CharField(max_length=300, blank=True)
    record = models.JSONField(default=dict, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="sync_item_position")]
        indexes = [models.Index(fields=["tenant", "run", "outcome"], name="sync_item_pending")]

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"


class Departure(TenantOwned):
    """A leaver's record: who took over, when the account is deactivated, and until when the former
    employee's data may be kept (HR-FORMER-7Y: up to 7 years from the end of employment)."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="departures")
    left_on = models.DateField()
    successor = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deactivate_on = models.DateField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
    erase_by = models.DateField()
    handover = models.JSONField(default=dict, blank=True)  # hook → what it handed over
    rehired_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("left_on", "successor", "deactivate_on", "erase_by", "handover", "rehired_at")

    class Meta:
        ordering = ["-left_on"]
        indexes = [models.Index(fields=["tenant", "deactivate_on"], name="departure_due")]

    def __str__(self) -> str:
        return f"{self.member_id} left {self.left_on}"


class HrWebhook(TenantOwned):
    """The address an HR system posts hire/transfer/leave/rehire events to, with its signing secret.

    In the registry: the request names the webhook before any company is known."""

    lives_with_tenant = False

    secret = SealedCharField(max_length=255)
    enabled = models.BooleanField(default=True)
    last_received_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("enabled",)

    def __str__(self) -> str:
        return f"HR webhook {self.pk}"


class HrWebhookDelivery(TenantOwned):
    """An event id already received: a replay of it is refused (kept for the signature window and beyond)."""

    lives_with_tenant = False

    webhook = models.ForeignKey(HrWebhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=20)
    run = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return self.event_id
