"""Streaming the operation log out as CSV or JSON Lines: rows are read in chunks and written as they come, so
memory stays flat however long the log is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
from django.db.models import QuerySet

from harbour.audit.models import AuditEvent

COLUMNS = (
    "seq",
    "occurred_at",
    "kind",
    "actor_type",
    "actor_id",
    "actor_label",
    "target_type",
    "target_id",
    "target_label",
    "subject_id",
    "ip",
    "user_agent",
    "request_id",
    "before",
    "after",
    "data",
    "prev_hash",
    "hash",
)
CHUNK = 2000
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def as_of_now(entries: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The entries as they stand when the export is asked for (later ones, like the export's own entry,
    belong to the next export)."""
    newest = entries.order_by("-seq").values_list("seq", flat=True).first()
    return entries.filter(seq__lte=newest or 0)


def _rows(entries: QuerySet[AuditEvent]) -> Iterator[tuple[Any, ...]]:
    yield from entries.order_by("seq").values_list(*COLUMNS).iterator(chunk_size=CHUNK)


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_lines(entries: QuerySet[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n, row in enumerate(_rows(entries), start=1):
        writer.writerow([_plain(v) for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_lines(entries: QuerySet[AuditEvent]) -> Iterator[bytes]:
    batch: list[bytes] = []
    for row in _rows(entries):
        batch.append(orjson.dumps(dict(zip(COLUMNS, row, strict=True)), default=str))
        if len(batch) == 500:
            yield b"\n".join(batch) + b"\n"
            batch = []
    if batch:
        yield b"\n".join(batch) + b"\n"
