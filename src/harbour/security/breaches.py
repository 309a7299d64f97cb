"""Writes of personal-data breaches and critical-infrastructure clocks on the incident register.

A breach follows the PCPD's five steps (DBN-GUIDE-2023), in order, each completed once with its required
fields: 1 gather essential information, 2 contain, 3 assess the risk of harm (likelihood × severity), 4
decide on notification (PCPD, individuals, others: yes or no each, with a written rationale), 5 document.
The incident cannot be closed before step 5 (``incidents._close`` asks ``may_close``).

A designated critical-infrastructure operator's incident of a critical computer system gets its own
report-to-Commissioner clock (CI-CAP653: 12 or 48 hours). The proposed 5-business-day PCPD notice
(DBN-PROPOSALS, not law) is set only while the company has switched the proposal on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, can, require_permission
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.security.incident_clock import CLOSED_STATES, ci_deadline, proposed_pcpd_deadline
from harbour.security.incidents import (
    Register,
    _locked,
    _note,
    _require_manage,
    _require_not_closed,
    _snapshot,
    _text,
    open_incident,
)
from harbour.security.models import BreachStep, Incident, SecuritySettings
from harbour.security.queries import settings_of

BREACH = "incident.breach"
Step = BreachStep.Step
MAX_AFFECTED = 100_000_000


class DataKind(TextChoices):
    IDENTITY = "identity", gettext_lazy("Names and identity document numbers (HKID, passport)")
    CONTACT = "contact", gettext_lazy("Contact details (address, phone, email)")
    EMPLOYMENT = "employment", gettext_lazy("Employment records (attendance, appraisal, salary)")
    FINANCIAL = "financial", gettext_lazy("Financial data (bank accounts, card numbers)")
    HEALTH = "health", gettext_lazy("Health or medical data")
    LOCATION = "location", gettext_lazy("Location data")
    CREDENTIALS = "credentials", gettext_lazy("Sign-in credentials")
    COMMUNICATIONS = "communications", gettext_lazy("Messages and files")
    BIOMETRIC = "biometric", gettext_lazy("Biometric data")
    OTHER = "other", gettext_lazy("Other personal data")


class Harm(TextChoices):
    IDENTITY_THEFT = "identity_theft", gettext_lazy("Identity theft")
    FINANCIAL_LOSS = "financial_loss", gettext_lazy("Financial loss")
    HUMILIATION = "humiliation", gettext_lazy("Humiliation or loss of dignity")
    EMPLOYMENT = "employment", gettext_lazy("Loss of business or employment opportunities")
    PHYSICAL = "physical", gettext_lazy("Physical harm or threats to safety")
    DOXXING = "doxxing", gettext_lazy("Doxxing or harassment")
    OTHER = "other", gettext_lazy("Other harm")


LIKELIHOOD = {
    1: gettext_lazy("Unlikely"),
    2: gettext_lazy("Possible"),
    3: gettext_lazy("Likely"),
}
SEVERITY = {
    1: gettext_lazy("Minor"),
    2: gettext_lazy("Serious"),
    3: gettext_lazy("Severe"),
}


class RiskLevel(TextChoices):
    LOW = "low", gettext_lazy("Low")
    MEDIUM = "medium", gettext_lazy("Medium")
    HIGH = "high", gettext_lazy("High: real risk of significant harm")


def risk_level(score: int) -> str:
    """Likelihood (1–3) × severity (1–3): 1–2 low, 3–4 medium, 6–9 high. A high level is what the
    proposed rules call a real risk of significant harm."""
    if score >= 6:
        return RiskLevel.HIGH
    if score >= 3:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def may_handle_breaches(actor: Actor, tenant_id: uuid.UUID) -> bool:
    return can(actor, BREACH, Register(tenant_id))


def _require_breach(actor: Actor, tenant_id: uuid.UUID) -> None:
    require_permission(actor, BREACH, Register(tenant_id))


def _author(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


# ------------------------------------------------------------------------------------------- validation
def _kinds(values: Sequence[str] | None, *, required: bool) -> list[str]:
    if values is None:
        values = []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise Invalid(_("data_kinds must be a list"), field="data_kinds")
    unknown = [v for v in values if v not in DataKind.values]
    if unknown:
        raise Invalid(
            _("%(value)r is not one of %(choices)s")
            % {"value": unknown[0], "choices": ", ".join(DataKind.values)},
            field="data_kinds",
        )
    if required and not values:
        raise Invalid(_("name at least one kind of personal data"), field="data_kinds")
    return sorted(set(values), key=DataKind.values.index)


def _affected(value: int | None, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise Invalid(_("affected_estimate is required"), field="affected_estimate")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AFFECTED:
        raise Invalid(
            _("affected_estimate must be a whole number from 0 to %(max)d") % {"max": MAX_AFFECTED},
            field="affected_estimate",
        )
    return value


def _past(value: dt.datetime | None, field: str, *, required: bool = True) -> dt.datetime | None:
    if value is None:
        if required:
            raise Invalid(_("%(field)s is required") % {"field": field}, field=field)
        return None
    if value.tzinfo is None:
        raise Invalid(_("%(field)s needs a time zone") % {"field": field}, field=field)
    if value > now() + dt.timedelta(minutes=5):
        raise Invalid(_("%(field)s cannot be in the future") % {"field": field}, field=field)
    return value


def _scale(value: int, field: str) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3):
        raise Invalid(_("%(field)s must be 1, 2 or 3") % {"field": field}, field=field)
    return value


# --------------------------------------------------------------------------------------------- marking
def _apply_proposal_clock(incident: Incident, rules: SecuritySettings) -> None:
    """Set (or clear) the proposed PCPD notice deadline: only with the proposal on and a high risk."""
    if rules.breach_notice_proposal and incident.is_breach and incident.risk_level == RiskLevel.HIGH:
        if incident.pcpd_due_at is None:
            incident.pcpd_due_at = proposed_pcpd_deadline(incident.breach_marked_at or incident.detected_at)
    elif incident.pcpd_notified_at is None:
        incident.pcpd_due_at = None
        incident.pcpd_overdue_notified_at = None


@tenant_atomic
def mark_breach(
    actor: Actor,
    incident: Incident,
    *,
    data_kinds: Sequence[str] | None = None,
    affected_estimate: int | None = None,
    systems: str = "",
) -> Incident:
    """The incident is (or may be) a personal-data breach: from now on it follows the five steps. What is
    known already may be given; step 1 requires all of it."""
    _require_breach(actor, incident.tenant_id)
    kinds = _kinds(data_kinds, required=False)
    affected = _affected(affected_estimate, required=False)
    systems = _text(systems, "systems", required=False)
    incident = _locked(incident)
    _require_not_closed(incident)
    if incident.is_breach:
        raise Conflict(_("the incident is already marked as a personal-data breach"), field="is_breach")
    before = _snapshot(incident)
    incident.is_breach = True
    incident.breach_marked_at = now()
    incident.data_kinds = kinds
    incident.affected_estimate = affected
    incident.systems = systems
    incident.save(
        update_fields=[
            "is_breach",
            "breach_marked_at",
            "data_kinds",
            "affected_estimate",
            "systems",
            "updated_at",
        ]
    )
    _note(incident, actor, _("Marked as a personal-data breach."))
    record(actor, "breach.marked", target=incident, before=before, after=_snapshot(incident))
    return incident


@tenant_atomic
def open_breach(
    actor: Actor,
    *,
    severity: str,
    title: str,
    kind: str = "other",
    description: str = "",
    subject: Member | None = None,
    evidence: Sequence[dict[str, Any]] | None = None,
    data_kinds: Sequence[str] | None = None,
    affected_estimate: int | None = None,
    systems: str = "",
) -> Incident:
    """Open an incident that is a personal-data breach from the start (one transaction)."""
    _require_breach(actor, actor.tenant_id)
    incident = open_incident(
        actor,
        kind=kind,
        severity=severity,
        title=title,
        description=description,
        subject=subject,
        evidence=evidence,
    )
    return mark_breach(
        actor, incident, data_kinds=data_kinds, affected_estimate=affected_estimate, systems=systems
    )


# ------------------------------------------------------------------------------------------ the steps
def _begin_step(actor: Actor, incident: Incident, step: int) -> Incident:
    _require_breach(actor, incident.tenant_id)
    incident = _locked(incident)
    _require_not_closed(incident)
    if not incident.is_breach:
        raise Conflict(_("mark the incident as a personal-data breach first"), field="is_breach")
    if incident.breach_step >= step:
        raise Conflict(
            _("step %(step)d (%(name)s) is already completed") % {"step": step, "name": Step(step).label},
            field="step",
        )
    if incident.breach_step != step - 1:
        raise Conflict(
            _("complete step %(step)d (%(name)s) first")
            % {"step": incident.breach_step + 1, "name": Step(incident.breach_step + 1).label},
            field="step",
        )
    return incident


def _finish_step(
    actor: Actor,
    incident: Incident,
    step: int,
    data: dict[str, Any],
    notes: str,
    before: dict[str, Any],
    extra_fields: Sequence[str] = (),
) -> Incident:
    done = BreachStep.objects.create(
        tenant_id=incident.tenant_id,
        incident=incident,
        step=step,
        completed_at=now(),
        completed_by=_author(actor),
        data=data,
        notes=notes,
    )
    incident.breach_step = step
    incident.save(update_fields=["breach_step", *extra_fields, "updated_at"])
    _note(
        incident,
        actor,
        _("Breach step %(step)d completed: %(name)s.") % {"step": step, "name": Step(step).label},
    )
    record(
        actor,
        "breach.step_completed",
        target=incident,
        before=before,
        after=_snapshot(incident),
        step=step,
        data=done.data,
        notes=notes[:500],
    )
    return incident


@tenant_atomic
def gather_information(
    actor: Actor,
    incident: Incident,
    *,
    occurred_at: dt.datetime | None,
    how: str,
    data_kinds: Sequence[str] | None,
    affected_estimate: int | None,
    systems: str,
    notes: str = "",
) -> Incident:
    """Step 1: how it happened, when, what data, how many people, which systems."""
    how = _text(how, "how")
    occurred = _past(occurred_at, "occurred_at")
    kinds = _kinds(data_kinds, required=True)
    affected = _affected(affected_estimate, required=True)
    systems = _text(systems, "systems")
    notes = _text(notes, "notes", required=False)
    incident = _begin_step(actor, incident, Step.GATHER)
    before = _snapshot(incident)
    incident.breach_occurred_at = occurred
    incident.data_kinds = kinds
    incident.affected_estimate = affected
    incident.systems = systems
    data = {"how": how, "occurred_at": occurred.isoformat() if occurred else None}
    return _finish_step(
        actor,
        incident,
        Step.GATHER,
        data,
        notes,
        before,
        ["breach_occurred_at", "data_kinds", "affected_estimate", "systems"],
    )


@tenant_atomic
def contain_breach(
    actor: Actor, incident: Incident, *, actions: str, contained_at: dt.datetime | None, notes: str = ""
) -> Incident:
    """Step 2: what was done to contain it, and when it was contained."""
    actions = _text(actions, "actions")
    contained = _past(contained_at, "contained_at")
    notes = _text(notes, "notes", required=False)
    incident = _begin_step(actor, incident, Step.CONTAIN)
    before = _snapshot(incident)
    data = {"actions": actions, "contained_at": contained.isoformat() if contained else None}
    return _finish_step(actor, incident, Step.CONTAIN, data, notes, before)


@tenant_atomic
def assess_risk(
    actor: Actor,
    incident: Incident,
    *,
    likelihood: int,
    severity: int,
    harms: Sequence[str],
    reasoning: str,
    notes: str = "",
) -> Incident:
    """Step 3: likelihood × severity gives the risk score and level; the kinds of harm are named."""
    likelihood = _scale(likelihood, "likelihood")
    severity = _scale(severity, "severity")
    if isinstance(harms, str) or not isinstance(harms, list | tuple) or not harms:
        raise Invalid(_("name at least one kind of harm"), field="harms")
    unknown = [h for h in harms if h not in Harm.values]
    if unknown:
        raise Invalid(
            _("%(value)r is not one of %(choices)s")
            % {"value": unknown[0], "choices": ", ".join(Harm.values)},
            field="harms",
        )
    reasoning = _text(reasoning, "reasoning")
    notes = _text(notes, "notes", required=False)
    incident = _begin_step(actor, incident, Step.ASSESS)
    before = _snapshot(incident)
    score = likelihood * severity
    incident.risk_score = score
    incident.risk_level = risk_level(score)
    _apply_proposal_clock(incident, settings_of(incident.tenant_id))
    data = {
        "likelihood": likelihood,
        "severity": severity,
        "score": score,
        "level": incident.risk_level,
        "harms": sorted(set(harms), key=Harm.values.index),
        "reasoning": reasoning,
    }
    return _finish_step(
        actor, incident, Step.ASSESS, data, notes, before, ["risk_score", "risk_level", "pcpd_due_at"]
    )


@tenant_atomic
def decide_notification(
    actor: Actor,
    incident: Incident,
    *,
    notify_pcpd: bool | None,
    notify_individuals: bool | None,
    notify_others: bool | None,
    others: str = "",
    rationale: str,
    pcpd_notified_at: dt.datetime | None = None,
    notes: str = "",
) -> Incident:
    """Step 4: notify the PCPD, the affected individuals, others: yes or no each, with the written
    reasons. The PCPD takes written notifications only (its form), so a yes to the PCPD may record when the
    form was sent; that stops the proposed clock where it runs."""
    for field, value in (
        ("notify_pcpd", notify_pcpd),
        ("notify_individuals", notify_individuals),
        ("notify_others", notify_others),
    ):
        if not isinstance(value, bool):
            raise Invalid(_("%(field)s must be yes or no") % {"field": field}, field=field)
    others = _text(others, "others", required=bool(notify_others), limit=500)
    rationale = _text(rationale, "rationale")
    notes = _text(notes, "notes", required=False)
    sent = _past(pcpd_notified_at, "pcpd_notified_at", required=False)
    if sent is not None and not notify_pcpd:
        raise Invalid(
            _("a notification to the PCPD was sent only if the decision is yes"), field="pcpd_notified_at"
        )
    incident = _begin_step(actor, incident, Step.DECIDE)
    before = _snapshot(incident)
    if sent is not None:
        incident.pcpd_notified_at = sent
    data = {
        "notify_pcpd": notify_pcpd,
        "notify_individuals": notify_individuals,
        "notify_others": notify_others,
        "others": others if notify_others else "",
        "rationale": rationale,
        "pcpd_notified_at": sent.isoformat() if sent else None,
    }
    return _finish_step(actor, incident, Step.DECIDE, data, notes, before, ["pcpd_notified_at"])


@tenant_atomic
def document_breach(
    actor: Actor, incident: Incident, *, facts: str, containment: str, remedial_actions: str, notes: str = ""
) -> Incident:
    """Step 5: the record the PCPD expects: the facts, the containment, the remedial actions. After it the
    incident may be closed."""
    facts = _text(facts, "facts")
    containment = _text(containment, "containment")
    remedial_actions = _text(remedial_actions, "remedial_actions")
    notes = _text(notes, "notes", required=False)
    incident = _begin_step(actor, incident, Step.DOCUMENT)
    before = _snapshot(incident)
    data = {"facts": facts, "containment": containment, "remedial_actions": remedial_actions}
    return _finish_step(actor, incident, Step.DOCUMENT, data, notes, before)


def may_close(incident: Incident) -> str | None:
    """Why the incident may not be closed yet (``None``: it may)."""
    if incident.is_breach and incident.breach_step < Step.DOCUMENT:
        return _("a personal-data breach cannot be closed before step 5 (document the breach) is completed")
    return None


def steps_of(incident: Incident) -> dict[int, BreachStep]:
    return {
        s.step: s
        for s in BreachStep.objects.for_tenant(incident.tenant_id)
        .filter(incident=incident)
        .select_related("completed_by")
    }


# ------------------------------------------------------------------------------ critical infrastructure
@tenant_atomic
def set_critical_system(
    actor: Actor, incident: Incident, *, affects_critical_system: bool, core_function_disrupted: bool
) -> Incident:
    """A designated CI operator flags an incident as affecting a critical computer system: the
    report-to-Commissioner clock runs from detection, 12 hours if a core function was disrupted, else 48."""
    _require_manage(actor, incident.tenant_id)
    if not settings_of(incident.tenant_id).designated_ci_operator:
        raise Conflict(
            _("the company is not a designated critical-infrastructure operator (incident rules)"),
            field="designated_ci_operator",
        )
    incident = _locked(incident)
    _require_not_closed(incident)
    if incident.ci_reported_at is not None:
        raise Conflict(_("the incident was already reported to the Commissioner"), field="critical_system")
    before = _snapshot(incident)
    incident.critical_system = bool(affects_critical_system)
    incident.core_function_disrupted = bool(affects_critical_system and core_function_disrupted)
    incident.ci_report_due_at = (
        ci_deadline(incident.detected_at, core_function_disrupted=incident.core_function_disrupted)
        if incident.critical_system
        else None
    )
    incident.ci_overdue_notified_at = None
    incident.save(
        update_fields=[
            "critical_system",
            "core_function_disrupted",
            "ci_report_due_at",
            "ci_overdue_notified_at",
            "updated_at",
        ]
    )
    record(actor, "incident.critical_system_set", target=incident, before=before, after=_snapshot(incident))
    return incident


@tenant_atomic
def report_to_ci_commissioner(actor: Actor, incident: Incident, *, summary: str) -> Incident:
    """Record the report to the Commissioner of Critical Infrastructure (Computer-system Security): stops
    the 12/48-hour clock."""
    _require_manage(actor, incident.tenant_id)
    summary = _text(summary, "summary")
    incident = _locked(incident)
    if incident.ci_report_due_at is None:
        raise Conflict(_("the incident has no report-to-Commissioner clock"), field="critical_system")
    if incident.ci_reported_at is not None:
        raise Conflict(_("the incident was already reported to the Commissioner"), field="ci_reported_at")
    before = _snapshot(incident)
    incident.ci_reported_at = now()
    incident.ci_report_summary = summary
    incident.save(update_fields=["ci_reported_at", "ci_report_summary", "updated_at"])
    _note(incident, actor, _("Reported to the Commissioner of Critical Infrastructure."))
    record(
        actor,
        "incident.ci_reported",
        target=incident,
        before=before,
        after=_snapshot(incident),
        summary=summary[:500],
    )
    return incident


# ---------------------------------------------------------------------------------------- incident rules
@tenant_atomic
def change_incident_rules(
    actor: Actor, *, designated_ci_operator: bool, breach_notice_proposal: bool
) -> SecuritySettings:
    """The two incident rules of the company. Switching the proposal on gives the open high-risk breaches
    the drafted clock; switching it off removes every unfinished one, so nothing of it stays in deadlines.
    Losing the CI designation removes the unreported CI clocks."""
    require_permission(actor, "security.manage", Tenant.objects.get(pk=actor.tenant_id))
    for field, value in (
        ("designated_ci_operator", designated_ci_operator),
        ("breach_notice_proposal", breach_notice_proposal),
    ):
        if not isinstance(value, bool):
            raise Invalid(_("%(field)s must be true or false") % {"field": field}, field=field)
    rules = settings_of(actor.tenant_id)
    if rules.pk is not None:
        rules = SecuritySettings.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=rules.pk)
    before = {name: getattr(rules, name) for name in SecuritySettings.INCIDENT_RULE_FIELDS}
    rules.designated_ci_operator = designated_ci_operator
    rules.breach_notice_proposal = breach_notice_proposal
    after = {name: getattr(rules, name) for name in SecuritySettings.INCIDENT_RULE_FIELDS}
    if before == after:
        return rules
    rules.save()
    register = Incident.objects.for_tenant(actor.tenant_id)
    if before["breach_notice_proposal"] != breach_notice_proposal:
        for incident in register.filter(is_breach=True).exclude(state__in=CLOSED_STATES).select_for_update():
            _apply_proposal_clock(incident, rules)
            incident.save(update_fields=["pcpd_due_at", "pcpd_overdue_notified_at", "updated_at"])
    if not designated_ci_operator:
        register.filter(ci_reported_at__isnull=True, ci_report_due_at__isnull=False).update(
            critical_system=False,
            core_function_disrupted=False,
            ci_report_due_at=None,
            ci_overdue_notified_at=None,
        )
    record(actor, "security.incident_rules_changed", target=rules, before=before, after=after)
    return rules


@tenant_atomic
def record_form_export(actor: Actor, incident: Incident, fmt: str) -> None:
    """Exporting the notification form is audited (who took a copy of the breach's particulars, when)."""
    _require_breach(actor, incident.tenant_id)
    if not incident.is_breach:
        raise Conflict(_("the incident is not marked as a personal-data breach"), field="is_breach")
    record(actor, "breach.form_exported", target=incident, format=fmt, step=incident.breach_step)
