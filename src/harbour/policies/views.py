"""Console pages of policies: "My policies" for every member (what to read and acknowledge, and what they
acknowledged), and for policy officers the documents, their versions (draft, edit, publish after a
confirmation) and each version's progress with the outstanding members and the acknowledgements' CSV."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.core.pagination import keyset_page
from harbour.core.time import now
from harbour.directory.models import Department
from harbour.directory.views.base import PAGE_SIZE, Confirmation, ConsoleRequest, confirm, require_tenant_wide
from harbour.policies import actions
from harbour.policies.forms import DocumentForm, OutstandingFilterForm, PublishForm, VersionForm
from harbour.policies.models import PolicyKind, PolicyVersion, VersionState
from harbour.policies.queries import (
    MANAGE,
    VIEW,
    acknowledged_by,
    current_version,
    deadline_of,
    documents_visible_to,
    draft_of,
    get_document_for,
    get_version_for,
    get_version_to_read,
    has_conduct_policy,
    members_in_scope,
    outstanding_members,
    pending_for,
    progress_of,
    versions_of,
)
from harbour.policies.rendering import render_markdown
from harbour.policies.report import acknowledgements_csv

HISTORY_SHOWN = 50


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _language() -> str:
    return "zh" if (get_language() or "").lower().startswith("zh") else "en"


# ------------------------------------------------------------------------------------------- members
@member_required
def mine(request: ConsoleRequest) -> HttpResponse:
    """What the member must read and acknowledge (with their deadline), and what they acknowledged."""
    actor = request.actor
    language = _language()
    pending = [(p, p.version.title_in(language)) for p in pending_for(actor)]
    history = [(a, a.version.title_in(language)) for a in acknowledged_by(actor)[:HISTORY_SHOWN]]
    context = {
        "pending": pending,
        "history": history,
        "may_view": actor.access().tenant_wide(VIEW),
        "offer_conduct_default": actor.access().tenant_wide(MANAGE)
        and not has_conduct_policy(actor.tenant_id),
    }
    return render(request, "policies/mine.html", context)


@member_required
def read(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    """A version in the member's console language, with the button to acknowledge it."""
    actor = request.actor
    version = get_version_to_read(actor, version_id)
    language = _language()
    acknowledgement = next((a for a in acknowledged_by(actor).filter(version=version)), None)
    pending = next((p for p in pending_for(actor) if p.version.pk == version.pk), None)
    context = {
        "version": version,
        "title": version.title_in(language),
        "body": render_markdown(version.body_in(language)),
        "acknowledgement": acknowledgement,
        "pending": pending,
        "is_superseded": version.state == VersionState.SUPERSEDED,
    }
    return render(request, "policies/read.html", context)


@require_POST
@member_required
def acknowledge(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    version = get_version_to_read(actor, version_id)
    try:
        actions.acknowledge(actor, version)
    except HarbourError as exc:
        messages.error(request, exc.message)
        return redirect("policies:read", version.pk)
    messages.success(
        request, _("Thank you: you acknowledged %(title)s.") % {"title": version.title_in(_language())}
    )
    return redirect("policies:mine")


# ------------------------------------------------------------------------------------------- officers
def _documents_context(request: ConsoleRequest, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    rows = []
    for document in documents_visible_to(actor):
        current = current_version(document)
        rows.append((document, current, progress_of(current) if current else None, draft_of(document)))
    return {
        "rows": rows,
        "may_manage": actor.access().tenant_wide(MANAGE),
        "offer_conduct_default": not has_conduct_policy(actor.tenant_id),
        "form": DocumentForm(),
        **extra,
    }


@member_required
def documents(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    if request.method != "POST":
        return render(request, "policies/documents.html", _documents_context(request))
    _require(request, MANAGE)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            document = actions.create_document(
                request.actor, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"]
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("Created %(name)s: write its first version.") % {"name": document.name}
            )
            return redirect("policies:document", document.pk)
    return render(request, "policies/documents.html", _documents_context(request, form=form), status=400)


@require_POST
@member_required
def create_default(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    try:
        version = actions.create_default_conduct_policy(request.actor)
    except HarbourError as exc:
        messages.error(request, exc.message)
        return redirect("policies:documents")
    messages.success(
        request,
        _("Created the Employee Conduct Policy from Harbour's default text: review it, then publish."),
    )
    return redirect("policies:edit_version", version.pk)


@member_required
def document(request: ConsoleRequest, document_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    actor = request.actor
    found = get_document_for(actor, document_id)
    versions = [(v, progress_of(v)) for v in versions_of(found).select_related("published_by")]
    context = {
        "document": found,
        "versions": versions,
        "has_draft": any(v.state == VersionState.DRAFT for v, _p in versions),
        "may_manage": actor.access().tenant_wide(MANAGE),
        "is_monitoring": found.kind == PolicyKind.MONITORING,
    }
    return render(request, "policies/document.html", context)


@require_POST
@member_required
def new_version(request: ConsoleRequest, document_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    found = get_document_for(request.actor, document_id)
    try:
        version = actions.draft_version(request.actor, found)
    except HarbourError as exc:
        messages.error(request, exc.message)
        return redirect("policies:document", found.pk)
    return redirect("policies:edit_version", version.pk)


def _draft(request: ConsoleRequest, version_id: uuid.UUID) -> PolicyVersion:
    version = get_version_for(request.actor, version_id)
    if version.state != VersionState.DRAFT:
        raise Http404
    return version


@member_required
def edit_version(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    version = _draft(request, version_id)
    fields = actions.TEXT_FIELDS
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                actions.update_draft(request.actor, version, **{f: form.cleaned_data[f] for f in fields})
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved the draft."))
                if "publish" in request.POST:
                    return redirect("policies:publish", version.pk)
                return redirect("policies:edit_version", version.pk)
        status = 400
    else:
        form = VersionForm(initial={f: getattr(version, f) for f in fields})
        status = 200
    context = {
        "version": version,
        "document": version.document,
        "form": form,
        "preview_en": render_markdown(version.body_en),
        "preview_zh": render_markdown(version.body_zh),
    }
    return render(request, "policies/edit_version.html", context, status=status)


def _department_choices(tenant_id: uuid.UUID) -> list[tuple[str, str]]:
    departments = Department.objects.for_tenant(tenant_id).order_by("path")
    return [(str(d.pk), "\u2003" * d.depth + d.name) for d in departments]


@member_required
def publish(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    """Choose the scope and deadline, see what happens, then publish."""
    _require(request, MANAGE)
    actor = request.actor
    version = _draft(request, version_id)
    choices = _department_choices(actor.tenant_id)
    previous = current_version(version.document)
    everyone = members_in_scope(version).count() if version.scope_all else None
    consequences = [
        _(
            "Everyone in the scope you choose is asked to read and acknowledge it, by a notice and an "
            "email, and reminded 7, 3 and 1 days before their deadline and when overdue."
        ),
        _("The text can no longer be changed; a change needs a new version."),
    ]
    if everyone is not None:
        consequences.append(
            _("The whole company is %(n)d member(s) today (active and invited accounts).") % {"n": everyone}
        )
    if previous is not None:
        consequences.append(
            _(
                "Version %(n)d is superseded: its acknowledgements stay as evidence, but everyone must "
                "acknowledge the new version."
            )
            % {"n": previous.number}
        )
    confirmation = Confirmation(
        title=_("Publish %(name)s, version %(n)d?") % {"name": version.document.name, "n": version.number},
        consequences=consequences,
        action_url=reverse("policies:publish", args=[version.pk]),
        button=_("Publish and ask for acknowledgement"),
        cancel_url=reverse("policies:edit_version", args=[version.pk]),
    )

    class _Form(PublishForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, departments=choices, **kwargs)

    def perform(form: Any) -> HttpResponse:
        data = form.cleaned_data
        published = actions.publish_version(
            actor,
            version,
            deadline_days=data["deadline_days"],
            scope_all=data["scope_all"],
            department_ids=[] if data["scope_all"] else data["departments"],
        )
        n = members_in_scope(published).count()
        messages.success(request, _("Published: %(n)d member(s) asked to acknowledge it.") % {"n": n})
        return redirect("policies:version", published.pk)

    return confirm(request, confirmation, _Form, perform)


@member_required
def version(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    """Progress (acknowledged, outstanding, overdue) and the outstanding members, filtered and paged."""
    _require(request, VIEW)
    actor = request.actor
    found = get_version_for(actor, version_id)
    progress = progress_of(found)
    choices = _department_choices(actor.tenant_id)
    filters = OutstandingFilterForm(request.GET or None, departments=choices)
    department = None
    overdue_only = False
    if filters.is_valid():
        chosen = filters.cleaned_data["department"]
        department = (
            Department.objects.for_tenant(actor.tenant_id).filter(pk=chosen).first() if chosen else None
        )
        overdue_only = filters.cleaned_data["overdue"]
    rows: list[tuple[Any, Any, bool]] = []
    next_cursor = None
    cursor = request.GET.get("cursor") or None
    at = now()
    if found.state != VersionState.DRAFT:
        qs = outstanding_members(found, department=department, overdue_only=overdue_only, at=at)
        try:
            page = keyset_page(qs, ("name", "id"), cursor, PAGE_SIZE)
        except Invalid:
            page, cursor = keyset_page(qs, ("name", "id"), None, PAGE_SIZE), None
        next_cursor = page.next_cursor
        for member in page.items:
            deadline = deadline_of(found, member.joined_at)
            rows.append((member, deadline, found.state == VersionState.PUBLISHED and deadline < at))
    chart = bar_chart(
        [
            (pgettext("policy progress", "Acknowledged"), progress.acknowledged),
            (pgettext("policy progress", "Outstanding"), progress.outstanding),
            (pgettext("policy progress", "Overdue"), progress.overdue),
        ]
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "version": found,
        "document": found.document,
        "progress": progress,
        "chart": chart,
        "rows": rows,
        "filters": filters,
        "next_cursor": next_cursor,
        "is_later_page": bool(cursor),
        "filter_query": query.urlencode(),
        "body": render_markdown(found.body_in(_language())),
        "title": found.title_in(_language()),
        "may_manage": actor.access().tenant_wide(MANAGE),
        "is_draft": found.state == VersionState.DRAFT,
    }
    return render(request, "policies/version.html", context)


@member_required
def version_csv(request: ConsoleRequest, version_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_version_for(request.actor, version_id)
    text, rows = acknowledgements_csv(found)
    actions.record_export(request.actor, found, rows=rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="policy-acknowledgements-{found.pk}.csv"'
    return response
