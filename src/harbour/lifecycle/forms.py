"""Console form of an HR file import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm


class ImportForm(ActionForm):
    file = forms.FileField(label=_("HR export (CSV or XLSX)"))
    full_export = forms.BooleanField(
        label=_("The file lists the whole workforce: anyone not in it is a leaver"), required=False
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
