"""Console pages of security incidents: the register (filters, the reporting clock), one incident (evidence,
timeline, the handling steps), opening one by hand, and each member's notices."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.core.pagination import keyset_page
from harbour.core.time import now
from harbour.directory.forms import ActionForm
from harbour.directory.views.base import PAGE_SIZE, ConsoleRequest, require_tenant_wide
from harbour.security import breaches, incidents
from harbour.security.breach_views import breach_context
from harbour.security.incident_clock import CLOSED_STATES, ci_clock_of, clock_of, pcpd_clock_of
from harbour.security.models import Incident, IncidentKind, IncidentNote, IncidentState, Severity
from harbour.security.notices import mark_read, notices_of
from harbour.security.queries import get_incident_for, incidents_for

TEXT = forms.Textarea(attrs={"rows": 3, "maxlength": 5000})


class NoteForm(ActionForm):
    text = forms.CharField(label=gettext_lazy("Note"), max_length=5000, widget=TEXT)


class ReportForm(ActionForm):
    summary = forms.CharField(
        label=gettext_lazy("What was reported to IT compliance"),
        max_length=5000,
        widget=TEXT,
        help_text=gettext_lazy("Recording the report stops the 24-hour clock."),
    )


class ResolveForm(ActionForm):
    resolution = forms.CharField(label=gettext_lazy("How it was resolved"), max_length=5000, widget=TEXT)


class DismissForm(ActionForm):
    reason = forms.CharField(label=gettext_lazy("Why it is harmless"), max_length=5000, widget=TEXT)


class AssignForm(ActionForm):
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    extra_aliases = {"owner_id": "owner"}

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Nobody")), *choices]  # type: ignore[attr-defined]


class OpenForm(ActionForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=IncidentKind.choices, initial=IncidentKind.OTHER
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"), choices=Severity.choices, initial=Severity.MEDIUM
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"), max_length=5000, widget=TEXT, required=False
    )
    is_breach = forms.BooleanField(
        label=gettext_lazy("This is a personal-data breach"),
        required=False,
        help_text=gettext_lazy("It then follows the PCPD's five steps (you need the breach permission)."),
    )


def _when(item: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(item["at"]))
    except (KeyError, ValueError):
        return None


def _require(request: ConsoleRequest, code: str) -> None:
    """Pages of the register answer 404 to members who may not see it."""
    require_tenant_wide(request.actor, code)


def _with_clocks(rows: list[Incident]) -> list[tuple[Incident, Any, Any, Any]]:
    at = now()
    return [
        (incident, clock_of(incident, at), ci_clock_of(incident, at), pcpd_clock_of(incident, at))
        for incident in rows
    ]


BREACH_FILTERS = [
    ("yes", gettext_lazy("Personal-data breaches")),
    ("no", gettext_lazy("Other incidents")),
]


STATE_FILTERS = {
    "active": gettext_lazy("Open or reported"),
    "overdue": gettext_lazy("Overdue"),
    "all": gettext_lazy("All"),
}


@member_required
def incident_list(request: ConsoleRequest) -> HttpResponse:
    _require(request, "incident.view")
    state = request.GET.get("state") or "active"
    severity = request.GET.get("severity") or ""
    breach = request.GET.get("breach") or ""
    qs = incidents_for(request.actor)
    if breach in ("yes", "no"):
        qs = qs.filter(is_breach=breach == "yes")
    else:
        breach = ""
    if state == "active":
        qs = qs.exclude(state__in=CLOSED_STATES)
    elif state == "overdue":
        qs = qs.filter(state=IncidentState.OPEN, report_due_at__lte=now())
    elif state in IncidentState.values:
        qs = qs.filter(state=state)
    else:
        state = "all"
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    else:
        severity = ""
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(qs, ("report_due_at", "id"), cursor, PAGE_SIZE)
    except Invalid:
        page, cursor = keyset_page(qs, ("report_due_at", "id"), None, PAGE_SIZE), None
    context = {
        "rows": _with_clocks(page.items),
        "next_cursor": page.next_cursor,
        "is_later_page": bool(cursor),
        "state": state,
        "severity": severity,
        "state_filters": [*STATE_FILTERS.items(), *IncidentState.choices],
        "severities": Severity.choices,
        "breach": breach,
        "breach_filters": BREACH_FILTERS,
        "may_see_rules": request.actor.access().tenant_wide("security.view"),
        "may_manage": request.actor.access().tenant_wide(incidents.MANAGE),
    }
    return render(request, "security/incidents/list.html", context)


def _owner_choices(incident: Incident) -> list[tuple[str, str]]:
    return [(str(m.pk), m.name) for m in incidents.incident_handlers(incident.tenant_id)]


def _detail_context(request: ConsoleRequest, incident: Incident, **forms_in_use: Any) -> dict[str, Any]:
    may_manage = incidents.may_manage(request.actor, incident.tenant_id)
    notes = (
        IncidentNote.objects.for_tenant(incident.tenant_id).filter(incident=incident).select_related("author")
    )
    context: dict[str, Any] = {
        "incident": incident,
        "clock": clock_of(incident),
        "evidence": [(item, incidents.evidence_label(item), _when(item)) for item in incident.evidence],
        "notes": list(notes),
        "may_manage": may_manage,
        "is_closed": incident.state in CLOSED_STATES,
        "is_open": incident.state == IncidentState.OPEN,
        "is_reported": incident.state == IncidentState.REPORTED,
    }
    if may_manage:
        context.update(
            note_form=NoteForm(),
            report_form=ReportForm(),
            resolve_form=ResolveForm(),
            dismiss_form=DismissForm(),
            assign_form=AssignForm(
                choices=_owner_choices(incident), initial={"owner": str(incident.owner_id or "")}
            ),
        )
    context.update(breach_context(request, incident, **forms_in_use))
    return context


@member_required
def incident_detail(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    _require(request, "incident.view")
    incident = get_incident_for(request.actor, incident_id)
    return render(request, "security/incidents/detail.html", _detail_context(request, incident))


def _step(
    request: ConsoleRequest,
    incident_id: uuid.UUID,
    form_class: type[ActionForm],
    form_name: str,
    perform: Any,
    done: str,
) -> HttpResponse:
    """One handling step posted from the detail page: done → back to the page; refused → the page again
    with the error next to the field."""
    _require(request, "incident.view")
    incident = get_incident_for(request.actor, incident_id)
    form = (
        AssignForm(request.POST, choices=_owner_choices(incident))
        if form_class is AssignForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            perform(incident, form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return redirect("incidents:detail", incident.pk)
    incident.refresh_from_db()
    context = _detail_context(request, incident, **{form_name: form})
    context["step_errors"] = form.non_field_errors()  # shown at the top: the form may not be on the page
    return render(request, "security/incidents/detail.html", context, status=400)


@require_POST
@member_required
def incident_take(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    _require(request, "incident.view")
    incident = get_incident_for(request.actor, incident_id)
    try:
        incidents.take_ownership(request.actor, incident)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You own %(reference)s now.") % {"reference": incident.reference})
    return redirect("incidents:detail", incident.pk)


@require_POST
@member_required
def incident_assign(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    def perform(incident: Incident, data: dict[str, Any]) -> None:
        owner = None
        if data["owner"]:
            owner = next(
                (m for m in incidents.incident_handlers(incident.tenant_id) if str(m.pk) == data["owner"]),
                None,
            )
        incidents.assign_owner(request.actor, incident, owner)

    return _step(request, incident_id, AssignForm, "assign_form", perform, _("Saved the owner."))


@require_POST
@member_required
def incident_note(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        incident_id,
        NoteForm,
        "note_form",
        lambda incident, data: incidents.add_note(request.actor, incident, data["text"]),
        _("Added the note."),
    )


@require_POST
@member_required
def incident_report(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        incident_id,
        ReportForm,
        "report_form",
        lambda incident, data: incidents.report_incident(request.actor, incident, summary=data["summary"]),
        _("Recorded the report to IT compliance; the clock has stopped."),
    )


@require_POST
@member_required
def incident_resolve(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        incident_id,
        ResolveForm,
        "resolve_form",
        lambda incident, data: incidents.resolve_incident(
            request.actor, incident, resolution=data["resolution"]
        ),
        _("Resolved the incident."),
    )


@require_POST
@member_required
def incident_dismiss(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        incident_id,
        DismissForm,
        "dismiss_form",
        lambda incident, data: incidents.dismiss_incident(request.actor, incident, reason=data["reason"]),
        _("Dismissed the incident."),
    )


@member_required
def incident_open(request: ConsoleRequest) -> HttpResponse:
    _require(request, incidents.MANAGE)
    form = OpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if data.pop("is_breach"):
                incident = breaches.open_breach(request.actor, **data)
            else:
                incident = incidents.open_incident(request.actor, **data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Opened %(reference)s.") % {"reference": incident.reference})
            return redirect("incidents:detail", incident.pk)
    return render(request, "security/incidents/open.html", {"form": form}, status=400 if form.errors else 200)


@member_required
def notice_list(request: ConsoleRequest) -> HttpResponse:
    """The member's own notices, newest first (any member: they are about what the member must do)."""
    if request.method == "POST":
        mark_read(request.actor)
        return redirect("incidents:notices")
    notices = list(notices_of(request.actor)[:100])
    return render(request, "security/notices.html", {"notices": notices})
