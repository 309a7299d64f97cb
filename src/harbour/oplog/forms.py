"""Console forms of the operation log: the search filters, and the retention / legal-hold settings."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import KINDS
from harbour.audit.models import AuditPolicy
from harbour.audit.retention import MAXIMUM_DAYS
from harbour.directory.forms import ActionForm, DateInput, department_choices
from harbour.directory.models import Department


class LogSearchForm(ActionForm):
    person = forms.EmailField(label=_("Person (work email)"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    kind = forms.ChoiceField(label=_("What happened"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    extra_aliases: ClassVar[dict[str, str]] = {"person_id": "person", "department_id": "department"}

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", _("All departments")),
            *department_choices(departments),
        ]
        families = sorted({name.split(".")[0] + "." for name in KINDS})
        self.fields["kind"].choices = (  # type: ignore[attr-defined]
            [("", _("Anything"))]
            + [(family, _("All of %(family)s*") % {"family": family}) for family in families]
            + [(name, f"{kind.description} ({name})") for name, kind in sorted(KINDS.items())]
        )


class PolicyForm(ActionForm):
    retention_days = forms.IntegerField(
        label=_("Keep entries for (days)"),
        min_value=AuditPolicy.MINIMUM_DAYS,
        max_value=MAXIMUM_DAYS,
        help_text=_("At least 90 days. Older entries are removed every night, unless a legal hold is on."),
    )
    legal_hold = forms.BooleanField(label=_("Legal hold: keep everything, remove nothing"), required=False)
    legal_hold_reason = forms.CharField(
        label=_("Reason for the legal hold"),
        max_length=300,
        required=False,
        help_text=_("The matter or request."),
    )
