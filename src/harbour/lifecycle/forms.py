"""Console forms of account lifecycle: an HR file import, a role rule, a decision on a disputed record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm, Choices


class ImportForm(ActionForm):
    file = forms.FileField(label=_("HR export (CSV or XLSX)"))
    full_export = forms.BooleanField(
        label=_("The file lists the whole workforce: anyone not in it is a leaver"), required=False
    )
    reconcile = forms.BooleanField(
        label=_("Compare every record with its account (reconciliation)"),
        required=False,
        help_text=_(
            "Without it, records HR has not changed since the last import are not compared again, so "
            "changes made in Harbour meanwhile stay as they are."
        ),
    )
    mapping = forms.CharField(
        label=_("Column names, if the usual ones are not found"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: field=Header, e.g. employee_number=Personnel no."),
    )

    def clean_mapping(self) -> dict[str, str]:
        text: str = self.cleaned_data.get("mapping", "")
        mapping: dict[str, str] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            name, sep, header = line.partition("=")
            if not sep or not name.strip() or not header.strip():
                raise forms.ValidationError(_("write each line as field=Header"))
            mapping[name.strip()] = header.strip()
        return mapping


class RoleRuleForm(ActionForm):
    """Department and/or title → role. Choices are the company's own departments and roles."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    include_subdepartments = forms.BooleanField(
        label=_("Also the departments inside it"), required=False, initial=True
    )
    title_contains = forms.CharField(
        label=_("Title contains"),
        required=False,
        max_length=120,
        help_text=_("Case does not matter; leave empty for any title."),
    )
    role = forms.ChoiceField(label=_("Role given"))

    def __init__(self, *args: Any, departments: Choices, roles: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department, role = self.fields["department"], self.fields["role"]
        assert isinstance(department, forms.ChoiceField) and isinstance(role, forms.ChoiceField)
        department.choices = [("", _("Any department")), *departments]
        role.choices = roles


class DisputeForm(ActionForm):
    """Which account a disputed record belongs to: one of the candidates, or none here."""

    member = forms.UUIDField(required=False)
