"""Console forms of the PDPO register. Field names are the actions' field names, so a refused save puts
its message next to the field; lists are typed one entry per line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm, DateInput
from harbour.pdpo.models import (
    CITY_CHOICES,
    Channel,
    ClauseSet,
    ConsentAction,
    ConsentChannel,
    DingTalkEntity,
    Feature,
    NoticeKind,
    Origin,
    Risk,
    Sensitivity,
    VendorRole,
)

Choices = list[tuple[str, str]]


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _lines(label: Any, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, widget=_area(3), required=required, help_text=help_text or _("One per line.")
    )


def _answer(label: Any, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, widget=_area(4), required=required, help_text=help_text)


def _yes(label: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class SystemForm(ActionForm):
    name = forms.CharField(label=_("System"), max_length=120)
    description = forms.CharField(label=_("What it is used for"), max_length=500, required=False)
    kind_of_data = _answer(_("(a) Kind of data and the harm if it were misused"), required=False)
    storage_location = _answer(_("(b) Physical location where the data is stored"), required=False)
    equipment_security = _answer(_("(c) Security measures of the equipment"), required=False)
    staff_integrity = _answer(
        _("(d) Integrity, prudence and competence of staff with access"), required=False
    )
    secure_transmission = _answer(_("(e) How the data is transmitted securely"), required=False)


class CategoryForm(ActionForm):
    name = forms.CharField(label=_("Data category"), max_length=120)
    data_fields = _lines(_("Data fields"), required=True)
    purposes = _lines(_("Purposes"), _("At least one, one per line."), required=True)
    channel = forms.ChoiceField(label=_("Collected through"), choices=Channel.choices)
    obligatory = _yes(_("Obligatory to supply (untick when voluntary)"))
    system_ids = forms.MultipleChoiceField(
        label=_("Systems holding it"), widget=forms.CheckboxSelectMultiple, required=False
    )
    storage_location = forms.CharField(label=_("Storage location"), max_length=200)
    transferees = _lines(_("Classes of transferees"), _("Who it is passed to, one class per line."))
    origin = forms.ChoiceField(label=_("Collected in"), choices=Origin.choices)
    sensitivity = forms.ChoiceField(label=_("Sensitivity"), choices=Sensitivity.choices)

    def __init__(self, *args: Any, systems: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system_ids"].choices = systems  # type: ignore[attr-defined]


class NoticeForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body_en = forms.CharField(label=_("Text (English, Markdown)"), widget=_area(10))
    body_zh = forms.CharField(label=_("Text (Traditional Chinese, Markdown)"), widget=_area(10))


class ShownForm(ActionForm):
    member_id = forms.ChoiceField(label=_("Member"), required=False)
    person_name = forms.CharField(
        label=_("Or a person outside Harbour"),
        max_length=120,
        required=False,
        help_text=_("e.g. a job applicant"),
    )
    person_email = forms.CharField(label=_("Their email"), max_length=254, required=False)
    how = forms.CharField(label=_("How it was shown"), max_length=200, required=False)

    def __init__(self, *args: Any, members: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_id"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class ConsentForm(ActionForm):
    member_id = forms.ChoiceField(label=_("Member"), required=False)
    person_name = forms.CharField(label=_("Or a person outside Harbour"), max_length=120, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    action = forms.ChoiceField(label=_("Granted or withdrawn"), choices=ConsentAction.choices)
    channel = forms.ChoiceField(
        label=_("How it was expressly given or withdrawn"), choices=ConsentChannel.choices
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, members: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_id"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class TiaForm(ActionForm):
    title = forms.CharField(label=_("Transfer"), max_length=200)
    processing_purpose = _answer(
        _("1. Purpose, scope and method of processing by both parties: lawful, legitimate, necessary?")
    )
    data_scale = _answer(_("2. Scale, scope, categories and sensitivity of the data; risk to individuals"))
    recipient_capacity = _answer(_("3. Recipient's undertakings and capacity to keep the data secure"))
    post_transfer_risk = _answer(
        _("4. Risk of tampering, destruction, leakage, loss or misuse after transfer; redress channels")
    )
    destination_law = _answer(
        _("5. Effect of the destination's laws (government access, DSL/PIPL); onward transfers")
    )
    other_factors = _answer(_("6. Anything else affecting security"))
    risk = forms.ChoiceField(label=_("Risk rating"), choices=Risk.choices)
    clause_set = forms.ChoiceField(label=_("Model clause set (RMC 2022)"), choices=ClauseSet.choices)
    clause_reporting = _yes(_("Reporting clause"))
    clause_audit = _yes(_("Audit and inspection clause"))
    clause_breach_notice = _yes(_("Breach notification clause"))
    clause_cooperation = _yes(_("Compliance cooperation clause"))
    data_flow = _answer(_("Data flow"), help_text=_("Where the data goes, step by step."))
    vendor_entity = forms.CharField(label=_("Vendor entity"), max_length=200)
    vendor_region = forms.CharField(label=_("Vendor region"), max_length=120)
    review_on = forms.DateField(label=_("Review by"), widget=DateInput())


class ApproveForm(ActionForm):
    approved_on = forms.DateField(
        label=_("Approval date"), widget=DateInput(), required=False, help_text=_("Today when empty.")
    )


class GbaForm(ActionForm):
    counterparty = forms.CharField(label=_("Other party"), max_length=200)
    our_city = forms.ChoiceField(label=_("Our registered city"), choices=CITY_CHOICES)
    counterparty_city = forms.ChoiceField(label=_("Other party's registered city"), choices=CITY_CHOICES)
    counterparty_city_note = forms.CharField(label=_("City, when elsewhere"), max_length=200, required=False)
    onward_outside_gba = _yes(_("Data goes on to somewhere outside the Greater Bay Area"))
    effective_on = forms.DateField(label=_("Took effect on"), widget=DateInput(), required=False)
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), widget=_area(3), required=False)


class ProcessorForm(ActionForm):
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=VendorRole.choices)
    contract_id = forms.CharField(label=_("Contract id"), max_length=120, required=False)
    clause_retention = _yes(_("Retention period limit"))
    clause_return_delete = _yes(_("Return or delete the data on termination"))
    clause_security = _yes(_("Security measures"))
    clause_breach_notice = _yes(_("Breach notification"))
    clause_audit = _yes(_("Audit rights"))
    clause_subprocessors = _yes(_("Limits on sub-processors"))
    evidence = forms.CharField(label=_("Evidence"), widget=_area(3), required=False)


class MonitoringForm(ActionForm):
    feature = forms.ChoiceField(label=_("Monitoring feature"), choices=Feature.choices)
    feature_note = forms.CharField(label=_("Which feature, when other"), max_length=200, required=False)
    assessment = _answer(_("Assessment: the business risk it addresses, and is it proportionate?"))
    alternatives = _answer(_("Alternatives: is there a less intrusive way?"))
    accountability = _answer(_("Accountability: who answers for the monitoring and the data?"))
    clarity = _answer(_("Clarity: the written monitoring policy"), required=False)
    communication = _answer(_("Communication: how staff are told, before it starts"), required=False)
    control = _answer(_("Control: use, retention, erasure and access to the data"), required=False)
    covert = _yes(_("Covert monitoring"))
    covert_justification = _answer(
        _("Why covert (suspected unlawful activity, no alternative)"), required=False
    )
    covert_until = forms.DateField(label=_("Covert monitoring ends on"), widget=DateInput(), required=False)
    covert_approver_id = forms.ChoiceField(label=_("Approver of covert monitoring"), required=False)
    opt_in = _yes(_("Only staff who opt in (biometric)"))
    alternative_method = forms.CharField(
        label=_("Alternative method (biometric)"),
        max_length=200,
        required=False,
        help_text=_("e.g. card or PIN"),
    )

    def __init__(self, *args: Any, members: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covert_approver_id"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class LocationForm(ActionForm):
    registration_location = forms.CharField(
        label=_("Where the company's account is registered"), max_length=200
    )
    storage_regions = _lines(_("Storage nodes and regions"), required=True)
    third_party_access = forms.CharField(
        label=_("Third parties with access"), widget=_area(3), required=False
    )
    dingtalk_entity = forms.ChoiceField(
        label=_("DingTalk contracting entity"), choices=DingTalkEntity.choices
    )
    entity_note = forms.CharField(label=_("Note on the entity"), widget=_area(3), required=False)
    data_region = forms.CharField(label=_("DingTalk data region"), max_length=120, required=False)
