"""Parsing and checking of register input: each function answers the clean value or raises ``Invalid``
naming the field, before anything is written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from harbour.core.errors import Invalid
from harbour.directory.validation import clean_text

LIST_ITEM_MAX = 200
LIST_MAX = 100


def text(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise Invalid(_("give text"), field=field)
    return clean_text(value or "", field=field, max_length=max_length, required=required)


def choice(value: Any, field: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise Invalid(
            _("choose one of: %(choices)s") % {"choices": ", ".join(allowed)},
            field=field,
        )
    return value


def flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(_("give true or false"), field=field)
    return value


def lines(value: Any, field: str, *, required: bool = False) -> list[str]:
    """A list of short entries: a list, or text with one entry per line; blanks and repeats dropped."""
    if value is None:
        value = []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        raise Invalid(_("give a list"), field=field)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise Invalid(_("each entry must be text"), field=field)
        item = item.strip()
        if len(item) > LIST_ITEM_MAX:
            raise Invalid(_("each entry is at most %(max)d characters") % {"max": LIST_ITEM_MAX}, field=field)
        if item and item not in out:
            out.append(item)
    if len(out) > LIST_MAX:
        raise Invalid(_("at most %(max)d entries") % {"max": LIST_MAX}, field=field)
    if required and not out:
        raise Invalid(_("give at least one entry"), field=field)
    return out


def date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(_("give a date"), field=field)
        return None
    if isinstance(value, dt.datetime):
        raise Invalid(_("give a date without a time"), field=field)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(_("give a date as YYYY-MM-DD"), field=field)


def uuid_or_none(value: Any, field: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid(_("not a valid id: %(value)s") % {"value": value}, field=field) from None


def email(value: Any, field: str) -> str:
    """Any valid address (a person outside the company need not use its domain); empty stays empty."""
    value = text(value, field, 254)
    if not value:
        return ""
    try:
        return str(validate_email(value, check_deliverability=False).normalized.lower())
    except EmailNotValidError:
        raise Invalid(_("%(value)r is not a valid email address") % {"value": value}, field=field) from None
