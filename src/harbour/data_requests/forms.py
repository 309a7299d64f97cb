"""Console forms of data requests. Dates are Hong Kong days; a requester or a disclosure's subject who is a
member is named by their work email, anyone else by name and contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.data_requests.actions import REASONS_MAX, TEXT_MAX
from harbour.data_requests.models import Disclosure, Kind, Language, grounds_for
from harbour.directory.forms import ActionForm, DateInput

Choices = list[tuple[str, str]]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RequestForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DateInput(),
        help_text=_("Hong Kong date; the 40 days count from it."),
    )
    requester_email = forms.EmailField(
        label=_("Requester's work email"),
        required=False,
        help_text=_("For a member of the company. Leave empty for someone outside it."),
    )
    requester_name = forms.CharField(label=_("Requester's name"), max_length=150, required=False)
    requester_contact = forms.CharField(
        label=_("Requester's contact"),
        max_length=254,
        required=False,
        help_text=_("Address, email or phone for the reply (outside persons)."),
    )
    description = forms.CharField(
        label=_("Data asked for, or the correction asked"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(
        label=_("Language of the request"),
        choices=Language.choices,
        help_text=_("A request in neither Chinese nor English may be refused (s20(3)(a), s24(3)(a))."),
    )
    fee = forms.DecimalField(
        label=_("Fee charged (HKD)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_(
            "Access requests only, and never excessive (s28). No fee may be charged for a correction."
        ),
    )
    fee_note = forms.CharField(label=_("Fee note"), max_length=300, required=False)
    access_request = forms.ChoiceField(
        label=_("Earlier access request"),
        required=False,
        help_text=_("Correction requests: the access request it follows, if any."),
    )
    extra_aliases = {"requester_id": "requester_email", "access_request_id": "access_request"}

    def __init__(self, *args: Any, access_requests: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["access_request"].choices = [("", _("— None —")), *access_requests]  # type: ignore[attr-defined]
        self.fields["received_on"].initial = today_in_hong_kong()


class OwnRequestForm(ActionForm):
    description = forms.CharField(
        label=_("What data do you want a copy of?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. my personnel file, my attendance records for 2026, emails about my appraisal."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[
            (Language.ENGLISH.value, Language.ENGLISH.label),
            (Language.CHINESE.value, Language.CHINESE.label),
        ],
    )


class DelayNoticeForm(ActionForm):
    reasons = forms.CharField(
        label=_("Reasons for the delay"),
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent in writing to the requester; the request must still be completed as soon as practicable."
        ),
    )
    extra_aliases = {"due_on": "reasons", "state": "reasons"}


class AccessCompleteForm(ActionForm):
    data_held = forms.TypedChoiceField(
        label=_("Does the company hold the data?"),
        choices=[
            ("yes", _("Yes: a copy was supplied")),
            ("no", _("No: told in writing that no data is held")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    supplied = forms.CharField(
        label=_("What was supplied"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The copy as the data stood when the request was received, with codes explained."),
    )
    supplied_on = forms.DateField(label=_("Supplied on"), widget=DateInput())
    extra_aliases = {"state": "data_held"}


class CorrectionCompleteForm(ActionForm):
    """Plus one group of fields per disclosure in the 12-month lookback: sent on a day, or why not."""

    satisfied_inaccurate = forms.BooleanField(
        label=_("I am satisfied the data are inaccurate"),
        required=False,
        help_text=_("If not, refuse the request instead (s24(3)(b))."),
    )
    correction_made = forms.CharField(
        label=_("Correction made"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    corrected_copy_supplied_on = forms.DateField(label=_("Corrected copy supplied on"), widget=DateInput())
    extra_aliases = {"state": "satisfied_inaccurate"}

    def __init__(self, *args: Any, disclosures: list[Disclosure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disclosures = disclosures
        for d in disclosures:
            when = d.disclosed_at.astimezone(HONG_KONG).strftime("%Y-%m-%d")
            self.fields[f"tp_{d.pk}_notified"] = forms.BooleanField(
                label=_("Corrected data sent to %(recipient)s (disclosed %(day)s)")
                % {"recipient": d.recipient, "day": when},
                required=False,
            )
            self.fields[f"tp_{d.pk}_on"] = forms.DateField(
                label=_("Sent on"), widget=DateInput(), required=False
            )
            self.fields[f"tp_{d.pk}_reason"] = forms.CharField(
                label=_("Or: why not sent"),
                max_length=500,
                required=False,
                help_text=_("E.g. believed no longer to use the data (s23(1)(c))."),
            )

    def third_party_answers(self) -> list[tuple[str, bool, dt.date | None, str]]:
        data = self.cleaned_data
        return [
            (
                str(d.pk),
                bool(data.get(f"tp_{d.pk}_notified")),
                data.get(f"tp_{d.pk}_on"),
                data.get(f"tp_{d.pk}_reason") or "",
            )
            for d in self.disclosures
        ]

    def add_domain_error(self, exc: Any) -> None:
        if exc.field == "third_parties":
            self.add_error(None, exc.message)
            return
        super().add_domain_error(exc)


class RefuseForm(ActionForm):
    ground = forms.ChoiceField(label=_("Ground of refusal"))
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Given to the requester in writing and entered in the log book (s21, s25, s27)."),
    )
    extra_aliases = {"state": "ground"}

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, str(label)) for code, label in grounds_for(kind).items()]
        self.fields["ground"].choices = choices  # type: ignore[attr-defined]


class WithdrawForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DisclosureForm(ActionForm):
    subject_email = forms.EmailField(
        label=_("Whose data: work email"),
        required=False,
        help_text=_("For a member of the company. Leave empty and give the name for someone outside it."),
    )
    subject_name = forms.CharField(label=_("Whose data: name"), max_length=150, required=False)
    recipient = forms.CharField(label=_("Disclosed to"), max_length=200)
    data_disclosed = forms.CharField(
        label=_("Data disclosed"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    disclosed_at = forms.DateTimeField(
        label=_("Disclosed at (Hong Kong time)"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    extra_aliases = {"subject_id": "subject_email"}

    def clean_disclosed_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("disclosed_at")
        if value is None:
            return None
        return value.replace(tzinfo=HONG_KONG) if value.tzinfo is None else value.astimezone(HONG_KONG)
