"""Console pages of quotes: the list, a quote's page with its checklist, red flags and sign-offs, entering
and editing a quote, the support-response test, the verdict and signing it off (an HTMX swap)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.time import HONG_KONG
from harbour.directory.views.base import ConsoleRequest, is_partial
from harbour.plans.queries import available_plans, get_plan
from harbour.procurement import actions
from harbour.procurement.forms import QuoteForm, SignOffForm, SupportTestForm, VerdictForm
from harbour.procurement.models import Capacity, Quote, QuoteStatus
from harbour.procurement.queries import (
    checklist_of,
    get_quote_for,
    get_reseller_for,
    quotes_visible_to,
    resellers_visible_to,
)
from harbour.procurement.views.base import MANAGE, VIEW, may, page_of, require


@member_required
def quotes(request: ConsoleRequest) -> HttpResponse:
    require(request, VIEW)
    status = request.GET.get("status") or ""
    qs = quotes_visible_to(request.actor)
    if status in QuoteStatus.values:
        qs = qs.filter(status=status)
    page, is_later_page = page_of(request, qs, ("created_at", "id"))
    context = {
        "quotes": page.items,
        "next_cursor": page.next_cursor,
        "is_later_page": is_later_page,
        "status": status,
        "statuses": QuoteStatus.choices,
        "may_manage": may(request, MANAGE),
    }
    return render(request, "procurement/quotes.html", context)


def _decision_context(request: ConsoleRequest, quote: Quote) -> dict[str, Any]:
    """The verdict, its sign-offs, and the capacities the actor could sign in now."""
    signed = list(quote.sign_offs.all())
    taken = {s.capacity for s in signed}
    already = any(s.member_id == request.actor.pk for s in signed)
    awaiting = quote.status == QuoteStatus.AWAITING_SIGN_OFF
    can_sign = [
        c
        for c in Capacity
        if awaiting and not already and c.value not in taken and may(request, c.permission)
    ]
    return {
        "quote": quote,
        "sign_offs": signed,
        "missing": [c for c in Capacity if c.value not in taken],
        "can_sign": can_sign,
        "may_manage": may(request, MANAGE),
    }


@member_required
def quote_detail(request: ConsoleRequest, quote_id: uuid.UUID) -> HttpResponse:
    require(request, VIEW)
    quote = get_quote_for(request.actor, quote_id)
    context = _decision_context(request, quote)
    context["checklist"] = checklist_of(quote, request.tenant)
    return render(request, "procurement/quote_detail.html", context)


def _quote_form(request: ConsoleRequest, quote_id: uuid.UUID | None) -> HttpResponse:
    require(request, MANAGE)
    actor = request.actor
    quote = get_quote_for(actor, quote_id) if quote_id is not None else None
    if quote is not None and quote.is_decided:
        messages.error(request, _("The purchase is decided and locked."))
        return redirect("procurement:quote", quote.pk)
    resellers = list(resellers_visible_to(actor).order_by("name", "id"))
    if quote is None and not resellers:
        messages.error(request, _("Record the reseller before entering its quote."))
        return redirect("procurement:reseller_create")
    if quote is not None:
        initial = QuoteForm.initial_for(quote)
    else:
        initial = {"payer_name": request.tenant.registered_name, "reseller": request.GET.get("reseller", "")}
    form = QuoteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        resellers=resellers,
        plans=list(available_plans()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            reseller = get_reseller_for(actor, form.cleaned_data["reseller"])
            plan = get_plan(form.cleaned_data["plan"])
            if quote is None:
                quote = actions.create_quote(actor, reseller=reseller, plan=plan, **form.values())
                messages.success(request, _("Recorded the quote."))
            else:
                quote = actions.update_quote(actor, quote, reseller=reseller, plan=plan, **form.values())
                messages.success(request, _("Saved the quote."))
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("procurement:quote", quote.pk)
    context = {"form": form, "quote": quote}
    return render(request, "procurement/quote_form.html", context, status=400 if form.errors else 200)


@member_required
def quote_create(request: ConsoleRequest) -> HttpResponse:
    return _quote_form(request, None)


@member_required
def quote_edit(request: ConsoleRequest, quote_id: uuid.UUID) -> HttpResponse:
    return _quote_form(request, quote_id)


def _local(value: Any) -> Any:
    return value.astimezone(HONG_KONG).replace(tzinfo=None) if value is not None else None


@member_required
def quote_support_test(request: ConsoleRequest, quote_id: uuid.UUID) -> HttpResponse:
    require(request, MANAGE)
    quote = get_quote_for(request.actor, quote_id)
    initial = {
        "query_sent_at": _local(quote.support_query_sent_at),
        "first_answer_at": _local(quote.support_first_answer_at),
        "answer_language": quote.support_answer_language,
        "note": quote.support_note,
    }
    form = SupportTestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_support_test(
                request.actor,
                quote,
                query_sent_at=data["query_sent_at"],
                first_answer_at=data["first_answer_at"],
                answer_language=data["answer_language"],
                note=data["note"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded the support-response test."))
            return redirect("procurement:quote", quote.pk)
    context = {"form": form, "quote": quote}
    return render(request, "procurement/quote_support_test.html", context, status=400 if form.errors else 200)


@member_required
def quote_verdict(request: ConsoleRequest, quote_id: uuid.UUID) -> HttpResponse:
    """Propose approve or reject with reasons; the checklist's blockers are shown beside the form."""
    require(request, MANAGE)
    quote = get_quote_for(request.actor, quote_id)
    form = VerdictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_verdict(
                request.actor,
                quote,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The verdict now awaits sign-off by Legal and Information Security."))
            return redirect("procurement:quote", quote.pk)
    context = {"form": form, "quote": quote, "checklist": checklist_of(quote, request.tenant)}
    return render(request, "procurement/quote_verdict.html", context, status=400 if form.errors else 200)


@member_required
def quote_sign(request: ConsoleRequest, quote_id: uuid.UUID) -> HttpResponse:
    """POST only. HTMX swaps the decision panel in place; a plain form post returns to the quote."""
    require(request, VIEW)
    quote = get_quote_for(request.actor, quote_id)
    if request.method != "POST":
        return redirect("procurement:quote", quote.pk)
    form = SignOffForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose in which capacity you sign.")
    else:
        try:
            actions.sign_off(
                request.actor, quote, capacity=form.cleaned_data["capacity"], note=form.cleaned_data["note"]
            )
        except HarbourError as exc:
            error = exc.message
    if is_partial(request):
        context = _decision_context(request, get_quote_for(request.actor, quote_id))
        context["error"] = error  # shown in the panel: HTMX does not swap in error statuses
        return render(request, "procurement/_decision.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your sign-off is recorded."))
    return redirect("procurement:quote", quote.pk)
