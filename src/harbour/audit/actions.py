"""Writing to the operation log. Only actions call this, inside their own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction

from harbour.audit import chain, kinds
from harbour.audit.models import AuditChainHead, AuditEvent
from harbour.core import context
from harbour.core.bulk import insert_rows
from harbour.core.databases import database_for
from harbour.core.ids import new_ids
from harbour.core.permissions import Actor
from harbour.core.time import now


class Auditable(Protocol):
    pk: Any

    def __str__(self) -> str: ...


@dataclass(frozen=True)
class TargetRef:
    """A target named without loading it (bulk writes): its type, id and label."""

    type: str
    pk: Any
    label: str
    member_id: Any = None  # the member the event is about, when the target is not a member itself

    def __str__(self) -> str:
        return self.label


@dataclass
class Entry:
    """One event of a bulk write (``record_many``)."""

    target: Auditable | TargetRef | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    data: dict[str, Any] | None = None


def _subject_of(target: Auditable | TargetRef | None) -> Any:
    """The member an event is about: the member itself, or the holder of a grant, token or invitation."""
    if target is None:
        return None
    subject = target.pk if _target_type(target) == "member" else getattr(target, "member_id", None)
    if subject is None or isinstance(subject, uuid.UUID):
        return subject
    try:
        return uuid.UUID(str(subject))
    except ValueError:
        return None


def _target_type(target: Auditable | TargetRef | None) -> str:
    if target is None:
        return ""
    if isinstance(target, TargetRef):
        return target.type
    meta = getattr(target, "_meta", None)
    return meta.model_name if meta is not None else type(target).__name__.lower()


def record(
    actor: Actor,
    kind: str,
    *,
    target: Auditable | TargetRef | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    **data: Any,
) -> None:
    """Append one event to the actor's tenant chain."""
    if reason:
        data["reason"] = reason
    record_many(actor, kind, [Entry(target, before, after, data)])


def record_many(actor: Actor, kind: str, entries: Sequence[Entry]) -> int:
    """Append many events of one kind in one insert (bulk imports); same chain rules as ``record``."""
    kinds.get(kind)
    alias = database_for(actor.tenant_id)
    if not transaction.get_connection(alias).in_atomic_block:
        raise RuntimeError("audit events are written inside the action's transaction")
    if not entries:
        return 0
    facts = context.current()
    heads = AuditChainHead.objects.using(alias)
    heads.get_or_create(tenant_id=actor.tenant_id)
    head = heads.select_for_update().get(tenant_id=actor.tenant_id)
    at = now()
    common = {
        "tenant_id": actor.tenant_id,
        "occurred_at": at,
        "kind": kind,
        "actor_type": actor.actor_type,
        "actor_id": actor.actor_id,
        "actor_label": actor.actor_label[:200],
        "ip": facts.ip,
        "user_agent": facts.user_agent,
        "request_id": facts.request_id,
    }
    rows: list[dict[str, Any]] = []
    prev, seq = head.hash, head.seq
    for entry, row_id in zip(entries, new_ids(len(entries)), strict=True):
        seq += 1
        target = entry.target
        row = {
            **common,
            "id": row_id,
            "seq": seq,
            "target_type": _target_type(target),
            "target_id": str(target.pk) if target is not None else "",
            "target_label": str(target)[:300] if target is not None else "",
            "subject_id": _subject_of(target),
            "before": entry.before,
            "after": entry.after,
            "data": entry.data or {},
            "prev_hash": prev,
        }
        row["hash"] = prev = chain.link_hash(prev, row)
        rows.append(row)
    insert_rows(AuditEvent, rows, using=alias)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"], using=alias)
    return len(rows)
