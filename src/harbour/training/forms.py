"""Console forms of security training. Dates are Hong Kong days and times are Hong Kong times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.time import HONG_KONG
from harbour.directory.forms import ActionForm, DateInput
from harbour.training.actions import MAX_ATTEMPTS_LIMIT, MAX_DUE_DAYS

Choices = list[tuple[str, str]]


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def in_hong_kong(value: dt.datetime) -> dt.datetime:
    """A datetime-local field's value is a Hong Kong wall time."""
    return value.replace(tzinfo=HONG_KONG) if value.tzinfo is None else value.astimezone(HONG_KONG)


class _AudienceForm(ActionForm):
    def __init__(self, *args: Any, departments: Choices, trainers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]
        self.fields["trainer"].choices = [("", _("— Nobody named —")), *trainers]  # type: ignore[attr-defined]


class ProgrammeForm(_AudienceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    audience_all = forms.BooleanField(label=_("Everyone must attend"), required=False)
    departments = forms.MultipleChoiceField(
        label=_("Or these departments (with the departments inside them)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    day_of_quarter = forms.IntegerField(
        label=_("Held on day of the quarter"),
        min_value=0,
        max_value=80,
        help_text=_("0 is the quarter's first day (1 January, 1 April, 1 July, 1 October)."),
    )
    start_time = forms.TimeField(label=_("Starts at (Hong Kong time)"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=720)
    due_days = forms.IntegerField(
        label=_("Complete within (days after the session)"), min_value=0, max_value=MAX_DUE_DAYS
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.CharField(label=_("Online link"), max_length=500, required=False)
    trainer = forms.ChoiceField(label=_("Trainer"), required=False)
    active = forms.BooleanField(label=_("Open a session every quarter"), required=False)
    extra_aliases = {"department_ids": "departments", "trainer_id": "trainer"}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "audience_all": data["audience_all"],
            "department_ids": data["departments"],
            "day_of_quarter": data["day_of_quarter"],
            "start_time": data["start_time"],
            "duration_minutes": data["duration_minutes"],
            "due_days": data["due_days"],
            "place": data["place"],
            "online_link": data["online_link"],
            "trainer_id": data["trainer"] or None,
            "active": data["active"],
        }


class SessionForm(_AudienceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    starts_at = forms.DateTimeField(label=_("Starts (Hong Kong time)"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends (Hong Kong time)"), widget=DateTimeInput())
    due_on = forms.DateField(label=_("Complete by"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.CharField(label=_("Online link"), max_length=500, required=False)
    trainer = forms.ChoiceField(label=_("Trainer"), required=False)
    audience_all = forms.BooleanField(label=_("Everyone must attend"), required=False)
    departments = forms.MultipleChoiceField(
        label=_("Or these departments (with the departments inside them)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    extra_aliases = {"department_ids": "departments", "trainer_id": "trainer"}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "starts_at": in_hong_kong(data["starts_at"]),
            "ends_at": in_hong_kong(data["ends_at"]),
            "due_on": data["due_on"],
            "place": data["place"],
            "online_link": data["online_link"],
            "trainer_id": data["trainer"] or None,
            "audience_all": data["audience_all"],
            "department_ids": data["departments"],
        }


class QuizForm(ActionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"))
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"), help_text=_("From 1 to %(n)d.") % {"n": MAX_ATTEMPTS_LIMIT}
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "mono"}),
        help_text=_(
            "One question per line, followed by its options: start a correct option with * and a wrong one "
            "with -. A question may have several correct options; the member must tick exactly those."
        ),
    )
    extra_aliases = {"quiz_title": "title"}


class AttendanceForm(ActionForm):
    members = forms.MultipleChoiceField(
        label=_("Members"), error_messages={"required": _("tick at least one member")}
    )
    status = forms.ChoiceField(
        label=_("Mark as"), choices=[("attended", _("Attended")), ("absent", _("Absent"))]
    )
    extra_aliases = {"member_ids": "members"}

    def __init__(self, *args: Any, member_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(i, i) for i in member_ids]  # type: ignore[attr-defined]


class CheckInForm(ActionForm):
    code = forms.CharField(label=_("Check-in code"), max_length=12)
