"""Quarters in Hong Kong time: "2026-Q4" names October to December 2026."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid
from harbour.core.time import HONG_KONG

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def first_day(quarter: str) -> dt.date:
    match = QUARTER.match(quarter or "")
    if match is None:
        raise Invalid(_("name a quarter like 2026-Q4"), field="quarter")
    return dt.date(int(match.group(1)), (int(match.group(2)) - 1) * 3 + 1, 1)


def quarter_bounds(quarter: str) -> tuple[dt.datetime, dt.datetime]:
    """The quarter's first moment and the next quarter's first moment, Hong Kong time."""
    start = first_day(quarter)
    month = start.month + 3
    end = dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    midnight = dt.time(0, 0)
    return dt.datetime.combine(start, midnight, tzinfo=HONG_KONG), dt.datetime.combine(
        end, midnight, tzinfo=HONG_KONG
    )
