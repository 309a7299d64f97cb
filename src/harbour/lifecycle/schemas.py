"""API shapes of HR imports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema

from harbour.lifecycle.models import SyncItem, SyncRun


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
    position: int
    kind: str
    row: int | None
    member_id: uuid.UUID | None
    label: str
    fields: dict[str, Any]
    reason: str
    outcome: str
    message: str

    @classmethod
    def of(cls, item: SyncItem) -> ItemOut:
        return cls(
            position=item.position,
            kind=item.kind,
            row=item.row,
            member_id=item.member_id,
            label=item.label,
            fields=item.fields,
            reason=item.reason,
            outcome=item.outcome or "pending",
            message=item.message,
        )


class RunDetailOut(RunOut):
    items: list[ItemOut]


class QueuedOut(Schema):
    run_id: uuid.UUID
    state: str
