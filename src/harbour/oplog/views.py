"""Console pages of the operation log: search with filters and paging, export, verify, retention settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.audit.chain import verify_company
from harbour.audit.retention import policy_of, set_legal_hold, set_retention
from harbour.core.databases import tenant_transaction
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.queries import department_tree
from harbour.oplog.export import FORMATS
from harbour.oplog.filters import build_filters, person_by_email
from harbour.oplog.forms import LogSearchForm, PolicyForm
from harbour.oplog.queries import DAYS_WITHOUT_AUDIT, LogFilters, full_log_included, log_page, search_log
from harbour.oplog.streaming import export_response

PAGE_SIZE = 50


def _guard(request: HttpRequest, permission: str) -> tuple[Any, Any]:
    actor, tenant = request.actor, request.tenant  # type: ignore[attr-defined]
    if not can(actor, permission, tenant):
        raise Http404
    return actor, tenant


def _filters_from(request: HttpRequest, form: LogSearchForm) -> LogFilters | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    actor = request.actor  # type: ignore[attr-defined]
    try:
        return build_filters(
            actor,
            person=person_by_email(actor, data["person"] or ""),
            department_id=data["department"] or None,
            kind=data["kind"] or "",
            since=data["since"],
            until=data["until"],
        )
    except HarbourError as exc:
        form.add_domain_error(exc)
        return None


@member_required
def log(request: HttpRequest) -> HttpResponse:
    actor, tenant = _guard(request, "audit.view")
    form = LogSearchForm(request.GET or None, departments=department_tree(actor))
    filters = _filters_from(request, form) if request.GET else LogFilters()
    page = None
    if filters is not None:
        try:
            page = log_page(search_log(actor, tenant, filters), request.GET.get("before"), PAGE_SIZE)
        except HarbourError as exc:
            form.add_domain_error(exc)
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "full_log": full_log_included(tenant),
        "window_days": DAYS_WITHOUT_AUDIT,
        "may_manage": can(actor, "audit.manage", tenant),
    }
    template = "oplog/_entries.html" if request.headers.get("HX-Request") else "oplog/log.html"
    return render(request, template, context, status=400 if form.errors else 200)


@member_required
def export(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    actor, tenant = _guard(request, "audit.view")
    if file_format not in FORMATS:
        raise Http404
    form = LogSearchForm(request.GET or None, departments=department_tree(actor))
    filters = _filters_from(request, form) if request.GET else LogFilters()
    if filters is None:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect("oplog:log")
    return export_response(actor, tenant, filters, file_format)


@member_required
def verify(request: HttpRequest) -> HttpResponse:
    _actor, tenant = _guard(request, "audit.view")
    if request.method != "POST":
        return redirect("oplog:log")
    verdict = verify_company(tenant.pk)
    if verdict.intact:
        messages.success(
            request, _("The operation log is intact: %(n)d entries verified.") % {"n": verdict.entries}
        )
    else:
        messages.error(
            request,
            _("The operation log is broken at entry %(seq)s: %(reason)s")
            % {"seq": verdict.broken_seq, "reason": verdict.reason},
        )
    return redirect("oplog:log")


@member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = _guard(request, "audit.manage")
    policy = policy_of(tenant.pk)
    initial = {
        "retention_days": policy.retention_days,
        "legal_hold": policy.legal_hold,
        "legal_hold_reason": policy.legal_hold_reason,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with tenant_transaction(tenant.pk):
                if data["retention_days"] != policy.retention_days:
                    set_retention(actor, days=data["retention_days"])
                if data["legal_hold"] != policy.legal_hold or (
                    data["legal_hold"] and data["legal_hold_reason"] != policy.legal_hold_reason
                ):
                    set_legal_hold(actor, on=data["legal_hold"], reason=data["legal_hold_reason"])
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved how the operation log is kept."))
            return redirect("oplog:settings")
    return render(request, "oplog/settings.html", {"form": form}, status=400 if form.errors else 200)
