"""API shapes of procurement: resellers, partner lists, quotes, checklists and sign-offs. Money is a decimal
string in HKD; times are UTC."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.plans.pricing import MAX_SEATS
from harbour.procurement.checklist import Checklist, PartnerMatch
from harbour.procurement.models import PartnerList, Quote, QuoteStatus, Reseller, ResellerStatus, SignOff


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


# ---------------------------------------------------------------------------------------------- resellers
class ContactIO(Schema):
    name: str
    email: str = ""
    phone: str = Field("", description="E.164; numbers without a country code are taken as Hong Kong")


class CertificateVerificationOut(Schema):
    verified_by_id: uuid.UUID | None = Field(description="null when the system recorded it")
    verified_by: str
    verified_at: dt.datetime
    note: str


class SlaOut(Schema):
    filename: str
    signed_on: dt.date | None
    on_file: bool


class PartnerListingOut(Schema):
    """The reseller's entry on the newest partner list (null when not listed for Hong Kong)."""

    list_id: uuid.UUID
    published_on: dt.date
    name: str
    br_number: str
    region: str
    matched_by: str = Field(description="br_number or name")


class ResellerOut(Schema):
    id: uuid.UUID
    name: str
    registered_name: str
    br_number: str
    hk_address: str
    contacts: list[ContactIO]
    certificate_number: str
    certificate_verification: CertificateVerificationOut | None
    sla: SlaOut | None
    status: ResellerStatus
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def fields_of(reseller: Reseller) -> dict[str, Any]:
        verification = None
        if reseller.certificate_verified_at is not None:
            verification = CertificateVerificationOut(
                verified_by_id=reseller.certificate_verified_by_id,
                verified_by=reseller.certificate_verified_by_label,
                verified_at=reseller.certificate_verified_at,
                note=reseller.certificate_verification_note,
            )
        sla = None
        if reseller.sla_document or reseller.sla_signed_on:
            sla = SlaOut(
                filename=reseller.sla_filename,
                signed_on=reseller.sla_signed_on,
                on_file=bool(reseller.sla_document),
            )
        return {
            "id": reseller.id,
            "name": reseller.name,
            "registered_name": reseller.registered_name,
            "br_number": reseller.br_number,
            "hk_address": reseller.hk_address,
            "contacts": [ContactIO(**c) for c in reseller.contacts],
            "certificate_number": reseller.certificate_number,
            "certificate_verification": verification,
            "sla": sla,
            "status": ResellerStatus(reseller.status),
            "notes": reseller.notes,
            "created_at": reseller.created_at,
            "updated_at": reseller.updated_at,
        }

    @staticmethod
    def of(reseller: Reseller) -> ResellerOut:
        return ResellerOut(**ResellerOut.fields_of(reseller))


class ResellerDetailOut(ResellerOut):
    partner_listing: PartnerListingOut | None

    @staticmethod
    def of_listed(reseller: Reseller, listing: tuple[PartnerList, PartnerMatch] | None) -> ResellerDetailOut:
        out = None
        if listing is not None and listing[1].entry is not None:
            partner_list, match = listing
            entry = match.entry
            assert entry is not None
            out = PartnerListingOut(
                list_id=partner_list.id,
                published_on=partner_list.published_on,
                name=entry.name,
                br_number=entry.br_number,
                region=entry.region,
                matched_by="br_number" if match.by_br else "name",
            )
        return ResellerDetailOut(**ResellerOut.fields_of(reseller), partner_listing=out)


class ResellerPage(Schema):
    items: list[ResellerOut]
    next_cursor: str | None


class ResellerFilters(PageParams):
    q: str = Field("", max_length=150, description="part of the name or registered name, or a BR number")
    status: ResellerStatus | None = None


class ResellerIn(Schema):
    name: str
    registered_name: str = ""
    br_number: str = Field("", description="8 digits, optionally with the -xxx-xx-xx-x suffix")
    hk_address: str = Field("", description="local contact address; empty is a red flag")
    contacts: list[ContactIO] = Field(default_factory=list)
    certificate_number: str = Field("", description="DingTalk authorisation certificate; empty is a red flag")
    notes: str = ""


class ResellerPatch(Schema):
    """Fields left out stay as they are. A new certificate number voids the earlier verification."""

    name: str | None = None
    registered_name: str | None = None
    br_number: str | None = None
    hk_address: str | None = None
    contacts: list[ContactIO] | None = None
    certificate_number: str | None = None
    notes: str | None = None


class VerificationIn(Schema):
    note: str = Field(description="how it was verified: channel, reference, date")


# ------------------------------------------------------------------------------------------ partner lists
class PartnerRowIn(Schema):
    name: str = ""
    br_number: str = ""
    region: str = ""


class PartnerListIn(Schema):
    published_on: dt.date = Field(description="the day DingTalk published the list")
    rows: list[PartnerRowIn] | None = Field(None, description="the list as objects; or send csv")
    csv: str | None = Field(None, description="CSV text with a header row: name[,br_number][,region]")
    source: str = Field("", max_length=200, description="where the list came from (file name, URL)")


class PartnerListOut(Schema):
    id: uuid.UUID
    published_on: dt.date
    imported_by_id: uuid.UUID | None
    imported_by: str
    imported_at: dt.datetime
    source: str
    row_count: int

    @staticmethod
    def of(partner_list: PartnerList) -> PartnerListOut:
        return PartnerListOut(
            id=partner_list.id,
            published_on=partner_list.published_on,
            imported_by_id=partner_list.imported_by_id,
            imported_by=partner_list.imported_by_label,
            imported_at=partner_list.created_at,
            source=partner_list.source,
            row_count=partner_list.row_count,
        )


class PartnerListPage(Schema):
    items: list[PartnerListOut]
    next_cursor: str | None


# ------------------------------------------------------------------------------------------------ quotes
class SupportTestOut(Schema):
    query_sent_at: dt.datetime
    first_answer_at: dt.datetime | None
    answer_language: str
    note: str


class VerdictOut(Schema):
    decision: str
    reasons: str
    proposed_by_id: uuid.UUID | None
    proposed_by: str
    proposed_at: dt.datetime


class SignOffOut(Schema):
    capacity: str
    member_id: uuid.UUID | None
    member: str
    verdict: str
    note: str
    signed_at: dt.datetime

    @staticmethod
    def of(signature: SignOff) -> SignOffOut:
        return SignOffOut(
            capacity=signature.capacity,
            member_id=signature.member_id,
            member=signature.member_label,
            verdict=signature.verdict,
            note=signature.note,
            signed_at=signature.signed_at,
        )


class QuoteOut(Schema):
    id: uuid.UUID
    reference: str
    reseller_id: uuid.UUID
    reseller_name: str
    plan: str
    plan_name: str
    seats: int
    term: str
    unit_price: Decimal = Field(description="HKD per seat per month")
    invoice_issuer: str
    payer_name: str
    support_test: SupportTestOut | None
    status: QuoteStatus
    verdict: VerdictOut | None
    sign_offs: list[SignOffOut]
    decided_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def of(quote: Quote) -> QuoteOut:
        support = None
        if quote.support_query_sent_at is not None:
            support = SupportTestOut(
                query_sent_at=quote.support_query_sent_at,
                first_answer_at=quote.support_first_answer_at,
                answer_language=quote.support_answer_language,
                note=quote.support_note,
            )
        verdict = None
        if quote.verdict and quote.verdict_at is not None:
            verdict = VerdictOut(
                decision=quote.verdict,
                reasons=quote.verdict_reasons,
                proposed_by_id=quote.verdict_by_id,
                proposed_by=quote.verdict_by_label,
                proposed_at=quote.verdict_at,
            )
        return QuoteOut(
            id=quote.id,
            reference=quote.reference,
            reseller_id=quote.reseller_id,
            reseller_name=quote.reseller.name,
            plan=quote.plan.code,
            plan_name=quote.plan.display_name,
            seats=quote.seats,
            term=quote.term,
            unit_price=quote.unit_price,
            invoice_issuer=quote.invoice_issuer,
            payer_name=quote.payer_name,
            support_test=support,
            status=QuoteStatus(quote.status),
            verdict=verdict,
            sign_offs=[SignOffOut.of(s) for s in quote.sign_offs.all()],
            decided_at=quote.decided_at,
            created_at=quote.created_at,
        )


class QuotePage(Schema):
    items: list[QuoteOut]
    next_cursor: str | None


class QuoteFilters(PageParams):
    status: QuoteStatus | None = None
    reseller_id: uuid.UUID | None = None


class QuoteIn(Schema):
    reseller_id: uuid.UUID
    plan: str = Field(max_length=40, description="plan code of the catalogue")
    seats: int = Field(ge=1, le=MAX_SEATS)
    term: str = Field("annual", description="monthly or annual")
    unit_price: Decimal = Field(description="quoted HKD per seat per month")
    reference: str = ""
    invoice_issuer: str = Field("", description="the company named as issuer on the invoice")
    payer_name: str = Field("", description="the company named as payer")


class QuotePatch(Schema):
    reseller_id: uuid.UUID | None = None
    plan: str | None = Field(None, max_length=40)
    seats: int | None = Field(None, ge=1, le=MAX_SEATS)
    term: str | None = None
    unit_price: Decimal | None = None
    reference: str | None = None
    invoice_issuer: str | None = None
    payer_name: str | None = None


class SupportTestIn(Schema):
    query_sent_at: dt.datetime = Field(description="without an offset: Hong Kong time")
    first_answer_at: dt.datetime | None = Field(None, description="null: no answer yet")
    answer_language: str = Field("", description="cantonese, english, mandarin or other")
    note: str = ""


class VerdictIn(Schema):
    decision: str = Field(description="approve or reject")
    reasons: str


class SignOffIn(Schema):
    capacity: str = Field(description="legal or infosec")
    note: str = ""


# --------------------------------------------------------------------------------------------- checklist
class RuleOut(Schema):
    code: str
    label: str
    passed: bool
    reason: str


class RedFlagOut(Schema):
    code: str
    label: str
    reason: str


class PriceCheckOut(Schema):
    quoted_price: Decimal
    catalogue_price: Decimal | None = Field(description="null: the plan is priced by contract")
    below_percent: Decimal | None = Field(description="null: not comparable; negative: above the catalogue")
    note: str


class ChecklistOut(Schema):
    quote_id: uuid.UUID
    checked_on: dt.date
    partner_list_published_on: dt.date | None
    rules: list[RuleOut]
    red_flags: list[RedFlagOut]
    price: PriceCheckOut
    approvable: bool

    @staticmethod
    def of(quote: Quote, checklist: Checklist) -> ChecklistOut:
        return ChecklistOut(
            quote_id=quote.id,
            checked_on=checklist.checked_on,
            partner_list_published_on=checklist.partner_list_published_on,
            rules=[
                RuleOut(code=r.code, label=r.label, passed=r.passed, reason=r.reason) for r in checklist.rules
            ],
            red_flags=[RedFlagOut(code=f.code, label=f.label, reason=f.reason) for f in checklist.red_flags],
            price=PriceCheckOut(
                quoted_price=quote.unit_price,
                catalogue_price=checklist.price.catalogue_price,
                below_percent=checklist.price.below_percent,
                note=checklist.price.note,
            ),
            approvable=checklist.approvable,
        )
