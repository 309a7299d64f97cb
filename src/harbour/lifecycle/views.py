"""Console pages of HR imports: upload a file (a dry run), read the planned changes, apply them in the
background, and read the sync report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.lifecycle.actions import apply_in_background, plan_file_import
from harbour.lifecycle.diff import KINDS
from harbour.lifecycle.forms import ImportForm
from harbour.lifecycle.queries import candidate_labels, get_run_for, items_of, runs_for

ITEMS_SHOWN = 500


def guard(request: HttpRequest, permission: str) -> tuple[Any, Any]:
    actor, tenant = request.actor, request.tenant  # type: ignore[attr-defined]
    if not can(actor, permission, tenant):
        raise Http404
    return actor, tenant


@member_required
def imports_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.view")
    may_manage = can(actor, "lifecycle.manage", tenant)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = plan_file_import(
                    actor,
                    upload.read(),
                    upload.name,
                    mapping=form.cleaned_data["mapping"] or None,
                    full_export=form.cleaned_data["full_export"],
                    reconcile=form.cleaned_data["reconcile"],
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Planned: nothing has changed yet. Read the changes, then apply.")
                )
                return redirect("lifecycle:run", run_id=run.pk)
    context = {"form": form, "runs": list(runs_for(actor)[:50]), "may_manage": may_manage}
    return render(request, "lifecycle/imports.html", context, status=400 if form.errors else 200)


@member_required
def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.view")
    run = get_run_for(actor, run_id)
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in (*KINDS, "absent"):
        kind = None
    items = list(items_of(run, kind).order_by("position")[:ITEMS_SHOWN])
    labels = candidate_labels(tenant.pk, [i for i in items if i.candidates])
    for item in items:
        item.choices = [(c, labels.get(c, c)) for c in item.candidates]  # type: ignore[attr-defined]
    may_manage = can(actor, "lifecycle.manage", tenant)
    context = {
        "run": run,
        "items": items,
        "kind": kind,
        "kinds": [k for k in (*KINDS, "absent") if run.counts.get(k)],
        "outcomes": run.counts.get("outcomes", {}),
        "may_apply": may_manage and run.state != run.State.APPLIED,
        "may_decide": may_manage,
    }
    return render(request, "lifecycle/run.html", context)


@require_POST
@member_required
def apply_page(request: HttpRequest, run_id: str) -> HttpResponse:
    actor, _tenant = guard(request, "lifecycle.manage")
    run = get_run_for(actor, run_id)
    try:
        apply_in_background(actor, run)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Applying in the background; this page shows each change's outcome."))
    return redirect("lifecycle:run", run_id=run.pk)
