"""Console pages of plans: the company's plan and quota use, changing it with a preview, comparing plans
with the cost calculator, and the platform operator's catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.entitlements import Feature, entitlements_of
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.plans import actions
from harbour.plans.forms import CataloguePlanForm, PlanChangeForm, PriceForm
from harbour.plans.models import Plan
from harbour.plans.pricing import price_of
from harbour.plans.queries import available_plans, get_plan, subscription_of, usage_of
from harbour.plans.source import effective_terms


def _guard(request: HttpRequest, permission: str) -> None:
    if not can(request.actor, permission, request.tenant):  # type: ignore[attr-defined]
        raise Http404


def _is_operator(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_operator", False))


@member_required
def subscription(request: HttpRequest) -> HttpResponse:
    _guard(request, "plan.view")
    tenant = request.tenant  # type: ignore[attr-defined]
    current = subscription_of(tenant)
    plan, _seats = effective_terms(current)
    context = {
        "subscription": current,
        "plan": plan,
        "usage": usage_of(tenant),
        "features": [Feature(f) for f in Feature.values if f in entitlements_of(tenant).features],
        "may_manage": can(request.actor, "plan.manage", tenant),  # type: ignore[attr-defined]
    }
    return render(request, "plans/subscription.html", context)


@member_required
def change(request: HttpRequest) -> HttpResponse:
    """Choose → preview (when, price, what stops working, what refuses it) → confirm."""
    _guard(request, "plan.manage")
    actor, tenant = request.actor, request.tenant  # type: ignore[attr-defined]
    current = subscription_of(tenant)
    plan, seats = effective_terms(current)
    plans = list(available_plans())
    initial = {"plan": plan.code, "seats": seats or 10, "term": current.term if current else "monthly"}
    form = PlanChangeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        plans=plans,
        operator=_is_operator(request),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args: dict[str, Any] = {"unit_price": data.get("unit_price")}
        try:
            chosen = get_plan(data["plan"])
            if request.POST.get("confirm") == "yes":
                _sub, done = actions.change_subscription(actor, chosen, data["seats"], data["term"], **args)
                if done.immediate:
                    messages.success(
                        request, _("The company is now on %(plan)s.") % {"plan": chosen.display_name}
                    )
                else:
                    messages.success(
                        request,
                        _("%(plan)s starts on %(day)s, at the end of the current period.")
                        % {"plan": chosen.display_name, "day": done.effective_on.isoformat()},
                    )
                return redirect("plans:subscription")
            preview = actions.preview_plan_change(actor, chosen, data["seats"], data["term"], **args)
        except HarbourError as exc:
            form.add_domain_error(exc)
    status = 400 if form.errors else 200
    return render(request, "plans/change.html", {"form": form, "preview": preview}, status=status)


@member_required
def cancel_scheduled(request: HttpRequest) -> HttpResponse:
    _guard(request, "plan.manage")
    if request.method != "POST":
        return redirect("plans:subscription")
    try:
        actions.cancel_scheduled_change(request.actor)  # type: ignore[attr-defined]
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The scheduled plan change is cancelled."))
    return redirect("plans:subscription")


@member_required
def compare(request: HttpRequest) -> HttpResponse:
    """Every plan side by side, and the cost calculator (an HTMX swap of the result, or a full page)."""
    _guard(request, "plan.view")
    plans = list(available_plans())
    form = PriceForm(request.POST if request.method == "POST" else None, plans=plans)
    price = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            price = price_of(
                get_plan(data["plan"]),
                data["seats"],
                data["term"],
                unit_price=data["unit_price"],
                discount_percent=data["discount_percent"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
    context = {
        "plans": plans,
        "features": Feature.choices,
        "form": form,
        "price": price,
    }
    status = 400 if form.errors else 200
    if getattr(request, "htmx", False):
        return render(request, "plans/_calculator.html", context, status=status)
    return render(request, "plans/compare.html", context, status=status)


def catalogue(request: HttpRequest) -> HttpResponse:
    """Platform operators: the catalogue every company chooses from."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_operator(request):
        raise Http404
    plans = list(Plan.objects.order_by("rank").prefetch_related("revisions"))
    return render(request, "plans/catalogue.html", {"plans": plans})


def catalogue_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_operator(request):
        raise Http404
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise Http404
    form = CataloguePlanForm(
        request.POST if request.method == "POST" else None, initial=CataloguePlanForm.initial_for(plan)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_catalogue_plan(request.user, plan, **form.changes())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the plan %(plan)s.") % {"plan": plan.display_name})
            return redirect("plans:catalogue")
    status = 400 if form.errors else 200
    return render(request, "plans/catalogue_form.html", {"form": form, "plan": plan}, status=status)
