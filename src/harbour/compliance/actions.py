"""Writes of the compliance app: attestations (record, withdraw), posture snapshots (the daily one and the
one a report takes) and the record that a report was generated. Each is permission-checked and audited in
the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.compliance.catalogue import rule
from harbour.compliance.evaluation import Posture, evaluate
from harbour.compliance.models import Attestation, AttestedStatus, PostureSnapshot
from harbour.compliance.queries import MANAGE, VIEW
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.directory.validation import clean_text

REASON_MAX = 2000
EVIDENCE_REF_MAX = 300
REVIEW_WITHIN_DAYS = 3 * 366
REPORT_FORMATS = ("html", "pdf")


def _require(actor: Actor, code: str) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, code, tenant)
    return tenant


def _member_of(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def actor_name(actor: Actor) -> str:
    """A member by name (the cover of a report, an attestation); the system by its label."""
    member = _member_of(actor)
    return (member.name if member else actor.actor_label)[:200]


# ---------------------------------------------------------------------------------------- attestations
@tenant_atomic
def record_attestation(
    actor: Actor,
    *,
    rule_id: str,
    status: str,
    reason: str,
    review_by: dt.date | None,
    evidence_ref: str = "",
) -> Attestation:
    """An officer states that a rule is met or does not apply, and why. One statement per rule is in force:
    withdraw it to record another. The computed status is unchanged (a gap stays a gap)."""
    _require(actor, MANAGE)
    rule_id = (rule_id or "").strip()
    if rule(rule_id) is None:
        raise Invalid(_("no such rule in the catalogue: %(id)s") % {"id": rule_id or "—"}, field="rule_id")
    if status not in AttestedStatus.values:
        raise Invalid(_("an attestation says the rule is met or not applicable"), field="status")
    reason = clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    evidence_ref = clean_text(evidence_ref, field="evidence_ref", max_length=EVIDENCE_REF_MAX)
    today = today_in_hong_kong()
    if review_by is None:
        raise Invalid(_("give the day by which the statement is reviewed again"), field="review_by")
    if review_by <= today:
        raise Invalid(_("the review date must be after today"), field="review_by")
    if review_by > today + dt.timedelta(days=REVIEW_WITHIN_DAYS):
        raise Invalid(_("review the statement within three years"), field="review_by")
    current = Attestation.objects.for_tenant(actor.tenant_id).filter(
        rule_id=rule_id, withdrawn_at__isnull=True
    )
    if current.exists():
        raise Conflict(
            _("an attestation for %(id)s is in force: withdraw it before recording another")
            % {"id": rule_id},
            field="rule_id",
        )
    member = _member_of(actor)
    attestation = Attestation.objects.create(
        tenant_id=actor.tenant_id,
        rule_id=rule_id,
        status=status,
        reason=reason,
        evidence_ref=evidence_ref,
        review_by=review_by,
        recorded_by=member,
        recorded_by_name=actor_name(actor),
    )
    record(actor, "compliance.attestation_recorded", target=attestation, after=attestation.snapshot())
    return attestation


@tenant_atomic
def withdraw_attestation(actor: Actor, attestation: Attestation, *, reason: str = "") -> Attestation:
    """The statement no longer holds: it stays on record, marked withdrawn."""
    _require(actor, MANAGE)
    if attestation.tenant_id != actor.tenant_id:
        raise Invalid(_("no such attestation"), field="attestation_id")
    reason = clean_text(reason, field="reason", max_length=REASON_MAX)
    locked = Attestation.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=attestation.pk)
    if locked.withdrawn_at is not None:
        raise Conflict(_("this attestation has been withdrawn already"), field="attestation_id")
    before = locked.snapshot()
    locked.withdrawn_at = now()
    locked.withdrawn_by_name = actor_name(actor)
    locked.withdrawal_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by_name", "withdrawal_reason", "updated_at"])
    record(
        actor,
        "compliance.attestation_withdrawn",
        target=locked,
        before=before,
        after=locked.snapshot(),
        reason=reason,
    )
    return locked


# ------------------------------------------------------------------------------------------ snapshots
def _store(actor: Actor, posture: Posture, *, refresh: bool) -> tuple[PostureSnapshot, bool]:
    """Today's snapshot (Hong Kong day). ``refresh`` replaces an existing one with ``posture``; otherwise an
    existing snapshot is kept as it is (the daily job runs again without effect)."""
    day = today_in_hong_kong()
    rows = PostureSnapshot.objects.for_tenant(actor.tenant_id)
    existing = rows.select_for_update().filter(day=day).first()
    if existing is not None and not refresh:
        return existing, False
    values: dict[str, Any] = {"taken_at": now(), "counts": posture.counts(), "rules": posture.as_json()}
    if existing is None:
        snapshot = PostureSnapshot.objects.create(tenant_id=actor.tenant_id, day=day, **values)
    else:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save(update_fields=[*values, "updated_at"])
        snapshot = existing
    record(actor, "compliance.snapshot_taken", target=snapshot, after=snapshot.snapshot())
    return snapshot, existing is None


@tenant_atomic
def take_snapshot(actor: Actor, *, refresh: bool = True) -> tuple[PostureSnapshot, bool]:
    """Record the company's posture for today; ``(snapshot, created)``. The daily job passes
    ``refresh=False`` so it writes one snapshot per company per Hong Kong day and nothing on a rerun."""
    _require(actor, MANAGE)
    return _store(actor, evaluate(actor.tenant_id), refresh=refresh)


@tenant_atomic
def generate_report(actor: Actor, *, fmt: str) -> PostureSnapshot:
    """A report is printed from today's snapshot, taken afresh so it shows the posture now; the generation
    is audited (who, when, which format)."""
    _require(actor, VIEW)
    if fmt not in REPORT_FORMATS:
        raise Invalid(_("the report is HTML or PDF"), field="format")
    snapshot, _created = _store(actor, evaluate(actor.tenant_id), refresh=True)
    record(actor, "compliance.report_generated", target=snapshot, format=fmt, day=snapshot.day.isoformat())
    return snapshot


@tenant_atomic
def record_report(actor: Actor, snapshot: PostureSnapshot, *, fmt: str) -> None:
    """A report printed again from a stored snapshot (its day's posture, as recorded)."""
    _require(actor, VIEW)
    if fmt not in REPORT_FORMATS:
        raise Invalid(_("the report is HTML or PDF"), field="format")
    record(actor, "compliance.report_generated", target=snapshot, format=fmt, day=snapshot.day.isoformat())
