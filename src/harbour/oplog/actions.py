"""Writes of the log reader: an export is itself an event in the log (who took a copy, of what)."""

from __future__ import annotations

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.permissions import Actor
from harbour.oplog.queries import LogFilters


@tenant_atomic
def record_export(actor: Actor, filters: LogFilters, *, file_format: str) -> None:
    record(
        actor,
        "audit.exported",
        format=file_format,
        person=str(filters.person or ""),
        department=str(filters.department.pk) if filters.department else "",
        event_kind=filters.kind,
        since=filters.since.isoformat() if filters.since else "",
        until=filters.until.isoformat() if filters.until else "",
    )
