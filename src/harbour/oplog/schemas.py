"""API shapes of the operation log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.audit.models import AuditEvent, AuditPolicy
from harbour.core.pagination import MAX_PAGE_SIZE


class LogQuery(Schema):
    person_id: uuid.UUID | None = Field(None, description="entries by or about this member")
    department_id: uuid.UUID | None = Field(None, description="entries by or about members of this subtree")
    kind: str = Field(
        "", max_length=80, description='an event kind, or a family ending in "." (e.g. "member.")'
    )
    since: dt.date | None = Field(None, description="first day (Hong Kong time), inclusive")
    until: dt.date | None = Field(None, description="last day (Hong Kong time), inclusive")


class LogPageQuery(LogQuery):
    cursor: str | None = Field(None, max_length=20)
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class ExportQuery(LogQuery):
    format: str = Field("csv", description="csv or jsonl")


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    kind: str
    description: str
    actor_type: str
    actor_id: uuid.UUID | None
    actor_label: str
    target_type: str
    target_id: str
    target_label: str
    subject_id: uuid.UUID | None
    ip: str | None
    user_agent: str
    request_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @staticmethod
    def of(event: AuditEvent) -> EventOut:
        return EventOut(
            seq=event.seq,
            occurred_at=event.occurred_at,
            kind=event.kind,
            description=event.kind_description,
            actor_type=event.actor_type,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            target_type=event.target_type,
            target_id=event.target_id,
            target_label=event.target_label,
            subject_id=event.subject_id,
            ip=event.ip,
            user_agent=event.user_agent,
            request_id=event.request_id,
            before=event.before,
            after=event.after,
            data=event.data or {},
            prev_hash=event.prev_hash,
            hash=event.hash,
        )


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None
    full_log: bool = Field(description="false: the plan shows the last 7 days only")


class PolicyOut(Schema):
    retention_days: int
    minimum_days: int
    legal_hold: bool
    legal_hold_reason: str

    @staticmethod
    def of(policy: AuditPolicy) -> PolicyOut:
        return PolicyOut(
            retention_days=policy.retention_days,
            minimum_days=AuditPolicy.MINIMUM_DAYS,
            legal_hold=policy.legal_hold,
            legal_hold_reason=policy.legal_hold_reason,
        )


class PolicyPatch(Schema):
    retention_days: int | None = None
    legal_hold: bool | None = None
    legal_hold_reason: str = Field("", max_length=300)


class VerdictOut(Schema):
    intact: bool
    entries: int
    broken_seq: int | None
    reason: str
