"""Console forms of retention: they parse what a person typed; the actions decide."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm, Choices, DateInput


class ScheduleForm(ActionForm):
    days = forms.IntegerField(label=_("Retention period (days)"), min_value=1)
    enabled = forms.BooleanField(label=_("Enforced by the erasure job"), required=False)


class HoldForm(ActionForm):
    scope = forms.ChoiceField(label=_("What to hold"))
    member = forms.CharField(
        label=_("Member (for a hold on one person)"),
        required=False,
        help_text=_("Email address or employee number."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The legal or contractual ground, e.g. the claim or investigation it is kept for."),
    )
    ends_on = forms.DateField(label=_("Ends on (optional)"), required=False, widget=DateInput())

    extra_aliases: ClassVar[dict[str, str]] = {"member_id": "member", "category": "scope"}

    MEMBER = "member"

    def __init__(self, *args: Any, categories: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(self.MEMBER, _("One member's records")), *categories]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == self.MEMBER and not (data.get("member") or "").strip():
            self.add_error("member", _("Name the member to hold."))
        return data


class LiftForm(ActionForm):
    reason = forms.CharField(
        label=_("Why the hold ends"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the hold and in the operation log."),
    )


class RunForm(ActionForm):
    """Nothing to fill in: the button is the confirmation."""
