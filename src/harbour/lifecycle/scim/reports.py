"""Every SCIM write leaves a one-request sync run (source "scim", applied) in the HR imports report, as
webhook events do: the administrator reads SCIM's joiners, movers and leavers where the files' are.

A request that changes nothing leaves nothing. The run is written in the request's transaction, so a
refused request leaves no report of a change that did not happen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from harbour.core.time import now
from harbour.lifecycle.models import SyncItem, SyncRun
from harbour.lifecycle.scim.tokens import Caller


def plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


@dataclass
class Change:
    """One account or department a request changed: kind (create, update, move, leave, rehire, group),
    the label shown, and each field's before and after."""

    kind: str
    label: str
    member_id: uuid.UUID | None = None
    fields: dict[str, list[Any]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def record_run(caller: Caller, changes: list[Change], *, title: str) -> SyncRun | None:
    """One applied run holding the request's changes (none: no run)."""
    if not changes:
        return None
    at = now()
    counts: dict[str, Any] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    counts["outcomes"] = {SyncItem.Outcome.APPLIED.value: len(changes)}
    run = SyncRun.objects.create(
        tenant_id=caller.tenant_id,
        source=SyncRun.Source.SCIM,
        filename=f"SCIM · {caller.token.name} · {title}"[:255],
        state=SyncRun.State.APPLIED,
        counts=counts,
        applied_at=at,
        finished_at=at,
    )
    SyncItem.objects.bulk_create(
        [
            SyncItem(
                tenant_id=caller.tenant_id,
                run=run,
                position=position,
                kind=change.kind,
                member_id=change.member_id,
                label=change.label[:300],
                record=change.record,
                fields={name: [plain(a), plain(b)] for name, (a, b) in change.fields.items()},
                reason=change.reason,
                outcome=SyncItem.Outcome.APPLIED,
            )
            for position, change in enumerate(changes)
        ]
    )
    return run
