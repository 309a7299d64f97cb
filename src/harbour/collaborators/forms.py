"""Console forms of temporary collaborators: they parse what a person typed; the actions decide."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.time import HONG_KONG
from harbour.directory.forms import ActionForm, Choices


class RequestForm(ActionForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they will work on with you; the approver reads it."),
    )
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        help_text=_("Its managers approve; without one, the administrators do."),
    )
    days = forms.IntegerField(label=_("Days of access"), min_value=1)

    extra_aliases: ClassVar[dict[str, str]] = {"department_id": "department"}

    def __init__(self, *args: Any, departments: Choices, max_days: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None: the administrators approve")), *departments]
        if max_days is not None:
            self.fields["days"].help_text = _("At most %(n)d days; access ends on its own then.") % {
                "n": max_days
            }
            self.fields["days"].widget.attrs["max"] = max_days


class ApproveForm(ActionForm):
    days = forms.IntegerField(
        label=_("Days of access"), min_value=1, required=False, help_text=_("As asked, or fewer.")
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.TextInput())


class EndForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (kept in the operation log)"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(),
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ExtensionForm(ActionForm):
    ends_at = forms.DateTimeField(
        label=_("New end (Hong Kong time)"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(label=_("Why more time"), max_length=2000, widget=forms.TextInput())

    def clean_ends_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["ends_at"]
        if value.tzinfo is None:
            value = value.replace(tzinfo=HONG_KONG)
        return value.astimezone(HONG_KONG)
