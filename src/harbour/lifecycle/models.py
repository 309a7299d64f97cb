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
    situation = models.CharField(max_length=10, blank=True)  # SourceLink.Situation when planned
    candidates = models.JSONField(default=list, blank=True)  # disputed: the accounts a person chooses from
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


class SourceLink(TenantOwned):
    """One record of one HR source and the account it belongs to (midPoint's shadow and its situation).

    The situation says how the record stands against the accounts: ``linked`` (tied to its account),
    ``unlinked`` (an account matches but is not tied yet), ``unmatched`` (no account matches), ``disputed``
    (the number and the address point at different accounts: a person decides) and ``deleted`` (the source
    no longer has the record that was linked)."""

    class Situation(models.TextChoices):
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Unlinked")
        UNMATCHED = "unmatched", _("Unmatched")
        DISPUTED = "disputed", _("Disputed")
        DELETED = "deleted", _("Deleted")

    source = models.CharField(max_length=10, choices=SyncRun.Source.choices)
    external_id = models.CharField(max_length=200)  # employee number (file, webhook); SCIM externalId
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_links"
    )
    situation = models.CharField(max_length=10, choices=Situation.choices)
    record = models.JSONField(default=dict, blank=True)  # the record as last seen
    fingerprint = models.CharField(
        max_length=40, blank=True
    )  # of ``record`` without its row: cheap to compare
    reason = models.TextField(blank=True)
    last_run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("source", "external_id", "member", "situation", "reason", "decided_by")

    class Meta:
        ordering = ["source", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "source", "external_id"], name="source_link_once")
        ]
        indexes = [
            models.Index(fields=["tenant", "situation"], name="source_link_situation"),
            models.Index(fields=["tenant", "member"], name="source_link_member"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id} ({self.situation})"


class ScimToken(TenantOwned):
    """A bearer token an identity provider (Entra ID's provisioning) uses on ``/scim/v2``.

    In the registry: the token names the company before any company database is chosen. Only a digest is
    kept; the token itself is shown once when minted."""

    lives_with_tenant = False

    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    created_by = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("name", "prefix", "revoked_at")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RoleRule(TenantOwned):
    """Department and/or title → role: what a joiner is given and what a mover keeps.

    A rule matches a member in ``department`` (or its subtree, with ``include_subdepartments``; any
    department when empty) whose title contains ``title_contains`` (any title when empty, case-insensitive).
    The grant covers the member's own department when the role needs a scope."""

    department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    include_subdepartments = models.BooleanField(default=True)
    title_contains = models.CharField(max_length=120, blank=True)
    role = models.ForeignKey("directory.Role", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    audit_fields = ("department", "include_subdepartments", "title_contains", "role", "position")

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"{self.department_id or '*'} / {self.title_contains or '*'} → {self.role_id}"


class RuleGrant(TenantOwned):
    """A role grant a rule made: recomputed when the member moves, removed when no longer justified."""

    rule = models.ForeignKey(RoleRule, on_delete=models.CASCADE, related_name="grants")
    grant = models.OneToOneField("directory.RoleGrant", on_delete=models.CASCADE, related_name="by_rule")

    def __str__(self) -> str:
        return f"{self.rule_id} → {self.grant_id}"
