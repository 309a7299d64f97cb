"""Console pages of the reseller register: the list (HTMX search), a reseller's page, recording and editing
it, verifying its certificate and keeping its signed SLA."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.directory.views.base import ConsoleRequest, is_partial
from harbour.procurement import actions
from harbour.procurement.forms import (
    ContactFormSet,
    ResellerForm,
    SlaForm,
    VerificationForm,
    add_reseller_error,
    contacts_of,
)
from harbour.procurement.models import ResellerStatus
from harbour.procurement.queries import (
    get_reseller_for,
    partner_entry_of,
    quotes_visible_to,
    search_resellers,
)
from harbour.procurement.views.base import MANAGE, VIEW, may, page_of, require


@member_required
def resellers(request: ConsoleRequest) -> HttpResponse:
    """The register, searchable by name or BR number; HTMX swaps only the rows."""
    require(request, VIEW)
    q = (request.GET.get("q") or "").strip()[:150]
    status = request.GET.get("status") or ""
    qs = search_resellers(request.actor, q)
    if status in ResellerStatus.values:
        qs = qs.filter(status=status)
    page, is_later_page = page_of(request, qs, ("name", "id"))
    context = {
        "resellers": page.items,
        "next_cursor": page.next_cursor,
        "is_later_page": is_later_page,
        "q": q,
        "status": status,
        "statuses": ResellerStatus.choices,
        "may_manage": may(request, MANAGE),
    }
    template = "procurement/_reseller_rows.html" if is_partial(request) else "procurement/resellers.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@member_required
def reseller_detail(request: ConsoleRequest, reseller_id: uuid.UUID) -> HttpResponse:
    require(request, VIEW)
    reseller = get_reseller_for(request.actor, reseller_id)
    listing = partner_entry_of(reseller)
    context = {
        "reseller": reseller,
        "partner_list": listing[0] if listing else None,
        "match": listing[1] if listing else None,
        "quotes": list(
            quotes_visible_to(request.actor).filter(reseller=reseller).order_by("-created_at")[:50]
        ),
        "may_manage": may(request, MANAGE),
    }
    return render(request, "procurement/reseller_detail.html", context)


def _reseller_form(request: ConsoleRequest, reseller_id: uuid.UUID | None) -> HttpResponse:
    require(request, MANAGE)
    actor = request.actor
    reseller = get_reseller_for(actor, reseller_id) if reseller_id is not None else None
    posted = request.POST if request.method == "POST" else None
    form = ResellerForm(posted, initial=ResellerForm.initial_for(reseller) if reseller else None)
    formset = ContactFormSet(posted, prefix="contacts", initial=reseller.contacts if reseller else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values: dict[str, Any] = {**form.cleaned_data, "contacts": contacts_of(formset)}
        try:
            if reseller is None:
                reseller = actions.create_reseller(actor, **values)
                messages.success(request, _("Recorded the reseller %(name)s.") % {"name": reseller.name})
            else:
                reseller = actions.update_reseller(actor, reseller, **values)
                messages.success(request, _("Saved the reseller %(name)s.") % {"name": reseller.name})
        except HarbourError as exc:
            add_reseller_error(form, formset, exc)
        else:
            return redirect("procurement:reseller", reseller.pk)
    has_errors = bool(form.errors) or any(f.errors for f in formset.forms) or bool(formset.non_form_errors())
    context = {"form": form, "formset": formset, "reseller": reseller}
    return render(request, "procurement/reseller_form.html", context, status=400 if has_errors else 200)


@member_required
def reseller_create(request: ConsoleRequest) -> HttpResponse:
    return _reseller_form(request, None)


@member_required
def reseller_edit(request: ConsoleRequest, reseller_id: uuid.UUID) -> HttpResponse:
    return _reseller_form(request, reseller_id)


@member_required
def reseller_verify(request: ConsoleRequest, reseller_id: uuid.UUID) -> HttpResponse:
    """Record that a person checked the certificate number with DingTalk's customer service."""
    require(request, MANAGE)
    reseller = get_reseller_for(request.actor, reseller_id)
    form = VerificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.verify_certificate(request.actor, reseller, note=form.cleaned_data["note"])
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded the verification of the certificate."))
            return redirect("procurement:reseller", reseller.pk)
    context = {"form": form, "reseller": reseller}
    return render(request, "procurement/reseller_verify.html", context, status=400 if form.errors else 200)


@member_required
def reseller_sla(request: ConsoleRequest, reseller_id: uuid.UUID) -> HttpResponse:
    require(request, MANAGE)
    reseller = get_reseller_for(request.actor, reseller_id)
    posted = request.method == "POST"
    form = SlaForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"signed_on": reseller.sla_signed_on},
        has_document=bool(reseller.sla_document),
    )
    if posted and form.is_valid():
        try:
            actions.record_sla(
                request.actor,
                reseller,
                signed_on=form.cleaned_data["signed_on"],
                document=form.cleaned_data["document"] or None,
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded the signed SLA."))
            return redirect("procurement:reseller", reseller.pk)
    context = {"form": form, "reseller": reseller}
    return render(request, "procurement/reseller_sla.html", context, status=400 if form.errors else 200)


@member_required
def reseller_sla_document(request: ConsoleRequest, reseller_id: uuid.UUID) -> HttpResponse:
    """The SLA on file, to those who may see the register (uploads are never served publicly)."""
    require(request, VIEW)
    reseller = get_reseller_for(request.actor, reseller_id)
    if not reseller.sla_document:
        messages.error(request, _("No SLA document is on file for %(name)s.") % {"name": reseller.name})
        return redirect("procurement:reseller", reseller.pk)
    with reseller.sla_document.open("rb") as document:  # at most 10 MB (actions.resellers)
        response = HttpResponse(document.read(), content_type="application/pdf")
    actions.record_sla_download(request.actor, reseller)
    response["Content-Disposition"] = content_disposition_header(True, reseller.sla_filename or "sla.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
