"""Console forms of policies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm
from harbour.policies.actions import BODY_MAX, NAME_MAX, SUMMARY_MAX, TITLE_MAX
from harbour.policies.models import (
    DEFAULT_DEADLINE_DAYS,
    MAX_DEADLINE_DAYS,
    MIN_DEADLINE_DAYS,
    PolicyKind,
)

Choices = list[tuple[str, str]]


class DocumentForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)


class VersionForm(ActionForm):
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX, required=False)
    title_zh = forms.CharField(label=_("Title (Traditional Chinese)"), max_length=TITLE_MAX, required=False)
    body_en = forms.CharField(
        label=_("Text (English, Markdown)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    body_zh = forms.CharField(
        label=_("Text (Traditional Chinese, Markdown)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    change_summary = forms.CharField(
        label=_("What changed"),
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Members see it with the request to acknowledge."),
    )


class PublishForm(ActionForm):
    scope_all = forms.BooleanField(
        label=_("Everyone in the company"),
        required=False,
        initial=True,
        help_text=_("Otherwise only the departments ticked below, with their sub-departments."),
    )
    departments = forms.MultipleChoiceField(
        label=_("Departments"), widget=forms.CheckboxSelectMultiple, required=False
    )
    deadline_days = forms.IntegerField(
        label=_("Days to acknowledge"),
        min_value=MIN_DEADLINE_DAYS,
        max_value=MAX_DEADLINE_DAYS,
        initial=DEFAULT_DEADLINE_DAYS,
        help_text=_("Counted from publication; for people who join the scope later, from when they join."),
    )
    extra_aliases = {"department_ids": "departments"}

    def __init__(self, *args: Any, departments: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]


class ConfirmForm(ActionForm):
    """Nothing to fill in: the button is the confirmation."""


class OutstandingFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, departments: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *departments]  # type: ignore[attr-defined]
