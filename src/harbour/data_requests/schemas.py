"""API shapes of data access and correction requests, disclosures and the log book."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema

from harbour.core.time import now, today_in_hong_kong
from harbour.data_requests.models import DataRequest, Disclosure, LogBookEntry, ThirdPartyNotice


class RequestIn(Schema):
    kind: str  # access or correction
    received_on: dt.date  # Hong Kong date; today or earlier
    description: str  # the data asked for, or the correction asked
    language: str  # zh, en or other
    requester_id: uuid.UUID | None = None  # a member of the company …
    requester_name: str = ""  # … or an outside person, by name
    requester_contact: str = ""
    fee: Decimal | None = None  # HKD, access requests only; never required
    fee_note: str = ""
    access_request_id: uuid.UUID | None = None  # correction: the earlier access request, if any


class OwnRequestIn(Schema):
    description: str
    language: str = "en"


class DelayNoticeIn(Schema):
    reasons: str


class ThirdPartyIn(Schema):
    disclosure_id: uuid.UUID
    notified: bool
    notified_on: dt.date | None = None
    reason: str = ""


class CompleteIn(Schema):
    # access
    data_held: bool | None = None
    supplied: str = ""
    supplied_on: dt.date | None = None
    # correction
    satisfied_inaccurate: bool | None = None
    correction_made: str = ""
    corrected_copy_supplied_on: dt.date | None = None
    third_parties: list[ThirdPartyIn] = []


class RefuseIn(Schema):
    ground: str
    reasons: str


class WithdrawIn(Schema):
    note: str = ""


class DisclosureIn(Schema):
    subject_id: uuid.UUID | None = None
    subject_name: str = ""
    recipient: str
    data_disclosed: str
    disclosed_at: dt.datetime


class DisclosureOut(Schema):
    id: uuid.UUID
    subject_id: uuid.UUID | None
    subject_name: str
    recipient: str
    data_disclosed: str
    disclosed_at: dt.datetime
    recorded_by: str

    @classmethod
    def of(cls, d: Disclosure) -> DisclosureOut:
        return cls(
            id=d.pk,
            subject_id=d.subject_id,
            subject_name=d.subject_name,
            recipient=d.recipient,
            data_disclosed=d.data_disclosed,
            disclosed_at=d.disclosed_at,
            recorded_by=d.recorded_by_label,
        )


class ThirdPartyOut(Schema):
    disclosure_id: uuid.UUID | None
    recipient: str
    disclosed_at: dt.datetime
    notified: bool
    notified_on: dt.date | None
    reason_not_notified: str

    @classmethod
    def of(cls, n: ThirdPartyNotice) -> ThirdPartyOut:
        return cls(
            disclosure_id=n.disclosure_id,
            recipient=n.recipient,
            disclosed_at=n.disclosed_at,
            notified=n.notified,
            notified_on=n.notified_on,
            reason_not_notified=n.reason_not_notified,
        )


class RequestOut(Schema):
    id: uuid.UUID
    kind: str
    state: str
    requester_id: uuid.UUID | None
    requester_name: str
    requester_contact: str
    received_on: dt.date
    due_on: dt.date
    day: int  # days since receipt (Hong Kong days)
    days_left: int  # until the end of day 40; negative once past
    timeliness: str  # running, notice_given, overdue, on_time, late, withdrawn
    description: str
    language: str
    fee: Decimal | None
    fee_note: str
    access_request_id: uuid.UUID | None
    self_service: bool
    delay_notice_at: dt.datetime | None
    delay_reasons: str
    closed_at: dt.datetime | None
    closed_by: str
    data_held: bool | None
    supplied: str
    supplied_on: dt.date | None
    satisfied_inaccurate: bool | None
    correction_made: str
    corrected_copy_supplied_on: dt.date | None
    refusal_ground: str
    refusal_reasons: str
    withdrawal_note: str

    @classmethod
    def of(cls, r: DataRequest) -> RequestOut:
        today = today_in_hong_kong()
        return cls(
            id=r.pk,
            kind=r.kind,
            state=r.state,
            requester_id=r.requester_id,
            requester_name=r.requester_name,
            requester_contact=r.requester_contact,
            received_on=r.received_on,
            due_on=r.due_on,
            day=r.day_number(today),
            days_left=r.days_left(today),
            timeliness=r.timeliness(now()),
            description=r.description,
            language=r.language,
            fee=r.fee,
            fee_note=r.fee_note,
            access_request_id=r.access_request_id,
            self_service=r.self_service,
            delay_notice_at=r.delay_notice_at,
            delay_reasons=r.delay_reasons,
            closed_at=r.closed_at,
            closed_by=r.closed_by_name,
            data_held=r.data_held,
            supplied=r.supplied,
            supplied_on=r.supplied_on,
            satisfied_inaccurate=r.satisfied_inaccurate,
            correction_made=r.correction_made,
            corrected_copy_supplied_on=r.corrected_copy_supplied_on,
            refusal_ground=r.refusal_ground,
            refusal_reasons=r.refusal_reasons,
            withdrawal_note=r.withdrawal_note,
        )


class RequestDetailOut(RequestOut):
    # correction: the disclosures in the 12-month lookback (open), or the recipients told (completed)
    lookback_disclosures: list[DisclosureOut]
    third_parties: list[ThirdPartyOut]


class LogBookEntryOut(Schema):
    id: uuid.UUID
    request_id: uuid.UUID
    kind: str
    requester_name: str
    received_on: dt.date
    refused_on: dt.date
    ground: str
    ground_text: str
    reasons: str
    keep_until: dt.date

    @classmethod
    def of(cls, e: LogBookEntry) -> LogBookEntryOut:
        return cls(
            id=e.pk,
            request_id=e.request_ref,
            kind=e.kind,
            requester_name=e.requester_name,
            received_on=e.received_on,
            refused_on=e.refused_on,
            ground=e.ground,
            ground_text=e.ground_text,
            reasons=e.reasons,
            keep_until=e.keep_until(),
        )
