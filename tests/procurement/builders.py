"""Procurement test data built through the actions, the way the console and API build it: a reseller with
every piece of evidence, the current partner list listing it, a quote that passes every check, and the two
signatories (Legal, Information Security) as custom roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from harbour.audit.models import AuditEvent
from harbour.core.time import now, today_in_hong_kong
from harbour.directory import actions as directory
from harbour.directory.models import Member
from harbour.plans.queries import get_plan
from harbour.procurement import actions
from harbour.procurement.models import PartnerList, PartnerListEntry, Quote, Reseller, SignOff
from tests.factories import Company, make_member

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REGISTERED_NAME = "Acme Trading Limited"
RESELLER_REGISTERED = "TechSphere Hong Kong Limited"
RESELLER_BR = "31234567"


def pdf(name: str = "sla.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def give_registered_name(company: Company, name: str = REGISTERED_NAME) -> None:
    directory.update_tenant(company.system, company.tenant, registered_name=name)
    company.tenant.refresh_from_db()


def vetted_reseller(company: Company, **overrides: Any) -> Reseller:
    """A reseller with a local address, contacts, a verified certificate and a signed SLA on file."""
    values: dict[str, Any] = {
        "name": "TechSphere HK",
        "registered_name": RESELLER_REGISTERED,
        "br_number": RESELLER_BR,
        "hk_address": "Unit 1201, 12/F, Cyberport 3, 100 Cyberport Road, Hong Kong",
        "contacts": [{"name": "Ada Wong", "email": "ada@techsphere.hk", "phone": "+852 9123 4567"}],
        "certificate_number": "DT-HK-2025-0042",
    }
    values.update(overrides)
    reseller = actions.create_reseller(company.system, **values)
    if reseller.certificate_number:
        reseller = actions.verify_certificate(
            company.system, reseller, note="DingTalk service desk, case 7781"
        )
    reseller = actions.record_sla(
        company.system, reseller, signed_on=today_in_hong_kong() - dt.timedelta(days=3), document=pdf()
    )
    return reseller


def current_list(
    company: Company, rows: list[dict[str, str]] | None = None, *, age_days: int = 10
) -> PartnerList:
    rows = rows or [
        {"name": "TechSphere HK", "br_number": RESELLER_BR, "region": "Hong Kong"},
        {"name": "Global Digital Cyber (GDC Hong Kong)", "br_number": "", "region": "Hong Kong"},
    ]
    return actions.import_partner_list(
        company.system,
        published_on=today_in_hong_kong() - dt.timedelta(days=age_days),
        rows=rows,
        source="tests",
    )


def answer_quickly(
    company: Company, quote: Quote, *, minutes: int = 20, language: str = "cantonese"
) -> Quote:
    sent = now() - dt.timedelta(hours=3)
    return actions.record_support_test(
        company.system,
        quote,
        query_sent_at=sent,
        first_answer_at=sent + dt.timedelta(minutes=minutes),
        answer_language=language,
        note="asked how to reset SSO",
    )


def sound_quote(company: Company, reseller: Reseller | None = None, **overrides: Any) -> Quote:
    """A quote that passes every rule with no red flag (the company needs its registered name set)."""
    if not company.tenant.registered_name:
        give_registered_name(company)
    if reseller is None:
        existing = Reseller.objects.for_tenant(company.tenant).filter(name="TechSphere HK").first()
        reseller = existing or vetted_reseller(company)
    values: dict[str, Any] = {
        "reseller": reseller,
        "plan": get_plan("professional"),
        "seats": 120,
        "term": "annual",
        "unit_price": get_plan("professional").price_per_seat_month,
        "invoice_issuer": "TECHSPHERE HONG KONG LTD.",
        "payer_name": company.tenant.registered_name,
        "reference": "TS-2025-117",
    }
    values.update(overrides)
    quote = actions.create_quote(company.system, **values)
    return answer_quickly(company, quote)


@dataclass
class Signatories:
    legal: Member
    infosec: Member
    both: Member  # holds both sign-off roles: may sign in either capacity, never in both


def signatories(company: Company) -> Signatories:
    domain = (
        company.tenant.email_domains[0] if company.tenant.email_domains else f"{company.tenant.slug}.example"
    )
    legal_role = directory.create_role(
        company.system, name="Legal", permissions=["procurement.view", "procurement.sign_legal"]
    )
    infosec_role = directory.create_role(
        company.system,
        name="Information Security",
        permissions=["procurement.view", "procurement.sign_infosec"],
    )
    # General Members besides (as people in Legal and IT would be): they may mint their own API tokens.
    legal = make_member(company, name="Lena Legal", email=f"lena@{domain}")
    infosec = make_member(company, name="Ivan Infosec", email=f"ivan.sec@{domain}")
    both = make_member(company, name="Bo Both", email=f"bo@{domain}")
    for member, roles in (
        (legal, [legal_role]),
        (infosec, [infosec_role]),
        (both, [legal_role, infosec_role]),
    ):
        for role in roles:
            directory.grant_role(company.system, member, role, reason="procurement sign-off")
        member.forget_access()
    return Signatories(legal=legal, infosec=infosec, both=both)


def procurement_rows() -> dict[str, int]:
    """Rows of every table a procurement write touches, across all companies."""
    return {
        "reseller": Reseller.objects.across_tenants().count(),
        "partner_list": PartnerList.objects.across_tenants().count(),
        "partner_entry": PartnerListEntry.objects.across_tenants().count(),
        "quote": Quote.objects.across_tenants().count(),
        "sign_off": SignOff.objects.across_tenants().count(),
        "audit": AuditEvent.objects.across_tenants().count(),
    }


def fresh(obj: Reseller | Quote) -> dict[str, Any]:
    """The stored state of ``obj`` (its audit snapshot), read again from the database."""
    return type(obj).objects.for_tenant(obj.tenant_id).get(pk=obj.pk).snapshot()


@dataclass
class ProcurementWorld:
    """What the API permission matrix names in company A: a reseller, and a quote whose (reject) verdict
    awaits sign-off, with the two signatories."""

    reseller: Reseller
    quote: Quote
    signatories: Signatories


def procurement_world(company: Company) -> ProcurementWorld:
    reseller = actions.create_reseller(
        company.system,
        name="Global Digital Cyber (GDC Hong Kong)",
        registered_name="Global Digital Cyber Limited",
        br_number="32345678",
        certificate_number="DT-HK-2025-0007",
    )
    quote = actions.create_quote(
        company.system,
        reseller=reseller,
        plan=get_plan("professional"),
        seats=80,
        term="annual",
        unit_price=get_plan("professional").price_per_seat_month,
    )
    quote = actions.propose_verdict(
        company.system, quote, decision="reject", reasons="no SLA and no local address"
    )
    return ProcurementWorld(reseller=reseller, quote=quote, signatories=signatories(company))
