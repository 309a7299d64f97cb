"""Rows of an official partner list, from CSV text or from JSON objects: every row is checked before any
is kept, and the first bad one is named by its line (CSV) or index (JSON)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid
from harbour.procurement.names import br_key, name_key
from harbour.procurement.validation import clean_br_number

MAX_ROWS = 20_000
MAX_CSV_CHARS = 4_000_000
COLUMNS = ("name", "br_number", "region")
# Header spellings seen in exported lists, all meaning the same column.
_HEADER_ALIASES = {
    "company": "name",
    "company_name": "name",
    "partner": "name",
    "br": "br_number",
    "br_no": "br_number",
    "business_registration_number": "br_number",
}


@dataclass(frozen=True)
class PartnerRow:
    line: int
    name: str
    br_number: str
    region: str

    @property
    def name_key(self) -> str:
        return name_key(self.name)

    @property
    def br_key(self) -> str:
        return br_key(self.br_number)


def _line_label(number: int) -> str:
    return _("line %(line)d") % {"line": number}


def _index_label(number: int) -> str:
    return _("rows[%(index)d]") % {"index": number}


def _clean_row(
    values: Mapping[str, Any], line: int, *, where: Callable[[int], str], at: int, field: str
) -> PartnerRow:
    """``where(at)`` names the row in an error: "line 7" of a CSV, "rows[5]" of JSON."""

    def refuse(problem: str) -> Invalid:
        return Invalid(_("%(where)s: %(problem)s") % {"where": where(at), "problem": problem}, field=field)

    name = str(values.get("name") or "").strip()
    if not name:
        raise refuse(_("the name is empty"))
    if len(name) > 200:
        raise refuse(_("the name is longer than 200 characters"))
    try:
        br = clean_br_number(str(values.get("br_number") or ""), field=field)
    except Invalid as exc:
        raise refuse(exc.message) from None
    region = str(values.get("region") or "").strip()
    if len(region) > 80:
        raise refuse(_("the region is longer than 80 characters"))
    return PartnerRow(line=line, name=name, br_number=br, region=region)


def rows_from_json(rows: Sequence[Mapping[str, Any]], *, field: str = "rows") -> list[PartnerRow]:
    if not rows:
        raise Invalid(_("the list has no rows"), field=field)
    if len(rows) > MAX_ROWS:
        raise Invalid(_("a list has at most %(max)d rows") % {"max": MAX_ROWS}, field=field)
    cleaned = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise Invalid(_("rows[%(index)d]: a row is an object") % {"index": index}, field=field)
        cleaned.append(_clean_row(row, index + 1, where=_index_label, at=index, field=field))
    return cleaned


def rows_from_csv(text: str, *, field: str = "csv") -> list[PartnerRow]:
    """A header row naming at least ``name`` (``br_number`` and ``region`` optional, other columns
    ignored), then one partner per line. A byte-order mark (Excel's UTF-8 export) is tolerated."""
    if len(text) > MAX_CSV_CHARS:
        raise Invalid(_("the CSV is larger than 4 MB"), field=field)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise Invalid(_("the CSV is empty: it needs a header row with a 'name' column"), field=field)
        columns = [_HEADER_ALIASES.get(key, key) for key in (_header_key(c) for c in header)]
        if "name" not in columns:
            raise Invalid(
                _("line 1: the header row has no 'name' column (found: %(found)s)")
                % {"found": ", ".join(c.strip() for c in header)},
                field=field,
            )
        rows: list[PartnerRow] = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines between rows are harmless
            if len(values) > len(columns):
                raise Invalid(
                    _("line %(line)d: %(found)d values but the header names %(expected)d columns")
                    % {"line": line, "found": len(values), "expected": len(columns)},
                    field=field,
                )
            if len(rows) >= MAX_ROWS:
                raise Invalid(_("a list has at most %(max)d rows") % {"max": MAX_ROWS}, field=field)
            named = {col: value for col, value in zip(columns, values, strict=False) if col in COLUMNS}
            rows.append(_clean_row(named, line, where=_line_label, at=line, field=field))
    except csv.Error as exc:
        raise Invalid(
            _("line %(line)d: not valid CSV (%(reason)s)") % {"line": reader.line_num, "reason": exc},
            field=field,
        ) from None
    if not rows:
        raise Invalid(_("the list has no rows"), field=field)
    return rows


def _header_key(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())
