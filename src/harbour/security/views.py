"""Console pages of the security settings: the settings page and the company's email domains."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.audit.retention import policy_of
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.queries import administrators
from harbour.security import domains
from harbour.security.actions import grant_exception, revoke_exception, update_settings
from harbour.security.baseline import csv_lines, evaluate, rules
from harbour.security.forms import DomainForm, ExceptionForm, OverrideForm, SecuritySettingsForm
from harbour.security.queries import exceptions_for, get_exception_for, settings_for


def _guard(request: HttpRequest, permission: str) -> tuple[Any, Any]:
    actor, tenant = request.actor, request.tenant  # type: ignore[attr-defined]
    if not can(actor, permission, tenant):
        raise Http404
    return actor, tenant


def _initial(actor: Any) -> dict[str, Any]:
    settings = settings_for(actor)
    initial = {name: getattr(settings, name) for name in settings.FIELDS if name != "break_glass_member"}
    initial["allowed_networks"] = "\n".join(settings.allowed_networks)
    initial["break_glass_member"] = str(settings.break_glass_member_id or "")
    initial["audit_retention_days"] = policy_of(actor.tenant_id).retention_days
    return initial


@member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = _guard(request, "security.view")
    may_manage = can(actor, "security.manage", tenant)
    admins = [(str(m.pk), f"{m.name} <{m.email}>") for m in administrators(tenant.pk).order_by("name")]
    initial = _initial(actor)
    form = SecuritySettingsForm(
        request.POST if request.method == "POST" else None, initial=initial, administrators=admins
    )
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            changed = {k: v for k, v in form.values().items() if k in form.changed_data}
            try:
                update_settings(actor, changed)
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Security settings saved."))
                return redirect("security:settings")
    if not may_manage:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "form": form,
        "may_manage": may_manage,
        "domains": domains.domain_statuses(actor),
        "outside_count": domains.members_outside_domains(actor).count(),
    }
    return render(request, "security/settings.html", context, status=400 if form.errors else 200)


@member_required
def domains_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = _guard(request, "security.view")
    form = DomainForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _guard(request, "security.manage")
        if form.is_valid():
            try:
                domains.add_domain(actor, form.cleaned_data["name"])
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Domain added: publish its TXT record, then check it."))
                return redirect("security:domains")
    context = {
        "form": form,
        "domains": domains.domain_statuses(actor),
        "may_manage": can(actor, "security.manage", tenant),
        "override_form": OverrideForm(),
    }
    return render(request, "security/domains.html", context, status=400 if form.errors else 200)


@require_POST
@member_required
def domain_check(request: HttpRequest) -> HttpResponse:
    actor, _tenant = _guard(request, "security.manage")
    name = request.POST.get("name", "")
    try:
        row = domains.check_domain(actor, name)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        if row.is_verified:
            messages.success(request, _("%(domain)s is verified.") % {"domain": row.name})
        else:
            messages.error(
                request,
                _("%(domain)s is not verified yet: %(finding)s.")
                % {"domain": row.name, "finding": row.last_check_result},
            )
    return redirect("security:domains")


@require_POST
@member_required
def domain_override(request: HttpRequest) -> HttpResponse:
    actor, _tenant = _guard(request, "security.manage")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            domains.override_verification(
                actor, form.cleaned_data["name"], reason=form.cleaned_data["reason"]
            )
        except HarbourError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Marked verified; the reason is in the operation log."))
    else:
        messages.error(request, _("Say why DNS verification is being skipped."))
    return redirect("security:domains")


@require_POST
@member_required
def domain_remove(request: HttpRequest) -> HttpResponse:
    actor, _tenant = _guard(request, "security.manage")
    try:
        domains.remove_domain(actor, request.POST.get("name", ""))
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Domain removed."))
    return redirect("security:domains")


@member_required
def outside_members(request: HttpRequest) -> HttpResponse:
    actor, _tenant = _guard(request, "security.view")
    members = list(domains.members_outside_domains(actor)[:1000])
    return render(request, "security/outside_members.html", {"members": members})


@member_required
def baseline_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = _guard(request, "security.view")
    may_manage = can(actor, "security.manage", tenant)
    form = ExceptionForm(request.POST if request.method == "POST" else None, rule_choices=_rule_choices())
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            try:
                grant_exception(
                    actor,
                    rule_id=form.cleaned_data["rule_id"],
                    rationale=form.cleaned_data["rationale"],
                    expires_at=form.expires_at(),
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Exception recorded."))
                return redirect("security:baseline")
    report = evaluate(tenant)
    context = {
        "report": report,
        "tally": report.tally(),
        "form": form,
        "may_manage": may_manage,
        "exceptions": list(exceptions_for(actor).order_by("-created_at")[:50]),
    }
    return render(request, "security/baseline.html", context, status=400 if form.errors else 200)


@member_required
def baseline_csv(request: HttpRequest) -> StreamingHttpResponse:
    _actor, tenant = _guard(request, "security.view")
    response = StreamingHttpResponse(csv_lines(evaluate(tenant)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="baseline-{tenant.slug}.csv"'
    return response


@require_POST
@member_required
def exception_revoke(request: HttpRequest, exception_id: str) -> HttpResponse:
    actor, _tenant = _guard(request, "security.manage")
    revoke_exception(actor, get_exception_for(actor, exception_id))
    messages.success(request, _("Exception revoked."))
    return redirect("security:baseline")


def _rule_choices() -> list[tuple[str, str]]:
    return [(rule.id, f"{rule.id} — {rule.title}") for rule in rules()]
