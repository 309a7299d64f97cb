"""Console page of temporary collaborators: ask for one (and see your requests), decide what waits for you,
and — for approvers — every active collaborator in your scope with the time left, ended early if need be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.collaborators import actions
from harbour.collaborators.forms import ApproveForm, EndForm, ExtensionForm, ReasonForm, RequestForm
from harbour.collaborators.models import CollaboratorExtension, CollaboratorRequest, RequestState
from harbour.collaborators.permission_codes import REQUEST
from harbour.collaborators.queries import (
    get_extension_for,
    get_request_for,
    may_approve_somewhere,
    may_request_somewhere,
    pending_extension,
    requests_visible_to,
    waiting_for,
)
from harbour.core.admission import temporary_term_days
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.forms import department_choices
from harbour.directory.queries import department_tree, get_department_for

SHOWN = 100


@dataclass
class Row:
    """One request as a page shows it, with what the viewer may do to it."""

    request: CollaboratorRequest
    pending: CollaboratorExtension | None
    may_decide: bool
    may_decide_extension: bool
    may_end: bool
    may_extend: bool


def _row(actor: Any, request: CollaboratorRequest) -> Row:
    pending = pending_extension(request)
    active = request.state == RequestState.APPROVED
    return Row(
        request=request,
        pending=pending,
        may_decide=request.state == RequestState.REQUESTED and actions.may_decide(actor, request),
        may_decide_extension=pending is not None
        and active
        and actions.may_decide(actor, request, asked_by=pending.requested_by_id),
        may_end=request.is_open and actions.may_end(actor, request),
        may_extend=active and pending is None and actions.may_end(actor, request),
    )


def _guard(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if not (may_request_somewhere(actor) or may_approve_somewhere(actor)):
        raise Http404
    return actor


def _back() -> HttpResponseRedirect:
    return redirect("collaborators:list")


def _form_problem(request: HttpRequest, form: forms.Form) -> HttpResponseRedirect:
    """A row's small form was refused before any action: say which field and why, back on the page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        message = str(errors[0])
        messages.error(request, f"{label}: {message}" if label else message)
        break
    return _back()


@member_required
def collaborators_page(request: HttpRequest) -> HttpResponse:
    actor = _guard(request)
    tenant = request.tenant  # type: ignore[attr-defined]
    may_request = may_request_somewhere(actor)
    max_days = temporary_term_days(tenant.pk)
    departments = [d for d in department_tree(actor) if can(actor, REQUEST, d)]
    primary = next((p.department_id for p in actor.places() if p.is_primary), None)
    initial = {"days": actions.default_days(tenant.pk), "department": str(primary) if primary else ""}
    form = RequestForm(
        request.POST or None, initial=initial, departments=department_choices(departments), max_days=max_days
    )
    if request.method == "POST":
        if not may_request:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                department = get_department_for(actor, data["department"]) if data["department"] else None
                made = actions.request_collaborator(
                    actor,
                    email=data["email"],
                    name=data["name"],
                    organisation=data["organisation"],
                    purpose=data["purpose"],
                    department=department,
                    days=data["days"],
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("Asked: the approvers are told. %(name)s is invited once one approves.")
                    % {"name": made.name},
                )
                return _back()
    visible = requests_visible_to(actor)
    mine = [_row(actor, r) for r in visible.filter(sponsor_id=actor.pk).order_by("-created_at")[:SHOWN]]
    waiting = [_row(actor, r) for r in waiting_for(actor)]
    active: list[Row] = []
    if may_approve_somewhere(actor):
        active = [
            _row(actor, r) for r in visible.filter(state=RequestState.APPROVED).order_by("ends_at")[:SHOWN]
        ]
    context = {
        "form": form,
        "may_request": may_request,
        "may_approve": may_approve_somewhere(actor),
        "mine": mine,
        "waiting": waiting,
        "active": active,
        "max_days": max_days,
    }
    return render(request, "collaborators/page.html", context, status=400 if form.errors else 200)


def _act(request: HttpRequest, done: str, call: Any) -> HttpResponseRedirect:
    try:
        call()
    except HarbourError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("collaborators:list"))


@require_POST
@member_required
def approve_page(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _guard(request)
    found = get_request_for(actor, request_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, form)
    return _act(
        request,
        _("Approved: %(name)s is invited.") % {"name": found.name},
        lambda: actions.approve_request(actor, found, days=form.cleaned_data["days"]),
    )


@require_POST
@member_required
def reject_page(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _guard(request)
    found = get_request_for(actor, request_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, form)
    return _act(
        request,
        _("Rejected; the sponsor is told."),
        lambda: actions.reject_request(actor, found, reason=form.cleaned_data["reason"]),
    )


@require_POST
@member_required
def revoke_page(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _guard(request)
    found = get_request_for(actor, request_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, form)
    done = (
        _("Withdrawn.")
        if found.state == RequestState.REQUESTED
        else _("Access ended: %(name)s is suspended and signed out everywhere.") % {"name": found.name}
    )
    return _act(request, done, lambda: actions.end_early(actor, found, reason=form.cleaned_data["reason"]))


@require_POST
@member_required
def extend_page(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _guard(request)
    found = get_request_for(actor, request_id)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, form)
    return _act(
        request,
        _("Extension asked for; it applies once an approver agrees."),
        lambda: actions.request_extension(
            actor, found, ends_at=form.cleaned_data["ends_at"], reason=form.cleaned_data["reason"]
        ),
    )


@require_POST
@member_required
def approve_extension_page(request: HttpRequest, request_id: str, extension_id: str) -> HttpResponse:
    actor = _guard(request)
    extension = get_extension_for(actor, get_request_for(actor, request_id), extension_id)
    return _act(request, _("Extension approved."), lambda: actions.approve_extension(actor, extension))


@require_POST
@member_required
def reject_extension_page(request: HttpRequest, request_id: str, extension_id: str) -> HttpResponse:
    actor = _guard(request)
    extension = get_extension_for(actor, get_request_for(actor, request_id), extension_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, form)
    return _act(
        request,
        _("Extension rejected."),
        lambda: actions.reject_extension(actor, extension, reason=form.cleaned_data["reason"]),
    )
