"""API shapes of the PDPO register. Input fields are all optional: a create names what it needs (the action
refuses what is missing, naming the field) and an update names only what changes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from harbour.pdpo.models import (
    DataCategory,
    GbaContract,
    MonitoringAssessment,
    Processor,
    TransferAssessment,
)
from harbour.pdpo.queries import gba_filing_overdue, tia_review_due


class _In(Schema):
    """Input refuses fields it does not know, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class SystemIn(_In):
    name: str | None = None
    description: str | None = None
    kind_of_data: str | None = None
    storage_location: str | None = None
    equipment_security: str | None = None
    staff_integrity: str | None = None
    secure_transmission: str | None = None


class SystemOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    kind_of_data: str
    storage_location: str
    equipment_security: str
    staff_integrity: str
    secure_transmission: str
    missing_factors: list[str]


class CategoryIn(_In):
    name: str | None = None
    data_fields: list[str] | None = None
    purposes: list[str] | None = None
    channel: str | None = None
    obligatory: bool | None = None
    system_ids: list[uuid.UUID] | None = None
    storage_location: str | None = None
    transferees: list[str] | None = None
    origin: str | None = None
    sensitivity: str | None = None


class CategoryOut(Schema):
    id: uuid.UUID
    name: str
    data_fields: list[str]
    purposes: list[str]
    channel: str
    obligatory: bool
    system_ids: list[uuid.UUID]
    storage_location: str
    transferees: list[str]
    origin: str
    sensitivity: str

    @staticmethod
    def resolve_system_ids(obj: DataCategory) -> list[uuid.UUID]:
        return [s.pk for s in obj.systems.all()]


class NoticeIn(_In):
    kind: str | None = None
    title: str | None = None
    body_en: str | None = None
    body_zh: str | None = None


class NoticeOut(Schema):
    id: uuid.UUID
    kind: str
    version: int
    title: str
    body_en: str
    body_zh: str
    state: str
    published_at: dt.datetime | None
    superseded_at: dt.datetime | None


class ShownIn(_In):
    member_id: uuid.UUID | None = None
    person_name: str = ""
    person_email: str = ""
    shown_at: dt.datetime | None = None
    how: str = ""


class ShownOut(Schema):
    id: uuid.UUID
    notice_id: uuid.UUID
    version: int
    member_id: uuid.UUID | None
    person_name: str
    person_email: str
    shown_at: dt.datetime
    how: str

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.notice.version)


class MemberRef(Schema):
    id: uuid.UUID
    name: str
    email: str


class CurrentPicsOut(Schema):
    notice: NoticeOut | None
    shown_at: dt.datetime | None


class ConsentIn(_In):
    member_id: uuid.UUID | None = None
    person_name: str = ""
    purpose: str
    action: str
    channel: str
    at: dt.datetime | None = None
    note: str = ""


class ConsentOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID | None
    person_name: str
    purpose: str
    action: str
    channel: str
    at: dt.datetime
    note: str


class ConsentStateOut(Schema):
    member_id: uuid.UUID | None
    person_name: str
    purpose: str
    granted: bool
    since: dt.datetime


class TiaIn(_In):
    title: str | None = None
    processing_purpose: str | None = None
    data_scale: str | None = None
    recipient_capacity: str | None = None
    post_transfer_risk: str | None = None
    destination_law: str | None = None
    other_factors: str | None = None
    risk: str | None = None
    clause_set: str | None = None
    clause_reporting: bool | None = None
    clause_audit: bool | None = None
    clause_breach_notice: bool | None = None
    clause_cooperation: bool | None = None
    data_flow: str | None = None
    vendor_entity: str | None = None
    vendor_region: str | None = None
    review_on: dt.date | None = None


class ApproveIn(_In):
    approved_on: dt.date | None = None


class TiaOut(Schema):
    id: uuid.UUID
    title: str
    processing_purpose: str
    data_scale: str
    recipient_capacity: str
    post_transfer_risk: str
    destination_law: str
    other_factors: str
    risk: str
    clause_set: str
    clause_reporting: bool
    clause_audit: bool
    clause_breach_notice: bool
    clause_cooperation: bool
    data_flow: str
    vendor_entity: str
    vendor_region: str
    state: str
    author_id: uuid.UUID | None
    approver_id: uuid.UUID | None
    approved_on: dt.date | None
    review_on: dt.date
    review_due: bool

    @staticmethod
    def resolve_review_due(obj: TransferAssessment) -> bool:
        return tia_review_due(obj)


class GbaIn(_In):
    counterparty: str | None = None
    our_city: str | None = None
    counterparty_city: str | None = None
    counterparty_city_note: str | None = None
    onward_outside_gba: bool | None = None
    effective_on: dt.date | None = None
    filed_on: dt.date | None = None
    note: str | None = None


class GbaOut(Schema):
    id: uuid.UUID
    counterparty: str
    our_city: str
    counterparty_city: str
    counterparty_city_note: str
    onward_outside_gba: bool
    eligible: bool
    fallback: str
    effective_on: dt.date | None
    filing_due_on: dt.date | None
    filed_on: dt.date | None
    filing_overdue: bool
    note: str

    @staticmethod
    def resolve_fallback(obj: GbaContract) -> str:
        return "" if obj.eligible else "XB-RMC-2022"

    @staticmethod
    def resolve_filing_overdue(obj: GbaContract) -> bool:
        return gba_filing_overdue(obj)


class ProcessorIn(_In):
    vendor: str | None = None
    role: str | None = None
    contract_id: str | None = None
    clause_retention: bool | None = None
    clause_return_delete: bool | None = None
    clause_security: bool | None = None
    clause_breach_notice: bool | None = None
    clause_audit: bool | None = None
    clause_subprocessors: bool | None = None
    evidence: str | None = None


class ProcessorOut(Schema):
    id: uuid.UUID
    vendor: str
    role: str
    contract_id: str
    clause_retention: bool
    clause_return_delete: bool
    clause_security: bool
    clause_breach_notice: bool
    clause_audit: bool
    clause_subprocessors: bool
    evidence: str
    gaps: list[str]

    @staticmethod
    def resolve_gaps(obj: Processor) -> list[str]:
        return obj.missing_clauses


class MonitoringIn(_In):
    feature: str | None = None
    feature_note: str | None = None
    assessment: str | None = None
    alternatives: str | None = None
    accountability: str | None = None
    clarity: str | None = None
    communication: str | None = None
    control: str | None = None
    covert: bool | None = None
    covert_justification: str | None = None
    covert_until: dt.date | None = None
    covert_approver_id: uuid.UUID | None = None
    opt_in: bool | None = None
    alternative_method: str | None = None


class MonitoringOut(Schema):
    id: uuid.UUID
    feature: str
    feature_note: str
    assessment: str
    alternatives: str
    accountability: str
    clarity: str
    communication: str
    control: str
    covert: bool
    covert_justification: str
    covert_until: dt.date | None
    covert_approver_id: uuid.UUID | None
    opt_in: bool
    alternative_method: str
    state: str
    author_id: uuid.UUID | None
    approver_id: uuid.UUID | None
    approved_on: dt.date | None
    missing_cs: list[str]

    @staticmethod
    def resolve_missing_cs(obj: MonitoringAssessment) -> list[str]:
        return obj.missing_cs


class LocationIn(_In):
    registration_location: str | None = None
    storage_regions: list[str] | None = None
    third_party_access: str | None = None
    dingtalk_entity: str | None = None
    entity_note: str | None = None
    data_region: str | None = None


class LocationOut(Schema):
    registration_location: str
    storage_regions: list[str]
    third_party_access: str
    dingtalk_entity: str
    entity_note: str
    data_region: str
    s33_in_force: bool
    s33_reviewed: dt.date
    recorded: bool
