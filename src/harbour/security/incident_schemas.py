"""API shapes of security incidents. Times are UTC; the clock fields are computed at the time of the call."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.security.incident_clock import clock_of
from harbour.security.models import Incident, IncidentKind, IncidentNote, IncidentState, Severity


class IncidentFilters(Schema):
    state: IncidentState | None = None
    severity: Severity | None = None
    overdue: bool | None = Field(
        None, description="only incidents past their reporting deadline (or only not)"
    )
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
        }

    @classmethod
    def of(cls, incident: Incident) -> IncidentOut:
        return cls(**cls.fields_of(incident))


class IncidentDetailOut(IncidentOut):
    evidence: list[dict[str, Any]]
    notes: list[NoteOut]

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
        return cls(**cls.fields_of(incident), evidence=list(incident.evidence), notes=notes)


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
