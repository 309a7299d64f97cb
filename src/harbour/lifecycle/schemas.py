"""API shapes of account lifecycle: imports, reconciliation links, role rules, HR webhooks."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema

from harbour.lifecycle.models import HrWebhook, RoleRule, SourceLink, SyncItem, SyncRun


class RunOut(Schema):
    id: uuid.UUID
    source: str
    filename: str
    full_export: bool
    state: str
    counts: dict[str, Any]
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, run: SyncRun) -> RunOut:
        return cls(
            id=run.pk,
            source=run.source,
            filename=run.filename,
            full_export=run.full_export,
            state=run.state,
            counts=run.counts,
            created_at=run.created_at,
            finished_at=run.finished_at,
        )


class ItemOut(Schema):
    id: uuid.UUID
    position: int
    kind: str
    row: int | None
    member_id: uuid.UUID | None
    label: str
    fields: dict[str, Any]
    reason: str
    situation: str
    candidates: list[uuid.UUID]
    outcome: str
    message: str

    @classmethod
    def of(cls, item: SyncItem) -> ItemOut:
        return cls(
            id=item.pk,
            position=item.position,
            kind=item.kind,
            row=item.row,
            member_id=item.member_id,
            label=item.label,
            fields=item.fields,
            reason=item.reason,
            situation=item.situation,
            candidates=[uuid.UUID(c) for c in item.candidates],
            outcome=item.outcome or "pending",
            message=item.message,
        )


class RunDetailOut(RunOut):
    items: list[ItemOut]


class QueuedOut(Schema):
    run_id: uuid.UUID
    state: str


class DecisionIn(Schema):
    member_id: uuid.UUID | None = None  # one of the item's candidates; null: the record has no account here


class LinkOut(Schema):
    id: uuid.UUID
    source: str
    external_id: str
    situation: str
    member_id: uuid.UUID | None
    reason: str
    decided_by_id: uuid.UUID | None
    decided_at: dt.datetime | None
    updated_at: dt.datetime

    @classmethod
    def of(cls, link: SourceLink) -> LinkOut:
        return cls(
            id=link.pk,
            source=link.source,
            external_id=link.external_id,
            situation=link.situation,
            member_id=link.member_id,
            reason=link.reason,
            decided_by_id=link.decided_by_id,
            decided_at=link.decided_at,
            updated_at=link.updated_at,
        )


class LinksOut(Schema):
    counts: dict[str, int]
    links: list[LinkOut]


class RuleIn(Schema):
    role_id: uuid.UUID
    department_id: uuid.UUID | None = None
    include_subdepartments: bool = True
    title_contains: str = ""


class RuleOut(Schema):
    id: uuid.UUID
    role_id: uuid.UUID
    role: str
    department_id: uuid.UUID | None
    include_subdepartments: bool
    title_contains: str

    @classmethod
    def of(cls, rule: RoleRule) -> RuleOut:
        return cls(
            id=rule.pk,
            role_id=rule.role_id,
            role=rule.role.name,
            department_id=rule.department_id,
            include_subdepartments=rule.include_subdepartments,
            title_contains=rule.title_contains,
        )


class WebhookOut(Schema):
    id: uuid.UUID
    address: str
    enabled: bool
    created_at: dt.datetime
    last_received_at: dt.datetime | None
    secret: str | None = None  # only when minted or rotated: shown once

    @classmethod
    def of(cls, webhook: HrWebhook, address: str, secret: str | None = None) -> WebhookOut:
        return cls(
            id=webhook.pk,
            address=address,
            enabled=webhook.enabled,
            created_at=webhook.created_at,
            last_received_at=webhook.last_received_at,
            secret=secret,
        )


class WebhookPatch(Schema):
    enabled: bool
