"""Console forms of plans: choose plan/seats/term, price a purchase, edit a catalogue tier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.core.entitlements import Feature, Quota
from harbour.directory.forms import ActionForm
from harbour.plans.models import Plan, Term
from harbour.plans.pricing import MAX_SEATS


def _plan_choices(plans: list[Plan]) -> list[tuple[str, str]]:
    return [(p.code, p.display_name) for p in plans]


class PlanForm(ActionForm):
    """Domain errors name API fields (``plan``, ``seats``…), which are this form's field names too."""


class PlanChangeForm(PlanForm):
    plan = forms.ChoiceField(label=_("Plan"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS)
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    unit_price = forms.DecimalField(
        label=_("Negotiated price per seat per month (HKD)"),
        required=False,
        min_value=Decimal("0"),
        decimal_places=2,
        help_text=_("Platform operator only; leave empty for the catalogue price."),
    )

    def __init__(self, *args: Any, plans: list[Plan], operator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = _plan_choices(plans)  # type: ignore[attr-defined]
        if not operator:
            del self.fields["unit_price"]


class PriceForm(PlanForm):
    plan = forms.ChoiceField(label=_("Plan"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS, initial=50)
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices, initial=Term.ANNUAL)
    unit_price = forms.DecimalField(
        label=_("Quoted price per seat per month (HKD)"),
        required=False,
        min_value=Decimal("0"),
        decimal_places=2,
        help_text=_("Leave empty for the catalogue price; needed for a plan priced by contract."),
    )
    discount_percent = forms.DecimalField(
        label=_("Annual discount (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        help_text=_("Annual terms only. Leave empty for the plan's own discount."),
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = _plan_choices(plans)  # type: ignore[attr-defined]


class CataloguePlanForm(PlanForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=40, required=False)
    price_per_seat_month = forms.DecimalField(
        label=_("Price per seat per month (HKD)"),
        required=False,
        min_value=Decimal("0"),
        decimal_places=2,
        help_text=_("Empty: priced by contract."),
    )
    annual_discount_percent = forms.DecimalField(
        label=_("Annual discount (%)"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    is_available = forms.BooleanField(label=_("Offered to companies"), required=False)
    features = forms.MultipleChoiceField(
        label=_("Features"), choices=Feature.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for quota in Quota:
            self.fields[f"quota_{quota.value}"] = forms.IntegerField(
                label=quota.label, required=False, min_value=0, help_text=_("Empty: unlimited.")
            )

    @classmethod
    def initial_for(cls, plan: Plan) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": plan.name,
            "name_zh": plan.name_zh,
            "price_per_seat_month": plan.price_per_seat_month,
            "annual_discount_percent": plan.annual_discount_percent,
            "summary": plan.summary,
            "is_available": plan.is_available,
            "features": list(plan.features),
        }
        for quota in Quota:
            initial[f"quota_{quota.value}"] = plan.quotas.get(quota.value)
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        quotas = {q.value: data[f"quota_{q.value}"] for q in Quota}
        return {
            "name": data["name"],
            "name_zh": data["name_zh"],
            "price_per_seat_month": data["price_per_seat_month"],
            "annual_discount_percent": data["annual_discount_percent"],
            "summary": data["summary"],
            "is_available": data["is_available"],
            "features": list(data["features"]),
            "quotas": quotas,
        }
