"""Console forms of access reviews. Dates are Hong Kong days: a campaign is due at the day's last minute;
it opens and escalates at 09:00 of the day chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.time import HONG_KONG
from harbour.directory.forms import ActionForm, DateInput
from harbour.reviews.actions import COMMENT_MAX, MAX_DAYS_OPEN

MORNING = dt.time(9, 0)
Choices = list[tuple[str, str]]


def at_morning(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, MORNING, tzinfo=HONG_KONG) if day else None


class _RoleChoices(ActionForm):
    def __init__(self, *args: Any, roles: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = roles  # type: ignore[attr-defined]


class CampaignForm(_RoleChoices):
    name = forms.CharField(label=_("Name"), max_length=120)
    roles = forms.MultipleChoiceField(
        label=_("Roles under review"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone holding one of these roles when the review opens is reviewed."),
    )
    due_date = forms.DateField(label=_("Due on"), widget=DateInput())
    escalate_on = forms.DateField(
        label=_("Escalate unanswered items on"),
        widget=DateInput(),
        required=False,
        help_text=_("By default a week before the due date (halfway for short reviews)."),
    )
    opens_on = forms.DateField(
        label=_("Open automatically on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty to open it yourself."),
    )
    extra_aliases = {
        "role_ids": "roles",
        "due_at": "due_date",
        "escalate_at": "escalate_on",
        "opens_at": "opens_on",
    }


class ScheduleForm(_RoleChoices):
    quarterly = forms.BooleanField(
        label=_("Open an access review at the start of every quarter (Hong Kong time)"), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles under review"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the Administrator and Department Manager roles."),
    )
    days_open = forms.IntegerField(label=_("Days to answer"), min_value=2, max_value=MAX_DAYS_OPEN)
    escalate_after_days = forms.IntegerField(label=_("Escalate after (days)"), min_value=1)
    extra_aliases = {"role_ids": "roles"}


class CertifyForm(ActionForm):
    comment = forms.CharField(label=_("Comment"), max_length=COMMENT_MAX, required=False)


class RevokeForm(ActionForm):
    comment = forms.CharField(
        label=_("Why the access goes"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the review's evidence and the operation log."),
    )


class BulkCertifyForm(ActionForm):
    items = forms.MultipleChoiceField(
        label=_("Items"), error_messages={"required": _("tick at least one item")}
    )
    comment = forms.CharField(label=_("Comment"), max_length=COMMENT_MAX, required=False)
    extra_aliases = {"item_ids": "items"}

    def __init__(self, *args: Any, item_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i, i) for i in item_ids]  # type: ignore[attr-defined]


class ConfirmForm(ActionForm):
    """Nothing to fill in: the button is the confirmation."""
