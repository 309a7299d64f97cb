"""The export response shared by the console and the API: the entries as they stand now, logged, streamed."""

from __future__ import annotations

from django.http import StreamingHttpResponse

from harbour.core.models import Tenant
from harbour.core.permissions import Actor
from harbour.oplog.actions import record_export
from harbour.oplog.export import FORMATS, as_of_now, csv_lines, json_lines
from harbour.oplog.queries import LogFilters, search_log


def export_response(
    actor: Actor, tenant: Tenant, filters: LogFilters, file_format: str
) -> StreamingHttpResponse:
    """``file_format`` is one of ``FORMATS`` (callers refuse others in their own way: 404 or problem+json)."""
    entries = as_of_now(search_log(actor, tenant, filters))
    record_export(actor, filters, file_format=file_format)
    lines = csv_lines(entries) if file_format == "csv" else json_lines(entries)
    response = StreamingHttpResponse(lines, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="operation-log-{tenant.slug}.{file_format}"'
    return response
