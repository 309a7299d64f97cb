"""Writing to the operation log. Only actions call this, inside their own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction

from harbour.audit import chain, kinds
from harbour.audit.models import AuditChainHead, AuditEvent
from harbour.core import context
from harbour.core.bulk import bulk_insert
from harbour.core.permissions import Actor
from harbour.core.time import now


class Auditable(Protocol):
    pk: Any

    def __str__(self) -> str: ...


@dataclass
class Entry:
    """One event of a bulk write (``record_many``)."""

    target: Auditable | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    data: dict[str, Any] | None = None


def _target_type(target: Auditable | None) -> str:
    if target is None:
        return ""
    meta = getattr(target, "_meta", None)
    return meta.model_name if meta is not None else type(target).__name__.lower()


def record(
    actor: Actor,
    kind: str,
    *,
    target: Auditable | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    **data: Any,
) -> AuditEvent:
    """Append one event to the actor's tenant chain."""
    if reason:
        data["reason"] = reason
    return record_many(actor, kind, [Entry(target, before, after, data)])[0]


def record_many(actor: Actor, kind: str, entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append many events of one kind in one insert (bulk imports); same chain rules as ``record``."""
    kinds.get(kind)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the action's transaction")
    if not entries:
        return []
    facts = context.current()
    AuditChainHead.objects.get_or_create(tenant_id=actor.tenant_id)
    head = AuditChainHead.objects.select_for_update().get(tenant_id=actor.tenant_id)
    at = now()
    events: list[AuditEvent] = []
    prev, seq = head.hash, head.seq
    for entry in entries:
        seq += 1
        event = AuditEvent(
            tenant_id=actor.tenant_id,
            seq=seq,
            occurred_at=at,
            kind=kind,
            actor_type=actor.actor_type,
            actor_id=actor.actor_id,
            actor_label=actor.actor_label[:200],
            target_type=_target_type(entry.target),
            target_id=str(entry.target.pk) if entry.target is not None else "",
            target_label=str(entry.target)[:300] if entry.target is not None else "",
            before=entry.before,
            after=entry.after,
            data=entry.data or {},
            ip=facts.ip,
            user_agent=facts.user_agent,
            request_id=facts.request_id,
            prev_hash=prev,
        )
        event.hash = chain.link_hash(prev, event)
        prev = event.hash
        events.append(event)
    bulk_insert(events)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return events
