"""Hong Kong working days: not a Saturday, a Sunday or a Hong Kong public holiday (XB-GBA filing)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

GBA_FILING_WORKING_DAYS = 10


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.HongKong(years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day ``days`` Hong Kong working days after ``start`` (``start`` itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def gba_filing_due(effective_on: dt.date) -> dt.date:
    """XB-GBA: file within 10 working days of the contract taking effect."""
    return add_working_days(effective_on, GBA_FILING_WORKING_DAYS)
