"""Console forms of the security settings page and the domains section."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.audit.models import AuditPolicy
from harbour.audit.retention import MAXIMUM_DAYS
from harbour.directory.forms import ActionForm, DateInput
from harbour.security.actions import MAX_SESSION_MINUTES, MAX_TEMPORARY_DAYS, MIN_SESSION_MINUTES

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class SecuritySettingsForm(ActionForm):
    sso_only = forms.BooleanField(
        label=_("SSO only: members sign in only through the company's identity provider"),
        required=False,
        help_text=_("Password sign-ins are refused, except the break-glass administrator's (with a code)."),
    )
    break_glass_member = forms.ChoiceField(
        label=_("Break-glass administrator"),
        required=False,
        help_text=_("Signs in with a password and an authenticator code when the identity provider is down."),
    )
    mfa_for_admins = forms.BooleanField(
        label=_("Administrators need a second factor (authenticator code)"), required=False
    )
    domain_binding = forms.BooleanField(
        label=_("Domain binding: only addresses of the verified domains may hold accounts"), required=False
    )
    company_devices_only = forms.BooleanField(
        label=_("Company devices only: a sign-in must present a registered company device"), required=False
    )
    allowed_networks = forms.CharField(
        label=_("Allowed networks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address or CIDR range per line, such as 203.0.113.0/24. Empty: anywhere."),
    )
    refuse_outside_networks = forms.BooleanField(
        label=_("Refuse sign-ins from outside the allowed networks (otherwise they are flagged as risky)"),
        required=False,
    )
    working_hours_start = forms.TimeField(label=_("Working hours start"), widget=TimeInput())
    working_hours_end = forms.TimeField(label=_("Working hours end"), widget=TimeInput())
    working_days = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sign-ins outside these hours are flagged as risky."),
    )
    session_lifetime_minutes = forms.IntegerField(
        label=_("Session lifetime (minutes)"),
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
        help_text=_("After this long a person signs in again."),
    )
    external_auto_join = forms.BooleanField(
        label=_("External people may join group chats automatically"),
        required=False,
        help_text=_("Recommended off: an administrator adds external people to groups."),
    )
    temporary_max_days = forms.IntegerField(
        label=_("Temporary collaborators: longest term (days)"), min_value=1, max_value=MAX_TEMPORARY_DAYS
    )
    audit_retention_days = forms.IntegerField(
        label=_("Keep the operation log for (days)"),
        min_value=AuditPolicy.MINIMUM_DAYS,
        max_value=MAXIMUM_DAYS,
        help_text=_("At least 90 days."),
    )

    def __init__(self, *args: Any, administrators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["break_glass_member"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— None —")), *administrators]

    def clean_allowed_networks(self) -> list[str]:
        text: str = self.cleaned_data.get("allowed_networks", "")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["break_glass_member"] = data.get("break_glass_member") or None
        return data


class DomainForm(ActionForm):
    name = forms.CharField(label=_("Domain"), max_length=253, help_text=_("Such as company.com.hk"))


class OverrideForm(ActionForm):
    name = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why DNS verification is skipped"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExceptionForm(ActionForm):
    rule_id = forms.ChoiceField(label=_("Rule"))
    rationale = forms.CharField(
        label=_("Why the deviation is accepted"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(label=_("Until"), widget=DateInput(), help_text=_("At most a year from today."))
    extra_aliases: ClassVar[dict[str, str]] = {"expires_at": "until"}

    def __init__(self, *args: Any, rule_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = rule_choices

    def expires_at(self) -> dt.datetime:
        """The end of the chosen day in the company's time zone."""
        day: dt.date = self.cleaned_data["until"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
