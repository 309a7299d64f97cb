"""A planned change before it is stored, and storing a plan as a run with one item per change."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harbour.core.permissions import Actor
from harbour.directory.models import Member
from harbour.integrations.dingtalk.models import Connection, SyncItem, SyncRun

Op = SyncItem.Op
Outcome = SyncItem.Outcome


@dataclass
class Planned:
    op: str
    label: str
    member_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    userid: str = ""
    dept_id: int | None = None
    depth: int = 0
    payload: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    candidates: list[str] = field(default_factory=list)
    needs_confirmation: bool = False
    waiting: bool = False  # a person decides (disputed, cannot adopt, irreversible)


@dataclass
class Plan:
    items: list[Planned] = field(default_factory=list)
    settled: Counter[str] = field(default_factory=Counter)  # already in step: counted, not stored
    out_of_scope: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        ops = Counter(str(item.op) for item in self.items)
        return {
            "ops": dict(ops),
            "settled": dict(self.settled),
            "waiting": sum(1 for item in self.items if item.waiting),
            "out_of_scope": self.out_of_scope,
        }


def store_plan(
    actor: Actor, connection: Connection, kind: str, trigger: str, plan: Plan, items: Sequence[Planned]
) -> SyncRun:
    """The run and its items, in the order given (the order they are applied in)."""
    run = SyncRun.objects.create(
        tenant_id=connection.tenant_id,
        connection=connection,
        kind=kind,
        trigger=trigger,
        counts=plan.counts(),
        started_by=actor if isinstance(actor, Member) else None,
    )
    SyncItem.objects.for_tenant(connection.tenant_id).bulk_create(
        [
            SyncItem(
                tenant_id=connection.tenant_id,
                run=run,
                position=position,
                op=item.op,
                label=item.label[:300],
                member_id=item.member_id,
                department_id=item.department_id,
                userid=item.userid,
                dept_id=item.dept_id,
                depth=item.depth,
                payload=item.payload,
                before=item.before,
                reason=item.reason[:300],
                candidates=item.candidates,
                needs_confirmation=item.needs_confirmation,
                outcome=Outcome.WAITING if item.waiting else Outcome.PENDING,
            )
            for position, item in enumerate(items)
        ],
        batch_size=1000,
    )
    return run
