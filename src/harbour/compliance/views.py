"""Console pages of compliance: the dashboard (summary, posture over time, rules by section with their
findings and evidence, a status filter, attestations) and the report (a page, a PDF and an HTML file)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.compliance import actions
from harbour.compliance import report as documents
from harbour.compliance.charts import COLORS, posture_chart, summary_chart
from harbour.compliance.evaluation import STATUS_ORDER, RuleStatus, status_label
from harbour.compliance.forms import AttestationForm, WithdrawForm
from harbour.compliance.queries import (
    MANAGE,
    VIEW,
    attestations_visible_to,
    changes_since,
    get_attestation_for,
    history,
    posture_for,
    snapshot_before,
)
from harbour.compliance.report import file_name, report_context
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.time import today_in_hong_kong
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm, require_tenant_wide

ATTESTATIONS_SHOWN = 100


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _dashboard_context(request: ConsoleRequest, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    posture = posture_for(actor)
    counts = posture.counts()
    today = today_in_hong_kong()
    wanted = request.GET.get("status", "")
    filter_error = ""
    if wanted and wanted not in RuleStatus.values:
        filter_error = _("Unknown status %(value)s: showing every rule.") % {"value": wanted}
        wanted = ""
    sections = [
        (key, title, [r for r in rows if not wanted or str(r.status) == wanted])
        for key, title, rows in posture.by_section()
    ]
    previous = snapshot_before(actor.tenant_id, today)
    chart = summary_chart(counts)
    may_manage = actor.access().tenant_wide(MANAGE)
    context: dict[str, Any] = {
        "counts": [(str(s), status_label(str(s)), counts[str(s)]) for s in STATUS_ORDER],
        "summary_chart": chart,
        "summary_bars": [(COLORS[str(s)], bar) for s, bar in zip(STATUS_ORDER, chart.bars, strict=True)],
        "posture_chart": posture_chart(history(actor.tenant_id, until=today)),
        "sections": [(key, title, rows) for key, title, rows in sections if rows],
        "status_filter": wanted,
        "filter_error": filter_error,
        "statuses": [(str(s), status_label(str(s))) for s in STATUS_ORDER],
        "previous": previous,
        "changes": changes_since(posture, previous),
        "attestations": list(attestations_visible_to(actor).order_by("-created_at")[:ATTESTATIONS_SHOWN]),
        "may_manage": may_manage,
        "today": today,
    }
    if may_manage:
        context["form"] = AttestationForm(initial={"rule_id": request.GET.get("rule", "")})
    context.update(extra)
    return context


@member_required
def dashboard(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    context = _dashboard_context(request)
    return render(
        request, "compliance/dashboard.html", context, status=400 if context["filter_error"] else 200
    )


@require_POST
@member_required
def attest(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    _require(request, MANAGE)
    form = AttestationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attestation = actions.record_attestation(
                request.actor,
                rule_id=data["rule_id"],
                status=data["status"],
                reason=data["reason"],
                evidence_ref=data["evidence_ref"],
                review_by=data["review_by"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded the attestation for %(id)s.") % {"id": attestation.rule_id})
            return redirect(reverse("compliance:dashboard") + "#attestations")
    return render(request, "compliance/dashboard.html", _dashboard_context(request, form=form), status=400)


@member_required
def withdraw(request: ConsoleRequest, attestation_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    actor = request.actor
    attestation = get_attestation_for(actor, attestation_id, MANAGE)
    if not attestation.in_force:
        messages.error(request, _("This attestation has been withdrawn already."))
        return redirect(reverse("compliance:dashboard") + "#attestations")
    confirmation = Confirmation(
        title=_("Withdraw the attestation for %(id)s?") % {"id": attestation.rule_id},
        consequences=[
            _("The report no longer shows the statement “%(status)s” for this rule.")
            % {"status": attestation.get_status_display()},
            _("The statement stays on record as withdrawn, with your reason, and in the operation log."),
        ],
        action_url=reverse("compliance:withdraw", args=[attestation.pk]),
        button=_("Withdraw the attestation"),
        cancel_url=reverse("compliance:dashboard"),
    )

    def perform(form: Any) -> HttpResponse:
        actions.withdraw_attestation(actor, attestation, reason=form.cleaned_data["reason"])
        messages.success(request, _("Withdrew the attestation for %(id)s.") % {"id": attestation.rule_id})
        return redirect(reverse("compliance:dashboard") + "#attestations")

    return confirm(request, confirmation, WithdrawForm, perform)


@member_required
def report(request: ConsoleRequest) -> HttpResponse:
    """The report as a console page: generating it takes today's snapshot afresh and is audited."""
    _require(request, VIEW)
    snapshot = actions.generate_report(request.actor, fmt="html")
    context = report_context(request.tenant, snapshot, prepared_by=actions.actor_name(request.actor))
    return render(request, "compliance/report.html", {**context, "link_evidence": True})


@member_required
def report_pdf(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    snapshot = actions.generate_report(request.actor, fmt="pdf")
    content = documents.report_pdf(request.tenant, snapshot, prepared_by=actions.actor_name(request.actor))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(request.tenant, snapshot.day, "pdf")}"'
    )
    return response


@member_required
def report_download(request: ConsoleRequest) -> HttpResponse:
    """The report as a self-contained HTML file to hand over."""
    _require(request, VIEW)
    snapshot = actions.generate_report(request.actor, fmt="html")
    html = documents.report_html(request.tenant, snapshot, prepared_by=actions.actor_name(request.actor))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(request.tenant, snapshot.day, "html")}"'
    )
    return response
