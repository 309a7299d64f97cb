"""REST API v1 of procurement: the reseller register, partner-list imports, quotes, their due-diligence
checklist, the verdict and its two sign-offs. Each endpoint parses, asks a gate for the objects it names
(another company's id is "not found"), calls one action and returns a schema."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from harbour.core.errors import NotFound
from harbour.core.pagination import keyset_page
from harbour.core.permissions import Actor
from harbour.plans.queries import get_plan
from harbour.procurement import actions
from harbour.procurement.models import Reseller
from harbour.procurement.queries import (
    checklist_of,
    company_of,
    get_quote_for,
    get_reseller_for,
    partner_entry_of,
    partner_lists_visible_to,
    quotes_visible_to,
    require_view,
    search_resellers,
)
from harbour.procurement.schemas import (
    ChecklistOut,
    PageParams,
    PartnerListIn,
    PartnerListOut,
    PartnerListPage,
    QuoteFilters,
    QuoteIn,
    QuoteOut,
    QuotePage,
    QuotePatch,
    ResellerDetailOut,
    ResellerFilters,
    ResellerIn,
    ResellerOut,
    ResellerPage,
    ResellerPatch,
    SignOffIn,
    SupportTestIn,
    VerdictIn,
    VerificationIn,
)

router = Router(tags=["procurement"])


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _reseller_ref(actor: Actor, reseller_id: uuid.UUID) -> Reseller:
    """A reseller named in a body: a miss names the body's field."""
    try:
        return get_reseller_for(actor, reseller_id)
    except NotFound as exc:
        raise NotFound(exc.message, field="reseller_id") from None


def _detail(reseller: Reseller) -> ResellerDetailOut:
    return ResellerDetailOut.of_listed(reseller, partner_entry_of(reseller))


# ---------------------------------------------------------------------------------------------- resellers
@router.get("/procurement/resellers", response=ResellerPage, summary="Resellers on record, by name")
def list_resellers(request: HttpRequest, filters: Query[ResellerFilters]) -> ResellerPage:
    actor = _actor(request)
    require_view(actor)
    qs = search_resellers(actor, filters.q)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    page = keyset_page(qs, ("name", "id"), filters.cursor, filters.limit)
    return ResellerPage(items=[ResellerOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.post("/procurement/resellers", response={201: ResellerDetailOut}, summary="Record a reseller")
def create_reseller(request: HttpRequest, body: ResellerIn) -> ResellerDetailOut:
    values: dict[str, Any] = body.model_dump()
    reseller = actions.create_reseller(_actor(request), **values)
    return _detail(reseller)


@router.get(
    "/procurement/resellers/{reseller_id}",
    response=ResellerDetailOut,
    summary="One reseller, with its entry on the newest partner list",
)
def get_reseller(request: HttpRequest, reseller_id: uuid.UUID) -> ResellerDetailOut:
    return _detail(get_reseller_for(_actor(request), reseller_id))


@router.patch("/procurement/resellers/{reseller_id}", response=ResellerDetailOut, summary="Edit a reseller")
def update_reseller(request: HttpRequest, reseller_id: uuid.UUID, body: ResellerPatch) -> ResellerDetailOut:
    actor = _actor(request)
    reseller = get_reseller_for(actor, reseller_id)
    return _detail(actions.update_reseller(actor, reseller, **body.model_dump(exclude_unset=True)))


@router.post(
    "/procurement/resellers/{reseller_id}/certificate-verification",
    response=ResellerDetailOut,
    summary="Record that the authorisation certificate was verified with DingTalk",
)
def verify_certificate(
    request: HttpRequest, reseller_id: uuid.UUID, body: VerificationIn
) -> ResellerDetailOut:
    actor = _actor(request)
    reseller = get_reseller_for(actor, reseller_id)
    return _detail(actions.verify_certificate(actor, reseller, note=body.note))


# ------------------------------------------------------------------------------------------ partner lists
@router.get(
    "/procurement/partner-lists", response=PartnerListPage, summary="Imports of the official partner list"
)
def list_partner_lists(request: HttpRequest, params: Query[PageParams]) -> PartnerListPage:
    actor = _actor(request)
    require_view(actor)
    page = keyset_page(partner_lists_visible_to(actor), ("published_on", "id"), params.cursor, params.limit)
    return PartnerListPage(items=[PartnerListOut.of(p) for p in page.items], next_cursor=page.next_cursor)


@router.post(
    "/procurement/partner-lists",
    response={201: PartnerListOut},
    summary="Import the official partner list (JSON rows or CSV text); a bad row refuses it all",
)
def import_partner_list(request: HttpRequest, body: PartnerListIn) -> PartnerListOut:
    rows = [r.model_dump() for r in body.rows] if body.rows is not None else None
    partner_list = actions.import_partner_list(
        _actor(request), published_on=body.published_on, rows=rows, csv_text=body.csv, source=body.source
    )
    return PartnerListOut.of(partner_list)


# ------------------------------------------------------------------------------------------------ quotes
@router.get("/procurement/quotes", response=QuotePage, summary="Quotes, oldest first")
def list_quotes(request: HttpRequest, filters: Query[QuoteFilters]) -> QuotePage:
    actor = _actor(request)
    require_view(actor)
    qs = quotes_visible_to(actor).prefetch_related("sign_offs")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.reseller_id is not None:
        qs = qs.filter(reseller=_reseller_ref(actor, filters.reseller_id))
    page = keyset_page(qs, ("created_at", "id"), filters.cursor, filters.limit)
    return QuotePage(items=[QuoteOut.of(q) for q in page.items], next_cursor=page.next_cursor)


@router.post("/procurement/quotes", response={201: QuoteOut}, summary="Record a reseller's quote")
def create_quote(request: HttpRequest, body: QuoteIn) -> QuoteOut:
    actor = _actor(request)
    values: dict[str, Any] = body.model_dump(exclude={"reseller_id", "plan"})
    quote = actions.create_quote(
        actor, reseller=_reseller_ref(actor, body.reseller_id), plan=get_plan(body.plan), **values
    )
    return QuoteOut.of(quote)


@router.get("/procurement/quotes/{quote_id}", response=QuoteOut, summary="One quote")
def get_quote(request: HttpRequest, quote_id: uuid.UUID) -> QuoteOut:
    return QuoteOut.of(get_quote_for(_actor(request), quote_id))


@router.patch(
    "/procurement/quotes/{quote_id}",
    response=QuoteOut,
    summary="Edit a quote (withdraws a verdict awaiting sign-off; a decided purchase is locked)",
)
def update_quote(request: HttpRequest, quote_id: uuid.UUID, body: QuotePatch) -> QuoteOut:
    actor = _actor(request)
    quote = get_quote_for(actor, quote_id)
    values: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"reseller_id", "plan"})
    if body.reseller_id is not None:
        values["reseller"] = _reseller_ref(actor, body.reseller_id)
    if body.plan is not None:
        values["plan"] = get_plan(body.plan)
    return QuoteOut.of(actions.update_quote(actor, quote, **values))


@router.post(
    "/procurement/quotes/{quote_id}/support-test",
    response=QuoteOut,
    summary="Record the support-response test: query sent, first answer, its language",
)
def record_support_test(request: HttpRequest, quote_id: uuid.UUID, body: SupportTestIn) -> QuoteOut:
    actor = _actor(request)
    quote = get_quote_for(actor, quote_id)
    return QuoteOut.of(
        actions.record_support_test(
            actor,
            quote,
            query_sent_at=body.query_sent_at,
            first_answer_at=body.first_answer_at,
            answer_language=body.answer_language,
            note=body.note,
        )
    )


@router.get(
    "/procurement/quotes/{quote_id}/checklist",
    response=ChecklistOut,
    summary="The due-diligence checklist: each rule with pass/fail and why, red flags, price comparison",
)
def get_checklist(request: HttpRequest, quote_id: uuid.UUID) -> ChecklistOut:
    actor = _actor(request)
    quote = get_quote_for(actor, quote_id)
    return ChecklistOut.of(quote, checklist_of(quote, company_of(actor)))


@router.post(
    "/procurement/quotes/{quote_id}/verdict",
    response=QuoteOut,
    summary="Propose the verdict (approve or reject, with reasons); it then needs both sign-offs",
)
def propose_verdict(request: HttpRequest, quote_id: uuid.UUID, body: VerdictIn) -> QuoteOut:
    actor = _actor(request)
    quote = get_quote_for(actor, quote_id)
    actions.propose_verdict(actor, quote, decision=body.decision, reasons=body.reasons)
    return QuoteOut.of(get_quote_for(actor, quote_id))


@router.post(
    "/procurement/quotes/{quote_id}/sign-off",
    response=QuoteOut,
    summary="Sign the pending verdict off for Legal or Information Security (two different people)",
)
def sign_off(request: HttpRequest, quote_id: uuid.UUID, body: SignOffIn) -> QuoteOut:
    actor = _actor(request)
    quote = get_quote_for(actor, quote_id)
    actions.sign_off(actor, quote, capacity=body.capacity, note=body.note)
    return QuoteOut.of(get_quote_for(actor, quote_id))
