"""Console forms of announcements. A draft may leave parts empty; the send and schedule actions refuse until
every part is filled in. Scheduled times are Hong Kong times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.announcements.actions import TEXT_MAX, TITLE_MAX
from harbour.announcements.models import Audience, Language
from harbour.core.time import HONG_KONG
from harbour.directory.forms import ActionForm, DateInput

Choices = list[tuple[str, str]]


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class AnnouncementForm(ActionForm):
    title = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX)
    title_zh = forms.CharField(label=_("Title (Traditional Chinese)"), max_length=TITLE_MAX, required=False)
    background_en = _text(_("Background (English)"), _("Why the rule or change is needed."))
    background_zh = _text(_("Background (Traditional Chinese)"))
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput(), required=False)
    consequences_en = _text(_("Consequences of violation (English)"))
    consequences_zh = _text(_("Consequences of violation (Traditional Chinese)"))
    it_contact_en = _text(
        _("IT support contact (English)"), _("Who to ask, and how: name, extension, email.")
    )
    it_contact_zh = _text(_("IT support contact (Traditional Chinese)"))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, widget=forms.RadioSelect)
    departments = forms.MultipleChoiceField(
        label=_("Departments"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("With the chosen audience: members of these departments and all departments under them."),
    )
    extra_aliases = {"department_ids": "departments"}

    def __init__(self, *args: Any, departments: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["department_ids"] = data.pop("departments")
        return data


class ScheduleForm(ActionForm):
    day = forms.DateField(label=_("Send on"), widget=DateInput())
    time = forms.TimeField(
        label=_("At (Hong Kong time)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    extra_aliases = {"scheduled_for": "day"}

    def at(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=HONG_KONG)


class LanguageForm(ActionForm):
    language = forms.ChoiceField(
        label=_("Send me announcements in"), choices=Language.choices, widget=forms.RadioSelect
    )


class ConfirmForm(ActionForm):
    """Nothing to fill in: the button is the confirmation."""
