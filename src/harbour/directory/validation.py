"""Field validation shared by every path that writes directory data (console, API, CLI, imports)."""

from __future__ import annotations

import re

import phonenumbers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from harbour.core.admission import EmailCheck, email_checker
from harbour.core.errors import Invalid
from harbour.core.models import Tenant

# Plain ASCII addresses (dot-atom local part, LDH domain labels, alphabetic TLD) are valid by construction;
# checking them with this pattern first spares bulk imports the full RFC/IDNA validator, which still
# decides every other address.
_PLAIN_EMAIL = re.compile(
    r"^(?=.{1,64}@)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})$"
)


# How a field is named inside an error message; English is the field name with spaces.
_FIELD_LABELS: dict[str, Promise] = {
    "name": pgettext_lazy("field", "name"),
    "name_zh": pgettext_lazy("field", "name zh"),
    "title": pgettext_lazy("field", "title"),
    "description": pgettext_lazy("field", "description"),
    "reason": pgettext_lazy("field", "reason"),
    "display_name": pgettext_lazy("field", "display name"),
    "registered_name": pgettext_lazy("field", "registered name"),
    "contracting_entity": pgettext_lazy("field", "contracting entity"),
    "local_contact_address": pgettext_lazy("field", "local contact address"),
    "registration_location": pgettext_lazy("field", "registration location"),
    "data_storage_region": pgettext_lazy("field", "data storage region"),
    "locale": pgettext_lazy("field", "locale"),
}


def field_label(field: str) -> str:
    """The field's name as a person reads it in the active language."""
    label = _FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


def clean_email(
    value: str, tenant: Tenant, *, field: str = "email", checker: EmailCheck | None = None
) -> str:
    """A normalised address the company accepts (``checker``: the company's rules, prepared once for a
    bulk import; read afresh when not given)."""
    candidate = value.strip().lower()
    plain = _PLAIN_EMAIL.match(candidate)
    if plain and plain.group(1) not in SPECIAL_USE_DOMAIN_NAMES:
        email = candidate
    else:
        try:
            result = validate_email(value.strip(), check_deliverability=False)
        except EmailNotValidError as exc:
            raise Invalid(
                _("%(value)r is not a valid email address: %(reason)s") % {"value": value, "reason": exc},
                field=field,
            ) from None
        email = result.normalized.lower()
    refusal = (checker or email_checker(tenant.pk))(email)
    if refusal:
        raise Invalid(refusal, field=field)
    return email


def clean_mobile(value: str, *, field: str = "mobile") -> str:
    """Return E.164; numbers without a country code are taken as Hong Kong (+852)."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "HK")
    except phonenumbers.NumberParseException:
        raise Invalid(_("%(value)r is not a phone number") % {"value": value}, field=field) from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid(_("%(value)r is not a valid phone number") % {"value": value}, field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("%(field)s is required") % {"field": field_label(field)}, field=field)
    if len(value) > max_length:
        raise Invalid(
            _("%(field)s is longer than %(max)d characters")
            % {"field": field_label(field), "max": max_length},
            field=field,
        )
    return value


def clean_employee_number(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 40:
        raise Invalid(_("employee number is longer than 40 characters"), field="employee_number")
    return value
