"""Console pages around the HR sources: the sources themselves (file, SCIM, webhooks), reconciliation
(every record's situation, disputed records decided by a person) and the role rules."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.forms import department_choices
from harbour.directory.models import Department, Member, Role
from harbour.lifecycle import webhook as webhooks
from harbour.lifecycle.actions import decide_disputed
from harbour.lifecycle.forms import DisputeForm, RoleRuleForm
from harbour.lifecycle.links import counts_by_situation
from harbour.lifecycle.models import SourceLink, SyncRun
from harbour.lifecycle.queries import (
    candidate_labels,
    get_item_for,
    get_run_for,
    get_webhook_for,
    links_for,
    rules_for,
    waiting_disputes,
    webhooks_for,
)
from harbour.lifecycle.rules import create_rule, delete_rule, get_rule_for
from harbour.lifecycle.views import guard

LINKS_SHOWN = 500


def _hook_address(webhook_id: object) -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}/hooks/hr/{webhook_id}/"


@member_required
def sources_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.view")
    hooks = list(webhooks_for(actor))
    context = {
        "webhooks": [(hook, _hook_address(hook.pk)) for hook in hooks],
        "may_manage": can(actor, "lifecycle.manage", tenant),
        "situations": counts_by_situation(tenant.pk),
        "minted": request.session.pop("hr_webhook_secret", None),
    }
    return render(request, "lifecycle/sources.html", context)


@require_POST
@member_required
def webhook_create(request: HttpRequest) -> HttpResponse:
    actor, _tenant = guard(request, "lifecycle.manage")
    try:
        webhook, secret = webhooks.create_webhook(actor)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        request.session["hr_webhook_secret"] = {"address": _hook_address(webhook.pk), "secret": secret}
    return redirect("lifecycle:sources")


@require_POST
@member_required
def webhook_change(request: HttpRequest, webhook_id: str) -> HttpResponse:
    actor, _tenant = guard(request, "lifecycle.manage")
    webhook = get_webhook_for(actor, webhook_id)
    what = request.POST.get("do")
    try:
        if what == "rotate":
            secret = webhooks.rotate_secret(actor, webhook)
            request.session["hr_webhook_secret"] = {"address": _hook_address(webhook.pk), "secret": secret}
        elif what in ("enable", "disable"):
            webhooks.set_enabled(actor, webhook, what == "enable")
            messages.success(request, _("Switched on.") if what == "enable" else _("Switched off."))
        else:
            messages.error(request, _("Choose rotate, enable or disable."))
    except HarbourError as exc:
        messages.error(request, exc.message)
    return redirect("lifecycle:sources")


@member_required
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.view")
    source = request.GET.get("source") or None
    situation = request.GET.get("situation") or None
    if source not in (None, *SyncRun.Source.values):
        source = None
    if situation not in (None, *SourceLink.Situation.values):
        situation = None
    disputes = list(waiting_disputes(actor)[:100])
    labels = candidate_labels(tenant.pk, disputes)
    counts = counts_by_situation(tenant.pk, source)
    largest = max(counts.values(), default=0) or 1
    context = {
        "links": list(
            links_for(actor, source=source, situation=situation).order_by("-updated_at")[:LINKS_SHOWN]
        ),
        "bars": [
            (key, label, counts.get(key, 0), round(100 * counts.get(key, 0) / largest))
            for key, label in SourceLink.Situation.choices
        ],
        "sources": SyncRun.Source.choices,
        "source": source,
        "situation": situation,
        "disputes": [(item, [(c, labels.get(c, c)) for c in item.candidates]) for item in disputes],
        "may_manage": can(actor, "lifecycle.manage", tenant),
    }
    return render(request, "lifecycle/reconciliation.html", context)


@require_POST
@member_required
def decide_page(request: HttpRequest, run_id: str, item_id: str) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.manage")
    item = get_item_for(actor, get_run_for(actor, run_id), item_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the accounts the record points at."))
        return redirect("lifecycle:reconciliation")
    chosen: Member | None = None
    if form.cleaned_data["member"]:
        chosen = (
            Member.objects.for_tenant(tenant)
            .filter(pk__in=item.candidates, pk=form.cleaned_data["member"])
            .first()
        )
        if chosen is None:
            messages.error(request, _("Choose one of the accounts the record points at."))
            return redirect("lifecycle:reconciliation")
    try:
        decide_disputed(actor, item, chosen)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Decided: %(label)s") % {"label": item.label or item.record.get("email", "")}
        )
    if request.POST.get("next") == "run":
        return redirect("lifecycle:run", run_id=item.run_id)
    return redirect("lifecycle:reconciliation")


@member_required
def rules_page(request: HttpRequest) -> HttpResponse:
    actor, tenant = guard(request, "lifecycle.view")
    may_manage = can(actor, "lifecycle.manage", tenant)
    departments = {str(d.pk): d for d in Department.objects.for_tenant(tenant).order_by("path")}
    roles = {str(r.pk): r for r in Role.objects.for_tenant(tenant)}
    form = RoleRuleForm(
        request.POST or None,
        departments=department_choices(departments.values()),
        roles=[(key, role.display_name) for key, role in roles.items()],
    )
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                create_rule(
                    actor,
                    role=roles[data["role"]],
                    department=departments.get(data["department"]),
                    include_subdepartments=data["include_subdepartments"],
                    title_contains=data["title_contains"],
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Rule added. It applies to joiners, movers and rehires from now on.")
                )
                return redirect("lifecycle:rules")
    context = {"rules": list(rules_for(actor)), "form": form, "may_manage": may_manage}
    return render(request, "lifecycle/rules.html", context, status=400 if form.errors else 200)


@require_POST
@member_required
def rule_delete(request: HttpRequest, rule_id: str) -> HttpResponse:
    actor, _tenant = guard(request, "lifecycle.manage")
    rule = get_rule_for(actor, rule_id)
    try:
        delete_rule(actor, rule)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rule removed; grants it made stay until a move or a review."))
    return redirect("lifecycle:rules")
