"""Time rules: stored in UTC, shown in Asia/Hong_Kong."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def now() -> dt.datetime:
    return timezone.now()


def today_in_hong_kong() -> dt.date:
    return timezone.now().astimezone(HONG_KONG).date()


def local(value: dt.datetime, tz_name: str = "Asia/Hong_Kong") -> dt.datetime:
    return value.astimezone(ZoneInfo(tz_name))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
