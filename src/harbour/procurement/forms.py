"""Console forms of procurement: they parse what a person typed; the actions decide what is allowed. A
refused action's field (API style, e.g. ``contacts[1].email``) is put back next to the matching control."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.errors import HarbourError
from harbour.directory.forms import ActionForm, DateInput
from harbour.plans.models import Plan, Term
from harbour.plans.pricing import MAX_SEATS
from harbour.procurement.actions.resellers import EDITABLE as RESELLER_FIELDS
from harbour.procurement.models import AnswerLanguage, Capacity, Decision, Quote, Reseller
from harbour.procurement.validation import MAX_CONTACTS

_CONTACT_FIELD = re.compile(r"^contacts\[(\d+)\](?:\.(\w+))?$")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# ---------------------------------------------------------------------------------------------- resellers
class ResellerForm(ActionForm):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("As the reseller calls itself."))
    registered_name = forms.CharField(
        label=_("Registered company name"),
        max_length=200,
        required=False,
        help_text=_("As on its Business Registration: invoices must be issued under this name."),
    )
    br_number = forms.CharField(
        label=_("Business Registration number"),
        max_length=20,
        required=False,
        help_text=_("8 digits, optionally followed by -xxx-xx-xx-x."),
    )
    hk_address = forms.CharField(
        label=_("Hong Kong contact address"),
        required=False,
        widget=_text_area(),
        help_text=_("No local address is a red flag."),
    )
    certificate_number = forms.CharField(
        label=_("Authorisation certificate number"),
        max_length=80,
        required=False,
        help_text=_("The unique code of Alibaba's authorisation letter. Changing it voids the verification."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text_area())

    @classmethod
    def initial_for(cls, reseller: Reseller) -> dict[str, Any]:
        return {name: getattr(reseller, name) for name in RESELLER_FIELDS if name != "contacts"}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any((data.get(k) or "").strip() for k in ("name", "email", "phone"))


ContactFormSet = forms.formset_factory(ContactForm, extra=2, max_num=MAX_CONTACTS, absolute_max=MAX_CONTACTS)


def contacts_of(formset: Any) -> list[dict[str, str]]:
    """The filled rows, in order; blank rows are how a contact is removed (or not added)."""
    return [
        {k: (form.cleaned_data.get(k) or "").strip() for k in ("name", "email", "phone")}
        for form in formset.forms
        if not form.is_blank()
    ]


def add_reseller_error(form: ResellerForm, formset: Any, exc: HarbourError) -> None:
    """``contacts[i].field`` lands on the i-th filled contact row; other fields on the form."""
    match = _CONTACT_FIELD.match(exc.field or "")
    if match is None:
        form.add_domain_error(exc)
        return
    filled = [f for f in formset.forms if not f.is_blank()]
    index, name = int(match.group(1)), match.group(2)
    if index < len(filled):
        filled[index].add_error(name if name in ContactForm.base_fields else None, exc.message)
    else:
        form.add_error(None, exc.message)


class VerificationForm(ActionForm):
    note = forms.CharField(
        label=_("How was it verified?"),
        widget=_text_area(4),
        max_length=2000,
        help_text=_("E.g. DingTalk customer service channel, case reference, date and answer."),
    )


class SlaForm(ActionForm):
    document = forms.FileField(
        label=_("Signed SLA (PDF, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())

    def __init__(self, *args: Any, has_document: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].required = not has_document
        if has_document:
            self.fields["document"].help_text = _("Leave empty to keep the document on file.")


# ------------------------------------------------------------------------------------------ partner lists
class PartnerListImportForm(ActionForm):
    extra_aliases: ClassVar[dict[str, str]] = {"csv": "file", "rows": "file"}

    published_on = forms.DateField(
        label=_("Published by DingTalk on"),
        widget=DateInput(),
        help_text=_("The list is updated quarterly; a list older than three months fails the checklist."),
    )
    file = forms.FileField(
        label=_("Partner list (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": "text/csv,.csv"}),
        help_text=_("A header row with a name column; br_number and region are optional."),
    )


# ------------------------------------------------------------------------------------------------ quotes
class QuoteForm(ActionForm):
    extra_aliases: ClassVar[dict[str, str]] = {"reseller_id": "reseller"}

    reseller = forms.ChoiceField(label=_("Reseller"))
    reference = forms.CharField(label=_("Quote reference"), max_length=80, required=False)
    plan = forms.ChoiceField(label=_("Plan"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS)
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices, initial=Term.ANNUAL)
    unit_price = forms.DecimalField(
        label=_("Quoted price per seat per month (HKD)"),
        decimal_places=2,
        max_digits=10,
        help_text=_("More than 30% below the catalogue price is a red flag."),
    )
    invoice_issuer = forms.CharField(
        label=_("Invoice issuer"),
        max_length=200,
        required=False,
        help_text=_("The company named as issuer on the invoice."),
    )
    payer_name = forms.CharField(
        label=_("Payer"),
        max_length=200,
        required=False,
        help_text=_("The company named as payer: it must be your company's registered name."),
    )

    def __init__(self, *args: Any, resellers: list[Reseller], plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reseller"].choices = [(str(r.pk), r.name) for r in resellers]  # type: ignore[attr-defined]
        self.fields["plan"].choices = [  # type: ignore[attr-defined]
            (
                p.code,
                p.display_name
                if p.price_per_seat_month is None
                else f"{p.display_name} (HK${p.price_per_seat_month})",
            )
            for p in plans
        ]

    @classmethod
    def initial_for(cls, quote: Quote) -> dict[str, Any]:
        return {
            "reseller": str(quote.reseller_id),
            "reference": quote.reference,
            "plan": quote.plan.code,
            "seats": quote.seats,
            "term": quote.term,
            "unit_price": quote.unit_price,
            "invoice_issuer": quote.invoice_issuer,
            "payer_name": quote.payer_name,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "seats": data["seats"],
            "term": data["term"],
            "unit_price": Decimal(data["unit_price"]),
            "reference": data["reference"],
            "invoice_issuer": data["invoice_issuer"],
            "payer_name": data["payer_name"],
        }


class SupportTestForm(ActionForm):
    query_sent_at = forms.DateTimeField(
        label=_("Test query sent at (Hong Kong time)"), widget=DateTimeInput()
    )
    first_answer_at = forms.DateTimeField(
        label=_("First answer at (Hong Kong time)"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Leave empty if no answer came."),
    )
    answer_language = forms.ChoiceField(
        label=_("Language of the answer"),
        choices=[("", _("— no answer —")), *AnswerLanguage.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=_text_area(),
        help_text=_("The question asked, and whether they offered to escalate to DingTalk's engineers."),
    )


class VerdictForm(ActionForm):
    decision = forms.ChoiceField(label=_("Verdict"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=_text_area(5), max_length=4000)


class SignOffForm(ActionForm):
    capacity = forms.ChoiceField(choices=Capacity.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
