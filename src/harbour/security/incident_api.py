"""REST API v1 of security incidents: list (filters, clock), one incident with its evidence and notes, open
one, and the steps of handling it (take, assign, note, report to IT compliance, resolve, dismiss)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router

from harbour.core.errors import NotFound
from harbour.core.pagination import keyset_page
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.queries import get_member_for
from harbour.security import incidents
from harbour.security.incident_schemas import (
    AssignIn,
    DismissIn,
    IncidentDetailOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    NoteIn,
    NoteOut,
    ReportIn,
    ResolveIn,
)
from harbour.security.models import IncidentState
from harbour.security.queries import get_incident_for, incidents_for

router = Router(tags=["security incidents"])


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _member_ref(actor: Actor, member_id: uuid.UUID, field: str) -> Member:
    """A member named in a body: a miss names the body's field."""
    try:
        return get_member_for(actor, member_id)
    except NotFound as exc:
        raise NotFound(exc.message, field=field) from None


def _detail(actor: Actor, incident_id: uuid.UUID) -> IncidentDetailOut:
    return IncidentDetailOut.of(get_incident_for(actor, incident_id))


@router.get("/security/incidents", response=IncidentPage, summary="Security incidents, most urgent first")
def list_incidents(request: HttpRequest, filters: Query[IncidentFilters]) -> IncidentPage:
    qs = incidents_for(_actor(request)).select_related("reported_by")
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    if filters.severity is not None:
        qs = qs.filter(severity=filters.severity)
    if filters.overdue is True:
        qs = qs.filter(state=IncidentState.OPEN, report_due_at__lte=now())
    elif filters.overdue is False:
        qs = qs.exclude(state=IncidentState.OPEN, report_due_at__lte=now())
    page = keyset_page(qs, ("report_due_at", "id"), filters.cursor, filters.limit)
    return IncidentPage(items=[IncidentOut.of(i) for i in page.items], next_cursor=page.next_cursor)


@router.post("/security/incidents", response={201: IncidentDetailOut}, summary="Open a security incident")
def create_incident(request: HttpRequest, body: IncidentIn) -> tuple[int, IncidentDetailOut]:
    actor = _actor(request)
    incidents_for(actor)  # the register must be visible before anything else is looked up
    subject = _member_ref(actor, body.subject_id, "subject_id") if body.subject_id else None
    incident = incidents.open_incident(
        actor,
        kind=body.kind,
        severity=body.severity,
        title=body.title,
        description=body.description,
        subject=subject,
        evidence=body.evidence,
    )
    return 201, _detail(actor, incident.pk)


@router.get("/security/incidents/{incident_id}", response=IncidentDetailOut, summary="One incident")
def get_incident(request: HttpRequest, incident_id: uuid.UUID) -> IncidentDetailOut:
    return _detail(_actor(request), incident_id)


@router.post(
    "/security/incidents/{incident_id}/take",
    response=IncidentDetailOut,
    summary="Take ownership of an incident",
)
def take_incident(request: HttpRequest, incident_id: uuid.UUID) -> IncidentDetailOut:
    actor = _actor(request)
    incident = get_incident_for(actor, incident_id)
    incidents.assign_owner(actor, incident, actor if isinstance(actor, Member) else None)
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/assign",
    response=IncidentDetailOut,
    summary="Give an incident an owner",
)
def assign_incident(request: HttpRequest, incident_id: uuid.UUID, body: AssignIn) -> IncidentDetailOut:
    actor = _actor(request)
    incident = get_incident_for(actor, incident_id)
    owner = _member_ref(actor, body.owner_id, "owner_id") if body.owner_id else None
    incidents.assign_owner(actor, incident, owner)
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/notes", response={201: NoteOut}, summary="Add a note to the timeline"
)
def note_incident(request: HttpRequest, incident_id: uuid.UUID, body: NoteIn) -> tuple[int, NoteOut]:
    actor = _actor(request)
    note = incidents.add_note(actor, get_incident_for(actor, incident_id), body.text)
    author = note.author
    return 201, NoteOut(
        id=note.pk,
        author={"id": author.pk, "name": author.name} if author is not None else None,  # type: ignore[arg-type]
        text=note.text,
        created_at=note.created_at,
    )


@router.post(
    "/security/incidents/{incident_id}/report",
    response=IncidentDetailOut,
    summary="Record the report to IT compliance (stops the clock)",
)
def report_incident(request: HttpRequest, incident_id: uuid.UUID, body: ReportIn) -> IncidentDetailOut:
    actor = _actor(request)
    incidents.report_incident(actor, get_incident_for(actor, incident_id), summary=body.summary)
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/resolve", response=IncidentDetailOut, summary="Resolve an incident"
)
def resolve_incident(request: HttpRequest, incident_id: uuid.UUID, body: ResolveIn) -> IncidentDetailOut:
    actor = _actor(request)
    incidents.resolve_incident(actor, get_incident_for(actor, incident_id), resolution=body.resolution)
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/dismiss",
    response=IncidentDetailOut,
    summary="Dismiss an incident as harmless",
)
def dismiss_incident(request: HttpRequest, incident_id: uuid.UUID, body: DismissIn) -> IncidentDetailOut:
    actor = _actor(request)
    incidents.dismiss_incident(actor, get_incident_for(actor, incident_id), reason=body.reason)
    return _detail(actor, incident_id)
