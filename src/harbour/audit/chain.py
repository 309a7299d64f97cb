"""Canonical encoding and hashing of audit entries, and chain verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from harbour.audit.models import AuditEvent

GENESIS = "0" * 64

_HASHED_FIELDS = (
    "seq",
    "kind",
    "actor_type",
    "actor_id",
    "actor_label",
    "target_type",
    "target_id",
    "target_label",
    "before",
    "after",
    "data",
    "ip",
    "user_agent",
    "request_id",
)


def values_of(event: AuditEvent) -> dict[str, Any]:
    """The hashed values of a stored entry (the same mapping ``audit.actions`` hashes before inserting)."""
    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
    values["tenant_id"] = event.tenant_id
    values["occurred_at"] = event.occurred_at
    return values


def canonical(values: Mapping[str, Any]) -> bytes:
    """The bytes an entry is hashed over: compact UTF-8 JSON with sorted keys (orjson's encoding)."""
    body: dict[str, Any] = {name: values[name] for name in _HASHED_FIELDS}
    body["tenant"] = str(values["tenant_id"])
    body["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    if isinstance(body["actor_id"], uuid.UUID):
        body["actor_id"] = str(body["actor_id"])
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=str)


def link_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(values)).hexdigest()


@dataclass
class Verdict:
    intact: bool
    entries: int
    broken_seq: int | None = None
    reason: str = ""


def verify(events: Iterable[AuditEvent], start_hash: str = GENESIS, start_seq: int = 0) -> Verdict:
    """Walk events in seq order; report the first link that does not hold."""
    prev, expected_seq, count = start_hash, start_seq + 1, 0
    for event in events:
        if event.seq != expected_seq:
            return Verdict(False, count, event.seq, f"expected entry {expected_seq}, found {event.seq}")
        if event.prev_hash != prev:
            return Verdict(False, count, event.seq, "previous-hash link does not match")
        if link_hash(prev, values_of(event)) != event.hash:
            return Verdict(False, count, event.seq, "entry content does not match its hash")
        prev, expected_seq, count = event.hash, expected_seq + 1, count + 1
    return Verdict(True, count)


def _stored_bodies(
    tenant_id: uuid.UUID, after_seq: int, through_seq: int
) -> Iterator[tuple[int, str, str, bytes]]:
    """(seq, prev_hash, hash, canonical bytes) of stored entries, read with plain SQL.

    The ORM's per-value conversions (JSON, UUIDs, time zones) cost more than the hashing; here each column
    comes as text and is put into exactly the form ``canonical`` gives the values at write time.
    """
    from django.db import connections

    from harbour.core.databases import database_for

    connection = connections[database_for(tenant_id)]
    postgres = connection.vendor == "postgresql"
    if postgres:
        columns = (
            "seq, prev_hash, hash, kind, actor_type, actor_id::text, actor_label, target_type, target_id,"
            " target_label, before::text, after::text, data::text, host(ip), user_agent, request_id,"
            " to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        )
        key: Any = tenant_id
    else:
        columns = (
            "seq, prev_hash, hash, kind, actor_type, actor_id, actor_label, target_type, target_id,"
            " target_label, before, after, data, ip, user_agent, request_id, occurred_at"
        )
        key = tenant_id.hex
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"SELECT {columns} FROM {table} WHERE tenant_id = %s AND seq > %s AND seq <= %s ORDER BY seq"  # noqa: S608
    tenant = str(tenant_id)
    loads = orjson.loads
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [key, after_seq, through_seq])
        while rows := cursor.fetchmany(5000):
            for row in rows:
                (seq, prev, digest, kind, actor_type, actor_id, actor_label, target_type, target_id,
                 target_label, before, after, data, ip, user_agent, request_id, occurred) = row  # fmt: skip
                if not postgres:
                    if actor_id is not None:
                        actor_id = str(uuid.UUID(actor_id))
                    # stored as naive UTC; the driver may already hand it over as a datetime
                    if isinstance(occurred, str):
                        occurred = dt.datetime.fromisoformat(occurred)
                    occurred = occurred.replace(tzinfo=None).isoformat(timespec="microseconds")
                body = {
                    "seq": seq,
                    "kind": kind,
                    "actor_type": actor_type,
                    "actor_id": actor_id,
                    "actor_label": actor_label,
                    "target_type": target_type,
                    "target_id": target_id,
                    "target_label": target_label,
                    "before": None if before is None else loads(before),
                    "after": None if after is None else loads(after),
                    "data": None if data is None else loads(data),
                    "ip": ip,
                    "user_agent": user_agent,
                    "request_id": request_id,
                    "tenant": tenant,
                    "occurred_at": occurred + "+00:00",
                }
                yield seq, prev, digest, orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=str)


def verify_company(tenant_id: uuid.UUID) -> Verdict:
    """Verify a company's whole log: every link from the purge anchor to the head, the head itself (so
    removing the newest entries shows), and every checkpoint still covered by the entries."""
    from harbour.audit.models import AuditChainHead, AuditCheckpoint

    head = AuditChainHead.objects.for_tenant(tenant_id).first()
    base_seq, base_hash = (head.base_seq, head.base_hash) if head is not None else (0, GENESIS)
    # Entries written while this runs come after the head read here: they are the next run's to check.
    through = head.seq if head is not None else 0
    last_seq, last_hash = base_seq, base_hash
    prev, expected_seq, count = base_hash, base_seq + 1, 0
    sha256 = hashlib.sha256
    for seq, prev_hash, digest, body in _stored_bodies(tenant_id, base_seq, through):
        if seq != expected_seq:
            return Verdict(False, count, seq, f"expected entry {expected_seq}, found {seq}")
        if prev_hash != prev:
            return Verdict(False, count, seq, "previous-hash link does not match")
        if sha256(prev.encode() + body).hexdigest() != digest:
            return Verdict(False, count, seq, "entry content does not match its hash")
        prev, expected_seq, count = digest, expected_seq + 1, count + 1
        last_seq, last_hash = seq, digest
    if head is not None and (last_seq, last_hash) != (head.seq, head.hash):
        return Verdict(
            False, count, last_seq + 1, f"entries after {last_seq} are missing (the head is {head.seq})"
        )
    for checkpoint in AuditCheckpoint.objects.for_tenant(tenant_id).filter(seq__gt=base_seq).order_by("seq"):
        entry = (
            AuditEvent.objects.for_tenant(tenant_id)
            .filter(seq=checkpoint.seq)
            .values_list("hash", flat=True)
            .first()
        )
        if entry != checkpoint.hash:
            return Verdict(
                False, count, checkpoint.seq, "entry does not match the checkpoint recorded for it"
            )
    return Verdict(True, count)
