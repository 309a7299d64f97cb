"""Console forms of the compliance dashboard: record an attestation, withdraw one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.compliance.actions import EVIDENCE_REF_MAX, REASON_MAX
from harbour.compliance.catalogue import RULES
from harbour.compliance.models import AttestedStatus
from harbour.directory.forms import ActionForm, DateInput


class AttestationForm(ActionForm):
    rule_id = forms.ChoiceField(label=_("Rule"))
    status = forms.ChoiceField(label=_("The rule is"), choices=AttestedStatus.choices)
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the report beside the status Harbour computes; a computed gap stays a gap."),
    )
    evidence_ref = forms.CharField(
        label=_("Evidence reference"),
        max_length=EVIDENCE_REF_MAX,
        required=False,
        help_text=_("Where an auditor finds the proof, e.g. a document number or file location."),
    )
    review_by = forms.DateField(label=_("Review by"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_id"].choices = [  # type: ignore[attr-defined]
            (rule.id, f"{rule.id} — {rule.title}") for rule in RULES
        ]


class WithdrawForm(ActionForm):
    reason = forms.CharField(
        label=_("Why the statement no longer holds"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
