"""Writes of security incidents: open (by the system or a person), add evidence, take or assign ownership,
note, report to IT compliance, resolve, dismiss, and flag the overdue ones. Every write is audited with
before and after.

The register is generic so that later rules (personal-data breaches, critical-infrastructure clocks) can use
it as it is: the kind and severity are data, what was seen is kept in ``evidence`` (a list of JSON objects,
each with a ``type``), and the reporting deadline is stored (``report_due_at``), not derived.

States: open → reported (summary required; stops the clock) → resolved; open or reported → dismissed
(harmless; a reason is required). A real incident cannot be resolved before it was reported.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.audit.actions import record
from harbour.core.databases import database_for, tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, can, require_permission
from harbour.core.time import local, now
from harbour.directory.models import Member, MemberState, Role, RoleGrant
from harbour.security.incident_clock import ci_overdue, overdue_incidents, pcpd_overdue
from harbour.security.models import (
    INCIDENT_REPORTING_HOURS,
    Incident,
    IncidentKind,
    IncidentNote,
    IncidentState,
    Severity,
)
from harbour.security.notices import post_notice

MANAGE = "incident.manage"
BREACH_LAST_STEP = 5  # DBN-GUIDE-2023: the fifth step, documenting the breach
# What an evidence item's ``rule`` or ``type`` means, for people: apps that add evidence register theirs
# (the identity app its risk rules), so the register can show them without knowing those apps.
EVIDENCE_LABELS: dict[str, Promise | str] = {}
MAX_TEXT = 5000
MAX_EVIDENCE_ITEMS = 500
SEVERITY_ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


@dataclass(frozen=True)
class Register:
    """The company's incident register as a permission target: incident codes are company-wide (an
    incident's ``owner`` field is a person, not the permission protocol's owner)."""

    tenant_id: uuid.UUID

    def permission_paths(self) -> tuple[str, ...]:
        return ()

    def owner_id(self) -> uuid.UUID | None:
        return None


def may_manage(actor: Actor, tenant_id: uuid.UUID) -> bool:
    return can(actor, MANAGE, Register(tenant_id))


def _require_manage(actor: Actor, tenant_id: uuid.UUID) -> None:
    require_permission(actor, MANAGE, Register(tenant_id))


def register_evidence_labels(labels: dict[str, Promise | str]) -> None:
    EVIDENCE_LABELS.update(labels)


register_evidence_labels({"self_report": gettext_lazy("Reported by the account's holder")})


def evidence_label(item: dict[str, Any]) -> str:
    code = str(item.get("rule") or item.get("type") or item.get("what") or "")
    return str(EVIDENCE_LABELS.get(code, code or "—"))


def reporting_deadline(detected_at: dt.datetime) -> dt.datetime:
    """The internal reporting clock of the identity rules: 24 hours after detection."""
    return detected_at + dt.timedelta(hours=INCIDENT_REPORTING_HOURS)


def _snapshot(incident: Incident) -> dict[str, Any]:
    """The audited state: the model's audit fields plus who owns it and how it ended."""
    data = incident.snapshot()
    data.update(
        owner=str(incident.owner_id) if incident.owner_id else None,
        subject=str(incident.subject_id) if incident.subject_id else None,
        resolved_at=incident.resolved_at.isoformat() if incident.resolved_at else None,
    )
    return data


def _text(value: Any, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(_("%(field)s is required") % {"field": field}, field=field)
    if len(text) > limit:
        raise Invalid(
            _("%(field)s is longer than %(limit)d characters") % {"field": field, "limit": limit}, field=field
        )
    return text


def _choice(value: str, choices: type[Severity] | type[IncidentKind], field: str) -> str:
    if value not in choices.values:
        raise Invalid(
            _("%(value)r is not one of %(choices)s") % {"value": value, "choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def _next_reference(tenant_id: uuid.UUID, detected_at: dt.datetime) -> str:
    """``INC-<year>-<nnnn>``, numbered per company and Hong Kong year. The company row is locked, so two
    incidents opened at once cannot take the same number."""
    Tenant.objects.select_for_update().filter(pk=tenant_id).first()
    prefix = f"INC-{local(detected_at).year}-"
    taken = Incident.objects.for_tenant(tenant_id).filter(reference__startswith=prefix)
    numbers = [
        int(r[len(prefix) :]) for r in taken.values_list("reference", flat=True) if r[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _clean_evidence(items: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list | tuple) or not all(isinstance(i, dict) for i in items):
        raise Invalid(_("evidence must be a list of objects"), field="evidence")
    if len(items) > MAX_EVIDENCE_ITEMS:
        raise Invalid(_("at most %(n)d evidence items") % {"n": MAX_EVIDENCE_ITEMS}, field="evidence")
    return [dict(i) for i in items]


def _author(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def _note(incident: Incident, actor: Actor, text: str) -> IncidentNote:
    return IncidentNote.objects.create(
        tenant_id=incident.tenant_id, incident=incident, author=_author(actor), text=text
    )


def _create(
    actor: Actor,
    *,
    kind: str,
    severity: str,
    title: str,
    subject: Member | None,
    evidence: list[dict[str, Any]],
    detected_at: dt.datetime,
    report_due_at: dt.datetime,
    description: str,
) -> Incident:
    incident = Incident.objects.create(
        tenant_id=actor.tenant_id,
        reference=_next_reference(actor.tenant_id, detected_at),
        kind=kind,
        severity=severity,
        title=title,
        subject=subject,
        evidence=evidence,
        detected_at=detected_at,
        report_due_at=report_due_at,
    )
    if description:
        _note(incident, actor, description)
    record(actor, "incident.opened", target=incident, after=_snapshot(incident), evidence_items=len(evidence))
    _tell_opened(actor, incident)
    return incident


@tenant_atomic
def open_incident(
    actor: Actor,
    *,
    kind: str,
    severity: str,
    title: str,
    subject: Member | None = None,
    evidence: Sequence[dict[str, Any]] | None = None,
    description: str = "",
    detected_at: dt.datetime | None = None,
    report_due_at: dt.datetime | None = None,
) -> Incident:
    """Open an incident (the system, or a person holding ``incident.manage``). The clock starts at
    detection; the deadline is 24 hours later unless the caller's rule sets another."""
    _require_manage(actor, actor.tenant_id)
    kind = _choice(kind, IncidentKind, "kind")
    severity = _choice(severity, Severity, "severity")
    title = _text(title, "title", limit=200)
    description = _text(description, "description", required=False)
    cleaned = _clean_evidence(evidence)
    if subject is not None and subject.tenant_id != actor.tenant_id:
        raise Invalid(_("no such member"), field="subject_id")
    detected_at = detected_at or now()
    due = report_due_at or reporting_deadline(detected_at)
    if due <= detected_at:
        raise Invalid(_("the reporting deadline must come after the detection"), field="report_due_at")
    return _create(
        actor,
        kind=kind,
        severity=severity,
        title=title,
        subject=subject,
        evidence=cleaned,
        detected_at=detected_at,
        report_due_at=due,
        description=description,
    )


@tenant_atomic
def report_own_account_compromised(member: Member, *, description: str) -> Incident:
    """A member says their own account is compromised: any signed-in member may; same 24-hour clock.
    (Ending their other sessions is the caller's part: ``identity.self_report``.)"""
    description = _text(description, "description")
    at = now()
    return _create(
        member,
        kind=IncidentKind.SELF_REPORTED,
        severity=Severity.HIGH,
        title=_("%(name)s reported their account compromised") % {"name": member.name},
        subject=member,
        evidence=[{"type": "self_report", "at": at.isoformat(), "member": str(member.pk)}],
        detected_at=at,
        report_due_at=reporting_deadline(at),
        description=description,
    )


@tenant_atomic
def add_evidence(
    actor: Actor, incident: Incident, items: Sequence[dict[str, Any]], *, severity: str | None = None
) -> Incident:
    """More of what was seen (a later risk event for the same member and rule). Raises the severity when
    the new evidence is graver; never lowers it. The clock is not restarted."""
    _require_manage(actor, incident.tenant_id)
    cleaned = _clean_evidence(items)
    if not cleaned:
        return incident
    incident = Incident.objects.for_tenant(incident.tenant_id).select_for_update().get(pk=incident.pk)
    before = _snapshot(incident)
    incident.evidence = [*incident.evidence, *cleaned][-MAX_EVIDENCE_ITEMS:]
    if severity is not None and SEVERITY_ORDER.index(Severity(severity)) > SEVERITY_ORDER.index(
        Severity(incident.severity)
    ):
        incident.severity = severity
    incident.save(update_fields=["evidence", "severity", "updated_at"])
    record(
        actor,
        "incident.evidence_added",
        target=incident,
        before=before,
        after=_snapshot(incident),
        evidence_items=len(cleaned),
    )
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.for_tenant(incident.tenant_id).select_for_update().get(pk=incident.pk)


def _require_not_closed(incident: Incident) -> None:
    if incident.state in (IncidentState.RESOLVED, IncidentState.DISMISSED):
        raise Conflict(
            _("the incident is %(state)s; it can no longer change") % {"state": incident.get_state_display()},
            field="state",
        )


@tenant_atomic
def assign_owner(actor: Actor, incident: Incident, owner: Member | None) -> Incident:
    """Give the incident to someone who may handle incidents (``None``: nobody owns it)."""
    _require_manage(actor, incident.tenant_id)
    incident = _locked(incident)
    _require_not_closed(incident)
    if owner is not None and (
        owner.tenant_id != incident.tenant_id
        or owner.state != MemberState.ACTIVE
        or not may_manage(owner, incident.tenant_id)
    ):
        raise Invalid(_("the owner must be an active member who may handle incidents"), field="owner_id")
    if incident.owner_id == (owner.pk if owner else None):
        return incident
    before = _snapshot(incident)
    incident.owner = owner
    incident.save(update_fields=["owner", "updated_at"])
    if owner is None:
        _note(incident, actor, _("Ownership released."))
    elif _author(actor) == owner:
        _note(incident, actor, _("Took ownership."))
    else:
        _note(incident, actor, _("Assigned to %(name)s.") % {"name": owner.name})
    record(actor, "incident.owner_changed", target=incident, before=before, after=_snapshot(incident))
    return incident


def take_ownership(actor: Member, incident: Incident) -> Incident:
    return assign_owner(actor, incident, actor)


@tenant_atomic
def add_note(actor: Actor, incident: Incident, text: str) -> IncidentNote:
    _require_manage(actor, incident.tenant_id)
    text = _text(text, "text")
    note = _note(incident, actor, text)
    record(actor, "incident.noted", target=incident, note=text[:500])
    return note


@tenant_atomic
def report_incident(actor: Actor, incident: Incident, *, summary: str) -> Incident:
    """Report to IT compliance: the summary is what was sent. Stops the reporting clock."""
    _require_manage(actor, incident.tenant_id)
    summary = _text(summary, "summary")
    incident = _locked(incident)
    if incident.state != IncidentState.OPEN:
        raise Conflict(
            _("only an open incident can be reported; this one is %(state)s")
            % {"state": incident.get_state_display()},
            field="state",
        )
    before = _snapshot(incident)
    incident.state = IncidentState.REPORTED
    incident.reported_at = now()
    incident.reported_by = _author(actor)
    incident.report_summary = summary
    incident.save(update_fields=["state", "reported_at", "reported_by", "report_summary", "updated_at"])
    record(
        actor,
        "incident.reported",
        target=incident,
        before=before,
        after=_snapshot(incident),
        summary=summary[:500],
    )
    return incident


def _close(actor: Actor, incident: Incident, state: str, text: str, field: str, kind: str) -> Incident:
    _require_manage(actor, incident.tenant_id)
    text = _text(text, field)
    incident = _locked(incident)
    _require_not_closed(incident)
    if state == IncidentState.RESOLVED and incident.state != IncidentState.REPORTED:
        raise Conflict(_("report the incident to IT compliance before resolving it"), field="state")
    if incident.is_breach and incident.breach_step < BREACH_LAST_STEP:
        raise Conflict(
            _("a personal-data breach cannot be closed before step 5 (document the breach) is completed"),
            field="breach_step",
        )
    before = _snapshot(incident)
    incident.state = state
    incident.resolved_at = now()
    incident.resolution = text
    incident.save(update_fields=["state", "resolved_at", "resolution", "updated_at"])
    record(actor, kind, target=incident, before=before, after=_snapshot(incident), reason=text[:500])
    return incident


@tenant_atomic
def resolve_incident(actor: Actor, incident: Incident, *, resolution: str) -> Incident:
    return _close(actor, incident, IncidentState.RESOLVED, resolution, "resolution", "incident.resolved")


@tenant_atomic
def dismiss_incident(actor: Actor, incident: Incident, *, reason: str) -> Incident:
    """Harmless after all (the member was travelling): closes it, and stops the clock, without a report."""
    return _close(actor, incident, IncidentState.DISMISSED, reason, "reason", "incident.dismissed")


# ------------------------------------------------------------------------------------------------ overdue
def incident_handlers(tenant_id: uuid.UUID) -> list[Member]:
    """Active members holding ``incident.manage`` company-wide (from a live grant of a role that has it)."""
    role_ids = [
        r.pk for r in Role.objects.for_tenant(tenant_id).only("permissions") if MANAGE in r.permissions
    ]
    grants = (
        RoleGrant.objects.for_tenant(tenant_id)
        .filter(role_id__in=role_ids, scope__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
    )
    member_ids = set(grants.values_list("member_id", flat=True))
    return list(
        Member.objects.for_tenant(tenant_id)
        .filter(pk__in=member_ids, state=MemberState.ACTIVE)
        .order_by("name")
    )


def _recipients(incident: Incident) -> list[Member]:
    owner = incident.owner
    if owner is not None and owner.state == MemberState.ACTIVE:
        return [owner]
    return incident_handlers(incident.tenant_id)


def incident_url(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _tell_opened(actor: Actor, incident: Incident) -> None:
    """Whoever handles incidents learns of a new one at once (console notice; email after the commit, so a
    mail server that is down never loses the incident), the clock being short."""
    recipients = [m for m in incident_handlers(incident.tenant_id) if m.pk != actor.actor_id]
    if not recipients:
        return
    title = _("New security incident %(reference)s: %(title)s") % {
        "reference": incident.reference,
        "title": incident.title,
    }
    body = _("Report it to IT compliance by %(due)s (Hong Kong time).") % {
        "due": local(incident.report_due_at).strftime("%Y-%m-%d %H:%M")
    }
    url = incident_url(incident)
    post_notice(recipients, title=title, body=body, url=url)
    addresses = [m.email for m in recipients if m.email]
    link = f"{settings.HARBOUR_BASE_URL.rstrip('/')}{url}"
    transaction.on_commit(
        lambda: send_mail(title[:200], f"{body}\n\n{link}\n", None, addresses, fail_silently=True),
        using=database_for(incident.tenant_id),
    )


def _tell_overdue(incident: Incident) -> int:
    recipients = _recipients(incident)
    title = _("%(reference)s is overdue: report it to IT compliance") % {"reference": incident.reference}
    body = _(
        "The security incident %(reference)s (%(title)s) was due to be reported to IT compliance by "
        "%(due)s (Hong Kong time) and has not been."
    ) % {
        "reference": incident.reference,
        "title": incident.title,
        "due": local(incident.report_due_at).strftime("%Y-%m-%d %H:%M"),
    }
    url = incident_url(incident)
    post_notice(recipients, title=title, body=body, url=url)
    addresses = [m.email for m in recipients if m.email]
    if addresses:
        # Sent inside the transaction: if the mail server refuses, nothing is marked and the next run tries
        # again (a rare duplicate is better than a silent miss).
        send_mail(title, f"{body}\n\n{settings.HARBOUR_BASE_URL.rstrip('/')}{url}\n", None, addresses)
    return len(recipients)


def _tell_late(incident: Incident, title: str, body: str) -> int:
    recipients = _recipients(incident)
    url = incident_url(incident)
    post_notice(recipients, title=title, body=body, url=url)
    addresses = [m.email for m in recipients if m.email]
    if addresses:
        send_mail(title, f"{body}\n\n{settings.HARBOUR_BASE_URL.rstrip('/')}{url}\n", None, addresses)
    return len(recipients)


def _flag_other_clocks(actor: SystemActor, at: dt.datetime) -> list[Incident]:
    """The clocks beside the internal one: the report to the CI Commissioner (CI-CAP653) and, while the
    company has the proposal on, the drafted PCPD notice (DBN-PROPOSALS). Each alerts once."""
    flagged = []
    for incident in (
        ci_overdue(actor.tenant_id, at).filter(ci_overdue_notified_at__isnull=True).select_for_update()
    ):
        before = _snapshot(incident)
        incident.ci_overdue_notified_at = at
        incident.save(update_fields=["ci_overdue_notified_at", "updated_at"])
        due = local(incident.ci_report_due_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
        told = _tell_late(
            incident,
            _("%(reference)s is overdue: report it to the Commissioner of Critical Infrastructure")
            % {"reference": incident.reference},
            _(
                "The incident %(reference)s (%(title)s) affects a critical computer system and was due to be "
                "reported to the Commissioner by %(due)s (Hong Kong time) under Cap. 653."
            )
            % {"reference": incident.reference, "title": incident.title, "due": due},
        )
        record(
            actor,
            "incident.ci_overdue",
            target=incident,
            before=before,
            after=_snapshot(incident),
            notified=told,
        )
        flagged.append(incident)
    pending = pcpd_overdue(actor.tenant_id, at).filter(pcpd_overdue_notified_at__isnull=True, is_breach=True)
    for incident in pending.select_for_update():
        before = _snapshot(incident)
        incident.pcpd_overdue_notified_at = at
        incident.save(update_fields=["pcpd_overdue_notified_at", "updated_at"])
        due = local(incident.pcpd_due_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
        told = _tell_late(
            incident,
            _("%(reference)s: the proposed 5-business-day PCPD notice is overdue")
            % {"reference": incident.reference},
            _(
                "The personal-data breach %(reference)s (%(title)s) carries a real risk of significant "
                "harm. Under the proposed rules your company has switched on (not in force), the PCPD was to "
                "be notified by %(due)s (Hong Kong time)."
            )
            % {"reference": incident.reference, "title": incident.title, "due": due},
        )
        record(
            actor,
            "breach.pcpd_overdue",
            target=incident,
            before=before,
            after=_snapshot(incident),
            notified=told,
        )
        flagged.append(incident)
    return flagged


@tenant_atomic
def flag_overdue_incidents(actor: SystemActor, *, at: dt.datetime | None = None) -> list[Incident]:
    """Mark incidents that became overdue since the last run, tell their owner (or every incident handler
    when nobody owns one) by email and console notice. Each clock is flagged once: a second run finds
    nothing. Besides the internal 24-hour clock, the CI and proposed PCPD clocks alert the same way."""
    _require_manage(actor, actor.tenant_id)
    at = at or now()
    flagged = []
    due = overdue_incidents(actor.tenant_id, at).filter(overdue_notified_at__isnull=True)
    for incident in due.select_for_update():
        before = _snapshot(incident)
        incident.overdue_notified_at = at
        incident.save(update_fields=["overdue_notified_at", "updated_at"])
        told = _tell_overdue(incident)
        record(
            actor,
            "incident.overdue",
            target=incident,
            before=before,
            after=_snapshot(incident),
            notified=told,
        )
        flagged.append(incident)
    flagged.extend(_flag_other_clocks(actor, at))
    return flagged
