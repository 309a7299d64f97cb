"""API shapes of security incidents. Times are UTC; the clock fields are computed at the time of the call."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.security.incident_clock import Clock, ci_clock_of, clock_of, pcpd_clock_of
from harbour.security.models import BreachStep, Incident, IncidentKind, IncidentNote, IncidentState, Severity


class IncidentFilters(Schema):
    state: IncidentState | None = None
    severity: Severity | None = None
    overdue: bool | None = Field(
        None, description="only incidents past their reporting deadline (or only not)"
    )
    breach: bool | None = Field(None, description="only personal-data breaches (or only other incidents)")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class MemberRef(Schema):
    id: uuid.UUID
    name: str


class ClockOut(Schema):
    due_at: dt.datetime
    running: bool = Field(description="open: the report to IT compliance is still to be made")
    overdue: bool = Field(description="not reported and at or past the deadline")
    seconds_left: int = Field(description="until the deadline; negative when overdue; at the stop if stopped")
    label: str


def clock_out(clock: Clock | None) -> ClockOut | None:
    if clock is None:
        return None
    return ClockOut(
        due_at=clock.due_at,
        running=clock.running,
        overdue=clock.overdue,
        seconds_left=clock.remaining_seconds,
        label=clock.label,
    )


class BreachOut(Schema):
    """The personal-data breach side of an incident (DBN-GUIDE-2023)."""

    marked_at: dt.datetime | None
    occurred_at: dt.datetime | None
    data_kinds: list[str]
    affected_estimate: int | None
    systems: str
    steps_completed: int = Field(description="the last of the five steps completed (0: none yet)")
    risk_score: int | None = Field(description="likelihood (1-3) × severity (1-3)")
    risk_level: str
    pcpd_clock: ClockOut | None = Field(
        description="the proposed 5-business-day PCPD notice; only while the company has the proposal on"
    )
    pcpd_notified_at: dt.datetime | None


class NoteOut(Schema):
    id: uuid.UUID
    author: MemberRef | None
    text: str
    created_at: dt.datetime


class IncidentOut(Schema):
    id: uuid.UUID
    reference: str
    kind: IncidentKind
    severity: Severity
    state: IncidentState
    title: str
    subject: MemberRef | None
    owner: MemberRef | None
    detected_at: dt.datetime
    report_due_at: dt.datetime
    reported_at: dt.datetime | None
    reported_by: MemberRef | None
    report_summary: str
    resolved_at: dt.datetime | None
    resolution: str
    clock: ClockOut
    is_breach: bool
    breach: BreachOut | None
    critical_system: bool
    core_function_disrupted: bool
    ci_clock: ClockOut | None = Field(description="report to the Commissioner (Cap. 653): 12 or 48 hours")
    ci_reported_at: dt.datetime | None

    @staticmethod
    def fields_of(incident: Incident) -> dict[str, Any]:
        def ref(member: Any) -> MemberRef | None:
            return MemberRef(id=member.pk, name=member.name) if member is not None else None

        clock = clock_of(incident)
        return {
            "id": incident.pk,
            "reference": incident.reference,
            "kind": incident.kind,
            "severity": incident.severity,
            "state": incident.state,
            "title": incident.title,
            "subject": ref(incident.subject),
            "owner": ref(incident.owner),
            "detected_at": incident.detected_at,
            "report_due_at": incident.report_due_at,
            "reported_at": incident.reported_at,
            "reported_by": ref(incident.reported_by),
            "report_summary": incident.report_summary,
            "resolved_at": incident.resolved_at,
            "resolution": incident.resolution,
            "clock": ClockOut(
                due_at=clock.due_at,
                running=clock.running,
                overdue=clock.overdue,
                seconds_left=clock.remaining_seconds,
                label=clock.label,
            ),
            "is_breach": incident.is_breach,
            "breach": BreachOut(
                marked_at=incident.breach_marked_at,
                occurred_at=incident.breach_occurred_at,
                data_kinds=list(incident.data_kinds),
                affected_estimate=incident.affected_estimate,
                systems=incident.systems,
                steps_completed=incident.breach_step,
                risk_score=incident.risk_score,
                risk_level=incident.risk_level,
                pcpd_clock=clock_out(pcpd_clock_of(incident)),
                pcpd_notified_at=incident.pcpd_notified_at,
            )
            if incident.is_breach
            else None,
            "critical_system": incident.critical_system,
            "core_function_disrupted": incident.core_function_disrupted,
            "ci_clock": clock_out(ci_clock_of(incident)),
            "ci_reported_at": incident.ci_reported_at,
        }

    @classmethod
    def of(cls, incident: Incident) -> IncidentOut:
        return cls(**cls.fields_of(incident))


class BreachStepOut(Schema):
    step: int
    name: str
    completed_at: dt.datetime
    completed_by: MemberRef | None
    data: dict[str, Any]
    notes: str


class IncidentDetailOut(IncidentOut):
    evidence: list[dict[str, Any]]
    notes: list[NoteOut]
    breach_steps: list[BreachStepOut]

    @classmethod
    def of(cls, incident: Incident) -> IncidentDetailOut:
        notes = [
            NoteOut(
                id=n.pk,
                author=MemberRef(id=n.author.pk, name=n.author.name) if n.author is not None else None,
                text=n.text,
                created_at=n.created_at,
            )
            for n in IncidentNote.objects.for_tenant(incident.tenant_id)
            .filter(incident=incident)
            .select_related("author")
        ]
        steps = [
            BreachStepOut(
                step=s.step,
                name=s.get_step_display(),
                completed_at=s.completed_at,
                completed_by=MemberRef(id=s.completed_by.pk, name=s.completed_by.name)
                if s.completed_by is not None
                else None,
                data=dict(s.data),
                notes=s.notes,
            )
            for s in BreachStep.objects.for_tenant(incident.tenant_id)
            .filter(incident=incident)
            .select_related("completed_by")
        ]
        return cls(
            **cls.fields_of(incident), evidence=list(incident.evidence), notes=notes, breach_steps=steps
        )


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_cursor: str | None


class IncidentIn(Schema):
    kind: IncidentKind = IncidentKind.OTHER
    severity: Severity
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    subject_id: uuid.UUID | None = Field(None, description="the member the incident is about")
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    personal_data_breach: bool = Field(
        False, description="open it as a personal-data breach (incident.breach)"
    )
    data_kinds: list[str] = Field(default_factory=list, description="for a breach: kinds of personal data")
    affected_estimate: int | None = Field(None, ge=0, description="for a breach: people affected (estimate)")
    systems: str = Field("", max_length=5000, description="for a breach: systems involved")


class AssignIn(Schema):
    owner_id: uuid.UUID | None = Field(description="null releases the incident")


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class ReportIn(Schema):
    summary: str = Field(min_length=1, max_length=5000, description="what was reported to IT compliance")


class ResolveIn(Schema):
    resolution: str = Field(min_length=1, max_length=5000)


class DismissIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


# ------------------------------------------------------------------------- personal-data breaches, CI
TEXT = Field(min_length=1, max_length=5000)
NOTES = Field("", max_length=5000)


class BreachMarkIn(Schema):
    data_kinds: list[str] = Field(default_factory=list, description="kinds of personal data (if known)")
    affected_estimate: int | None = Field(None, ge=0, description="people affected, an estimate (if known)")
    systems: str = Field("", max_length=5000)


class GatherIn(Schema):
    occurred_at: dt.datetime = Field(description="when the breach happened (with a time zone)")
    how: str = TEXT
    data_kinds: list[str] = Field(min_length=1)
    affected_estimate: int = Field(ge=0)
    systems: str = TEXT
    notes: str = NOTES


class ContainIn(Schema):
    actions: str = TEXT
    contained_at: dt.datetime
    notes: str = NOTES


class AssessIn(Schema):
    likelihood: int = Field(ge=1, le=3, description="1 unlikely, 2 possible, 3 likely")
    severity: int = Field(ge=1, le=3, description="1 minor, 2 serious, 3 severe")
    harms: list[str] = Field(min_length=1)
    reasoning: str = TEXT
    notes: str = NOTES


class DecisionIn(Schema):
    notify_pcpd: bool
    notify_individuals: bool
    notify_others: bool
    others: str = Field("", max_length=500, description="who else (required when notify_others)")
    rationale: str = TEXT
    pcpd_notified_at: dt.datetime | None = Field(None, description="when the written notice went to the PCPD")
    notes: str = NOTES


class DocumentIn(Schema):
    facts: str = TEXT
    containment: str = TEXT
    remedial_actions: str = TEXT
    notes: str = NOTES


class CriticalSystemIn(Schema):
    affects_critical_system: bool
    core_function_disrupted: bool = False


class CiReportIn(Schema):
    summary: str = Field(min_length=1, max_length=5000, description="what was reported to the Commissioner")


class FormQuery(Schema):
    company_address: str = Field("", max_length=500)
    contact_name: str = Field("", max_length=500)
    contact_title: str = Field("", max_length=500)
    contact_phone: str = Field("", max_length=500)
    contact_email: str = Field("", max_length=500)


class FormLineOut(Schema):
    label: str
    value: str


class FormPartOut(Schema):
    number: int
    title: str
    lines: list[FormLineOut]


class NotificationFormOut(Schema):
    reference: str
    title: str
    parts: list[FormPartOut]
    missing: list[str] = Field(description="Part 1 and 2 lines still blank")


class IncidentRulesOut(Schema):
    designated_ci_operator: bool
    breach_notice_proposal: bool = Field(description="the proposed 5-business-day notice (not in force)")


class IncidentRulesIn(Schema):
    designated_ci_operator: bool
    breach_notice_proposal: bool
