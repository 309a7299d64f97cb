"""How a Harbour member's values read in DingTalk and back: mobile numbers, userids, dates, the fields a
sync compares."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import phonenumbers

from harbour.core.time import HONG_KONG

CHINA = 86
USERID_PREFIX = "hb"


def userid_for(member_id: uuid.UUID | str) -> str:
    """The DingTalk userid Harbour gives a member it adds: derived from the member id, so a create retried
    after a crash finds the user it made instead of making a second one."""
    return USERID_PREFIX + uuid.UUID(str(member_id)).hex


def e164(mobile: str) -> str:
    """A mobile number as Harbour keeps it (E.164), from DingTalk's forms: ``+852-91234567`` for numbers
    outside mainland China, bare ``13800138000`` inside it. Unreadable numbers are answered as digits."""
    raw = (mobile or "").strip()
    if not raw:
        return ""
    compact = raw.replace("-", "").replace(" ", "")
    region = "CN" if not compact.startswith("+") and len(compact) == 11 and compact.startswith("1") else "HK"
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return compact
    if not phonenumbers.is_possible_number(number):
        return compact
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def dingtalk_mobile(mobile: str) -> str:
    """A Harbour (E.164) number in DingTalk's form."""
    try:
        number = phonenumbers.parse(mobile, "HK")
    except phonenumbers.NumberParseException:
        return mobile
    national = str(number.national_number)
    if number.country_code == CHINA:
        return national
    return f"+{number.country_code}-{national}"


def hired_ms(day: dt.date | None) -> int | None:
    if day is None:
        return None
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=HONG_KONG)
    return int(midnight.timestamp() * 1000)


def hired_day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=HONG_KONG).date()
    except (TypeError, ValueError, OverflowError):
        return None


def emails_of(user: dict[str, Any]) -> list[str]:
    return [e.strip().lower() for e in (user.get("email"), user.get("org_email")) if e and e.strip()]
