"""The s27 log book as CSV, in English or Chinese: the PCPD may inspect and copy it (PDPO-S27-LOGBOOK).
Grounds are written from their code in the chosen language; times are Hong Kong dates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from harbour.data_requests.models import Kind, LogBookEntry, grounds_for

LANGUAGES = ("en", "zh-hant")


def columns() -> list[str]:
    return [
        _("Request"),
        _("Kind"),
        _("Requestor"),
        _("Received on"),
        _("Refused on"),
        _("Ground of refusal"),
        _("Reasons"),
        _("Recorded by"),
        _("Keep until"),
    ]


def ground_label(entry: LogBookEntry) -> str:
    return str(grounds_for(entry.kind).get(entry.ground, entry.ground_text))


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _rows(entries: Iterable[LogBookEntry]) -> Iterable[list[str]]:
    for e in entries:
        yield [
            str(e.request_ref),
            str(Kind(e.kind).label),
            e.requester_name,
            e.received_on.isoformat(),
            e.refused_on.isoformat(),
            ground_label(e),
            e.reasons,
            e.recorded_by_label,
            e.keep_until().isoformat(),
        ]


def csv_text(entries: QuerySet[LogBookEntry], language: str) -> tuple[str, int]:
    """The whole log book (oldest refusal first) and its number of entries, in ``language``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    with translation.override(language if language in LANGUAGES else "en"):
        writer.writerow(columns())
        for row in _rows(entries.order_by("refused_on", "created_at")):
            writer.writerow([_cell(value) for value in row])
            count += 1
    return "\ufeff" + buffer.getvalue(), count
