"""Register records of a test company, made through the actions on first use and reused after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.core.time import today_in_hong_kong
from harbour.pdpo import actions
from harbour.pdpo.models import (
    DataCategory,
    GbaContract,
    MonitoringAssessment,
    Notice,
    Processor,
    System,
    TransferAssessment,
)
from tests.factories import Company

TIA_ANSWERS: dict[str, Any] = {
    "processing_purpose": "Chat and attendance for staff; lawful and necessary for running the company.",
    "data_scale": "About 200 staff: names, contacts, chat messages, clock-in times. No sensitive data.",
    "recipient_capacity": "Vendor certified ISO 27001; encryption at rest; contract undertakings.",
    "post_transfer_risk": "Leak or misuse risk low; staff may complain to HR and the PCPD.",
    "destination_law": "Mainland DSL/PIPL government access duties; no onward transfer but sub-processors.",
    "other_factors": "None known.",
    "risk": "medium",
    "clause_set": "u2p",
    "clause_reporting": True,
    "clause_audit": True,
    "clause_breach_notice": True,
    "clause_cooperation": True,
    "data_flow": "Staff devices → DingTalk (Hangzhou) → Alibaba Cloud storage (mainland).",
    "vendor_entity": "DingTalk Technology Co., Ltd.",
    "vendor_region": "Mainland China (Hangzhou)",
}

MONITORING_ANSWERS: dict[str, Any] = {
    "feature": "location_attendance",
    "assessment": "Field staff clock in at client sites; a business risk of false attendance claims.",
    "alternatives": "Badge readers are not available at client sites; geofence yes/no only.",
    "accountability": "HR manager answers for the data; kept 6 months.",
    "clarity": "Attendance policy v2 states purposes, when and what data.",
    "communication": "Told at onboarding and by announcement before launch.",
    "control": "Used only for attendance; erased after 6 months.",
}


def system(c: Company, name: str = "DingTalk", *, complete: bool = True) -> System:
    found = System.objects.for_tenant(c.tenant).filter(name=name).first()
    if found is not None:
        return found
    answers: dict[str, Any] = {
        "kind_of_data": "Staff contact details and chat: moderate harm if leaked.",
        "storage_location": "Alibaba Cloud, mainland region.",
        "equipment_security": "Vendor-managed; MFA for admins.",
        "staff_integrity": "Two IT admins, vetted, trained yearly.",
        "secure_transmission": "TLS 1.2+ everywhere.",
    }
    if not complete:
        answers["staff_integrity"] = ""
        answers["secure_transmission"] = ""
    return actions.save_system(c.system, name=name, **answers)


def category(c: Company, name: str = "Staff records", **extra: Any) -> DataCategory:
    found = DataCategory.objects.for_tenant(c.tenant).filter(name=name).first()
    if found is not None:
        return found
    values: dict[str, Any] = {
        "data_fields": ["name", "HKID number", "address"],
        "purposes": ["employment administration", "payroll"],
        "channel": "form",
        "obligatory": True,
        "system_ids": [system(c).pk],
        "storage_location": "Hong Kong office and DingTalk",
        "transferees": ["payroll processor", "DingTalk (mainland SaaS)"],
        "origin": "hk",
        "sensitivity": "sensitive",
    }
    values.update(extra)
    return actions.save_category(c.system, name=name, **values)


def notice(c: Company, kind: str = "pics", *, published: bool = True, title: str = "") -> Notice:
    state = Notice.State.PUBLISHED if published else Notice.State.DRAFT
    found = Notice.objects.for_tenant(c.tenant).filter(kind=kind, state=state).first()
    if found is not None:
        return found
    made = actions.save_notice(
        c.system,
        kind=kind,
        title=title or f"{kind.upper()} for staff",
        body_en="We collect your **name** for payroll. <script>x</script>",
        body_zh="我們收集你的**姓名**作薪酬用途。",
    )
    return actions.publish_notice(c.system, made) if published else made


def tia(c: Company, *, approved: bool = False, title: str = "DingTalk transfer") -> TransferAssessment:
    state = "approved" if approved else "draft"
    found = TransferAssessment.objects.for_tenant(c.tenant).filter(state=state).first()
    if found is not None:
        return found
    made = actions.save_tia(
        c.system, title=title, review_on=today_in_hong_kong() + dt.timedelta(days=365), **TIA_ANSWERS
    )
    if approved:
        assert c.admin is not None
        made = actions.approve_tia(c.admin, made)
    return made


def gba(c: Company) -> GbaContract:
    found = GbaContract.objects.for_tenant(c.tenant).first()
    return found or actions.save_gba(
        c.system, counterparty="Shenzhen Logistics Ltd", our_city="hong_kong", counterparty_city="shenzhen"
    )


def processor(c: Company, vendor: str = "DingTalk") -> Processor:
    found = Processor.objects.for_tenant(c.tenant).filter(vendor=vendor).first()
    return found or actions.save_processor(
        c.system,
        vendor=vendor,
        contract_id="DT-2026-01",
        clause_retention=True,
        clause_return_delete=True,
        clause_security=True,
        clause_breach_notice=True,
        clause_audit=False,
        clause_subprocessors=True,
    )


def monitoring(c: Company, *, approved: bool = False) -> MonitoringAssessment:
    state = "approved" if approved else "draft"
    found = MonitoringAssessment.objects.for_tenant(c.tenant).filter(state=state).first()
    if found is not None:
        return found
    made = actions.save_monitoring(c.system, **MONITORING_ANSWERS)
    if approved:
        assert c.admin is not None
        made = actions.approve_monitoring(c.admin, made)
    return made
