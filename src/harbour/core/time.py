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
