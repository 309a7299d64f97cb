"""The operation log: append-only, hash-chained per tenant."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from harbour.audit.kinds import KINDS
from harbour.core.tenancy import TenantManager


class AuditEvent(models.Model):
    """One thing that happened. The actor is kept apart from the target; both are ids plus a label
    taken at the time, so the entry stays readable after the member or object is gone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Every read is within one tenant, so the indexes lead with it (and (tenant, seq) covers the key).
    tenant = models.ForeignKey("core.Tenant", on_delete=models.CASCADE, related_name="+", db_index=False)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=80)
    actor_type = models.CharField(max_length=16)  # member | system | anonymous
    actor_id = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The member the event is about (the target member, a grant's holder, a token's owner), for "what
    # happened to people in this department" searches. Derived from the target, so not part of the hash.
    subject_id = models.UUIDField(null=True, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = TenantManager()
    lives_with_tenant = True  # the log is kept in the company's own database (core.databases)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["tenant", "seq"], name="audit_event_tenant_seq")]
        indexes = [
            models.Index(fields=["tenant", "occurred_at"], name="audit_tenant_time"),
            models.Index(fields=["tenant", "kind", "occurred_at"], name="audit_tenant_kind"),
            models.Index(fields=["tenant", "actor_id", "occurred_at"], name="audit_tenant_actor"),
            models.Index(fields=["tenant", "target_id", "occurred_at"], name="audit_tenant_target"),
            models.Index(fields=["tenant", "subject_id", "occurred_at"], name="audit_tenant_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")

    @property
    def kind_description(self) -> str:
        """What happened, in the active language; the dotted kind if it was never registered."""
        kind = KINDS.get(self.kind)
        return str(kind.description) if kind is not None else self.kind


class AuditChainHead(models.Model):
    """The newest link of a tenant's chain; its row lock serialises writers of one tenant."""

    lives_with_tenant = True

    tenant = models.OneToOneField("core.Tenant", on_delete=models.CASCADE, primary_key=True, related_name="+")
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # Where verification starts: the last entry removed by the retention purge (0 and the genesis hash
    # while nothing has been purged). Every daily checkpoint after it must still match the chain.
    base_seq = models.BigIntegerField(default=0)
    base_hash = models.CharField(max_length=64, default="0" * 64)

    objects = TenantManager()

    def __str__(self) -> str:
        return f"chain head #{self.seq}"


class AuditCheckpoint(models.Model):
    """The chain head as it stood at a moment (daily, and at every purge): evidence kept apart from the
    entries, so an entry altered or removed later no longer matches a checkpoint that covered it."""

    lives_with_tenant = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("core.Tenant", on_delete=models.CASCADE, related_name="+", db_index=False)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    reason = models.CharField(max_length=16)  # daily | purge

    objects = TenantManager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["tenant", "seq"], name="audit_checkpoint_seq")]

    def __str__(self) -> str:
        return f"checkpoint #{self.seq} ({self.reason})"


class AuditPolicy(models.Model):
    """How long a company keeps its operation log, and whether a legal hold stops all purging."""

    lives_with_tenant = True
    MINIMUM_DAYS = 90
    DEFAULT_DAYS = 180

    tenant = models.OneToOneField("core.Tenant", on_delete=models.CASCADE, primary_key=True, related_name="+")
    retention_days = models.PositiveIntegerField(default=DEFAULT_DAYS)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    audit_fields = ("retention_days", "legal_hold", "legal_hold_reason")

    def __str__(self) -> str:
        return f"keep {self.retention_days} days" + (" (legal hold)" if self.legal_hold else "")

    def snapshot(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.audit_fields}


class DeletionPermit(models.Model):
    """Database triggers refuse to delete a company's log entries unless a permit for that company exists
    in the same transaction: only the retention purge and a move between databases write one."""

    lives_with_tenant = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("core.Tenant", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    def __str__(self) -> str:
        return f"permit ({self.reason})"
