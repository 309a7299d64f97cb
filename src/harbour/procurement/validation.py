"""Field validation shared by every path that writes procurement data (console, API, imports, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from harbour.core.errors import Invalid
from harbour.core.time import today_in_hong_kong
from harbour.directory.validation import clean_mobile, clean_text
from harbour.procurement.names import BR_NUMBER

MAX_CONTACTS = 10


def clean_br_number(value: str | None, *, field: str = "br_number") -> str:
    br = (value or "").strip().upper()
    if br and not BR_NUMBER.match(br):
        raise Invalid(
            _("%(value)r is not a Business Registration number: 8 digits, optionally -xxx-xx-xx-x")
            % {"value": value},
            field=field,
        )
    return br


def clean_email_address(value: str, *, field: str) -> str:
    """A reseller's contact may use any domain (the company's own domain binding does not apply)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid(
            _("%(value)r is not a valid email address: %(reason)s") % {"value": value, "reason": exc},
            field=field,
        ) from None


def clean_contacts(contacts: Sequence[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """Each contact has a name and a way to reach them (email or phone); phones become E.164."""
    if contacts is None:
        return []
    if not isinstance(contacts, Sequence) or isinstance(contacts, str):
        raise Invalid(_("contacts must be a list"), field="contacts")
    if len(contacts) > MAX_CONTACTS:
        raise Invalid(_("at most %(max)d contacts") % {"max": MAX_CONTACTS}, field="contacts")
    cleaned: list[dict[str, str]] = []
    for index, contact in enumerate(contacts):
        where = f"contacts[{index}]"
        if not isinstance(contact, Mapping):
            raise Invalid(_("a contact has a name, an email and a phone"), field=where)
        unknown = set(contact) - {"name", "email", "phone"}
        if unknown:
            raise Invalid(_("a contact has no field %(field)r") % {"field": sorted(unknown)[0]}, field=where)
        name = clean_text(
            str(contact.get("name") or ""), field=f"{where}.name", max_length=150, required=True
        )
        email = clean_email_address(str(contact.get("email") or ""), field=f"{where}.email")
        phone = clean_mobile(str(contact.get("phone") or ""), field=f"{where}.phone")
        if not email and not phone:
            raise Invalid(
                _("%(name)s needs an email address or a phone number") % {"name": name},
                field=f"{where}.email",
            )
        cleaned.append({"name": name, "email": email, "phone": phone})
    return cleaned


def clean_past_date(value: dt.date | None, *, field: str, required: bool = True) -> dt.date | None:
    """A date something already happened on (published, signed): not in the future, Hong Kong time."""
    if value is None:
        if required:
            raise Invalid(_("a date is required"), field=field)
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Invalid(_("a date is required"), field=field)
    if value > today_in_hong_kong():
        raise Invalid(_("the date %(day)s is in the future") % {"day": value.isoformat()}, field=field)
    if value.year < 2000:
        raise Invalid(_("the date %(day)s is too far in the past") % {"day": value.isoformat()}, field=field)
    return value
