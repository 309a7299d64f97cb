"""Keeping the operation log: how long (at least 90 days), legal holds, checkpoints and the batched purge.

The purge removes the oldest entries of a company in transactions of at most 1,000 rows, each of which also
moves the chain's verification anchor (``AuditChainHead.base_*``) to the last entry it removed and records a
checkpoint there. A purge killed at any point leaves a log that verifies; running it again finishes the job.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, AuditPolicy, DeletionPermit
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.errors import Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now

PURGE_BATCH = 1000
MAXIMUM_DAYS = 36_500


def policy_of(tenant_id: uuid.UUID) -> AuditPolicy:
    """The company's policy (the default, unsaved, when it never chose one)."""
    policy = AuditPolicy.objects.for_tenant(tenant_id).first()
    return policy if policy is not None else AuditPolicy(tenant_id=tenant_id)


def _saved_policy(tenant_id: uuid.UUID) -> AuditPolicy:
    AuditPolicy.objects.for_tenant(tenant_id).get_or_create(tenant_id=tenant_id)
    return AuditPolicy.objects.for_tenant(tenant_id).select_for_update().get()


@tenant_atomic
def set_retention(actor: Actor, *, days: int) -> AuditPolicy:
    """Keep the company's log ``days`` days (never fewer than 90)."""
    require_permission(actor, "audit.manage", Tenant.objects.get(pk=actor.tenant_id))
    if not AuditPolicy.MINIMUM_DAYS <= days <= MAXIMUM_DAYS:
        raise Invalid(
            _("the operation log is kept between %(min)d and %(max)d days")
            % {"min": AuditPolicy.MINIMUM_DAYS, "max": MAXIMUM_DAYS},
            field="retention_days",
        )
    policy = _saved_policy(actor.tenant_id)
    before = policy.snapshot()
    policy.retention_days = days
    policy.save()
    if policy.snapshot() != before:
        record(actor, "audit.retention_changed", target=policy, before=before, after=policy.snapshot())
    return policy


@tenant_atomic
def set_legal_hold(actor: Actor, *, on: bool, reason: str = "") -> AuditPolicy:
    """While a legal hold is on, nothing is purged, however old."""
    require_permission(actor, "audit.manage", Tenant.objects.get(pk=actor.tenant_id))
    reason = reason.strip()
    if on and not reason:
        raise Invalid(_("say why the log is held (the matter or request)"), field="legal_hold_reason")
    if len(reason) > 300:
        raise Invalid(_("the reason is at most 300 characters"), field="legal_hold_reason")
    policy = _saved_policy(actor.tenant_id)
    before = policy.snapshot()
    policy.legal_hold, policy.legal_hold_reason = on, reason if on else ""
    policy.save()
    kind = "audit.legal_hold_set" if on else "audit.legal_hold_lifted"
    record(actor, kind, target=policy, before=before, after=policy.snapshot())
    return policy


def write_checkpoint(tenant_id: uuid.UUID, *, reason: str = "daily") -> AuditCheckpoint | None:
    """Record where the chain stands now (nothing when it has not moved since the last checkpoint)."""
    with tenant_transaction(tenant_id):
        head = AuditChainHead.objects.for_tenant(tenant_id).select_for_update().first()
        if head is None or head.seq == 0:
            return None
        last = AuditCheckpoint.objects.for_tenant(tenant_id).order_by("-seq").first()
        if last is not None and last.seq == head.seq:
            return None
        return AuditCheckpoint.objects.create(
            tenant_id=tenant_id, seq=head.seq, hash=head.hash, recorded_at=now(), reason=reason
        )


@dataclass
class PurgeReport:
    removed: int = 0
    batches: int = 0
    through_seq: int = 0
    held: bool = False


def companies_with_a_log() -> list[uuid.UUID]:
    """Every company that has written to its log, in whichever database it lives."""
    from harbour.core.tenancy import home_rows

    heads = [head for qs in AuditChainHead.objects.in_every_database() for head in qs.only("tenant_id")]
    return [head.tenant_id for head in home_rows(heads)]


def purge_expired(
    tenant_id: uuid.UUID,
    *,
    at: dt.datetime | None = None,
    batch_size: int = PURGE_BATCH,
    max_batches: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> PurgeReport:
    """Remove entries older than the company's retention, oldest first, ``batch_size`` per transaction."""
    if not 1 <= batch_size <= PURGE_BATCH:
        raise ValueError(f"a purge batch holds 1 to {PURGE_BATCH} entries")
    policy = policy_of(tenant_id)
    report = PurgeReport(held=policy.legal_hold)
    if policy.legal_hold:
        return report
    cutoff = (at or now()) - dt.timedelta(days=policy.retention_days)
    while max_batches is None or report.batches < max_batches:
        removed, through = _purge_batch(tenant_id, cutoff, batch_size)
        if not removed:
            break
        report.removed += removed
        report.batches += 1
        report.through_seq = through
        if progress is not None:
            progress(removed)
    if report.removed:
        with tenant_transaction(tenant_id):
            record(
                SystemActor(tenant_id, "retention purge"),
                "audit.purged",
                entries=report.removed,
                through_seq=report.through_seq,
                retention_days=policy.retention_days,
            )
    return report


def _purge_batch(tenant_id: uuid.UUID, cutoff: dt.datetime, batch_size: int) -> tuple[int, int]:
    """One transaction: the oldest run of expired entries (at most ``batch_size``), gone; anchor moved."""
    with tenant_transaction(tenant_id) as alias:
        head = AuditChainHead.objects.for_tenant(tenant_id).select_for_update().first()
        if head is None:
            return 0, 0
        oldest = list(
            AuditEvent.objects.for_tenant(tenant_id)
            .filter(seq__gt=head.base_seq)
            .order_by("seq")
            .values_list("seq", "hash", "occurred_at")[:batch_size]
        )
        expired = []
        for seq, digest, occurred_at in oldest:
            if occurred_at >= cutoff:
                break
            expired.append((seq, digest))
        if not expired:
            return 0, 0
        last_seq, last_hash = expired[-1]
        permit = DeletionPermit.objects.create(tenant_id=tenant_id, reason="retention purge")
        expired_rows = AuditEvent.objects.for_tenant(tenant_id).filter(
            seq__gt=head.base_seq, seq__lte=last_seq
        )
        removed, _by_model = expired_rows.delete()
        permit.delete()
        head.base_seq, head.base_hash = last_seq, last_hash
        head.save(update_fields=["base_seq", "base_hash"], using=alias)
        AuditCheckpoint.objects.create(
            tenant_id=tenant_id, seq=last_seq, hash=last_hash, recorded_at=now(), reason="purge"
        )
        # Checkpoints before the anchor cover nothing that is left.
        AuditCheckpoint.objects.for_tenant(tenant_id).filter(seq__lt=last_seq).delete()
        return int(removed), last_seq
