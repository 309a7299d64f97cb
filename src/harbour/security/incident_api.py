"""REST API v1 of security incidents: list (filters, clock), one incident with its evidence and notes, open
one, and the steps of handling it (take, assign, note, report to IT compliance, resolve, dismiss);
personal-data breaches (mark, the five steps, the notification decision, the PCPD form as JSON or PDF), the
critical-infrastructure clock, and the company's incident rules."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from harbour.core.errors import NotFound
from harbour.core.pagination import keyset_page
from harbour.core.pdf import template_to_pdf
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.queries import get_member_for
from harbour.security import breaches, incidents
from harbour.security.breach_form import Overrides, form_as_json, notification_form
from harbour.security.incident_schemas import (
    AssessIn,
    AssignIn,
    BreachMarkIn,
    CiReportIn,
    ContainIn,
    CriticalSystemIn,
    DecisionIn,
    DismissIn,
    DocumentIn,
    FormQuery,
    GatherIn,
    IncidentDetailOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentRulesIn,
    IncidentRulesOut,
    NoteIn,
    NoteOut,
    NotificationFormOut,
    ReportIn,
    ResolveIn,
)
from harbour.security.models import IncidentState
from harbour.security.queries import get_incident_for, incidents_for, settings_for

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
    if filters.breach is not None:
        qs = qs.filter(is_breach=filters.breach)
    page = keyset_page(qs, ("report_due_at", "id"), filters.cursor, filters.limit)
    return IncidentPage(items=[IncidentOut.of(i) for i in page.items], next_cursor=page.next_cursor)


@router.post("/security/incidents", response={201: IncidentDetailOut}, summary="Open a security incident")
def create_incident(request: HttpRequest, body: IncidentIn) -> tuple[int, IncidentDetailOut]:
    actor = _actor(request)
    incidents_for(actor)  # the register must be visible before anything else is looked up
    subject = _member_ref(actor, body.subject_id, "subject_id") if body.subject_id else None
    if body.personal_data_breach:
        incident = breaches.open_breach(
            actor,
            kind=body.kind,
            severity=body.severity,
            title=body.title,
            description=body.description,
            subject=subject,
            evidence=body.evidence,
            data_kinds=body.data_kinds,
            affected_estimate=body.affected_estimate,
            systems=body.systems,
        )
    else:
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


# ------------------------------------------------------------------------------ personal-data breaches
@router.post(
    "/security/incidents/{incident_id}/breach",
    response=IncidentDetailOut,
    summary="Mark an incident as a personal-data breach (the five steps follow)",
)
def mark_breach(request: HttpRequest, incident_id: uuid.UUID, body: BreachMarkIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.mark_breach(
        actor,
        get_incident_for(actor, incident_id),
        data_kinds=body.data_kinds,
        affected_estimate=body.affected_estimate,
        systems=body.systems,
    )
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/breach/gather",
    response=IncidentDetailOut,
    summary="Breach step 1: the essential information",
)
def breach_gather(request: HttpRequest, incident_id: uuid.UUID, body: GatherIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.gather_information(actor, get_incident_for(actor, incident_id), **body.dict())
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/breach/contain",
    response=IncidentDetailOut,
    summary="Breach step 2: containment",
)
def breach_contain(request: HttpRequest, incident_id: uuid.UUID, body: ContainIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.contain_breach(actor, get_incident_for(actor, incident_id), **body.dict())
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/breach/assess",
    response=IncidentDetailOut,
    summary="Breach step 3: the risk of harm (likelihood × severity)",
)
def breach_assess(request: HttpRequest, incident_id: uuid.UUID, body: AssessIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.assess_risk(actor, get_incident_for(actor, incident_id), **body.dict())
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/breach/decision",
    response=IncidentDetailOut,
    summary="Breach step 4: the notification decision, with its rationale",
)
def breach_decision(request: HttpRequest, incident_id: uuid.UUID, body: DecisionIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.decide_notification(actor, get_incident_for(actor, incident_id), **body.dict())
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/breach/document",
    response=IncidentDetailOut,
    summary="Breach step 5: the documentation (facts, containment, remedial actions)",
)
def breach_document(request: HttpRequest, incident_id: uuid.UUID, body: DocumentIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.document_breach(actor, get_incident_for(actor, incident_id), **body.dict())
    return _detail(actor, incident_id)


@router.get(
    "/security/incidents/{incident_id}/breach/notification-form",
    response=NotificationFormOut,
    summary="The PCPD breach notification form's four parts, filled from the register (audited)",
)
def breach_form(request: HttpRequest, incident_id: uuid.UUID, query: Query[FormQuery]) -> NotificationFormOut:
    actor = _actor(request)
    incident = get_incident_for(actor, incident_id)
    overrides = Overrides.clean(query.dict())
    breaches.record_form_export(actor, incident, "json")
    return NotificationFormOut(**form_as_json(notification_form(incident, overrides)))


@router.get(
    "/security/incidents/{incident_id}/breach/notification-form.pdf",
    response={200: None},
    summary="The PCPD breach notification form as a PDF (audited)",
)
def breach_form_pdf(request: HttpRequest, incident_id: uuid.UUID, query: Query[FormQuery]) -> HttpResponse:
    actor = _actor(request)
    incident = get_incident_for(actor, incident_id)
    overrides = Overrides.clean(query.dict())
    breaches.record_form_export(actor, incident, "pdf")
    form = notification_form(incident, overrides)
    content = template_to_pdf("security/incidents/notification_form_print.html", {"form": form})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-pcpd-notification.pdf"'
    return response


# ----------------------------------------------------------------------------- critical infrastructure
@router.post(
    "/security/incidents/{incident_id}/critical-system",
    response=IncidentDetailOut,
    summary="Flag an incident as affecting a critical computer system (Cap. 653 clock)",
)
def critical_system(
    request: HttpRequest, incident_id: uuid.UUID, body: CriticalSystemIn
) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.set_critical_system(
        actor,
        get_incident_for(actor, incident_id),
        affects_critical_system=body.affects_critical_system,
        core_function_disrupted=body.core_function_disrupted,
    )
    return _detail(actor, incident_id)


@router.post(
    "/security/incidents/{incident_id}/ci-report",
    response=IncidentDetailOut,
    summary="Record the report to the Commissioner of Critical Infrastructure (stops that clock)",
)
def ci_report(request: HttpRequest, incident_id: uuid.UUID, body: CiReportIn) -> IncidentDetailOut:
    actor = _actor(request)
    breaches.report_to_ci_commissioner(actor, get_incident_for(actor, incident_id), summary=body.summary)
    return _detail(actor, incident_id)


@router.get("/security/incident-rules", response=IncidentRulesOut, summary="The company's incident rules")
def get_incident_rules(request: HttpRequest) -> IncidentRulesOut:
    rules = settings_for(_actor(request))
    return IncidentRulesOut(
        designated_ci_operator=rules.designated_ci_operator,
        breach_notice_proposal=rules.breach_notice_proposal,
    )


@router.put(
    "/security/incident-rules", response=IncidentRulesOut, summary="Change the company's incident rules"
)
def put_incident_rules(request: HttpRequest, body: IncidentRulesIn) -> IncidentRulesOut:
    rules = breaches.change_incident_rules(
        _actor(request),
        designated_ci_operator=body.designated_ci_operator,
        breach_notice_proposal=body.breach_notice_proposal,
    )
    return IncidentRulesOut(
        designated_ci_operator=rules.designated_ci_operator,
        breach_notice_proposal=rules.breach_notice_proposal,
    )
