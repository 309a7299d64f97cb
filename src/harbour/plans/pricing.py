"""The cost calculator: seats × unit price × months, less an optional annual discount, in HKD."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid
from harbour.plans.models import Plan, Term

CENT = Decimal("0.01")
MAX_SEATS = 1_000_000
MONTHS: dict[str, int] = {Term.MONTHLY.value: 1, Term.ANNUAL.value: 12}


@dataclass(frozen=True)
class Price:
    plan: Plan
    seats: int
    term: str
    unit_price: Decimal  # HKD per seat per month
    months: int
    list_total: Decimal
    discount_percent: Decimal
    discount: Decimal
    total: Decimal

    @property
    def per_month(self) -> Decimal:
        return (self.total / self.months).quantize(CENT, ROUND_HALF_UP)


def clean_seats(seats: int) -> int:
    if not 1 <= seats <= MAX_SEATS:
        raise Invalid(_("seats must be between 1 and %(max)d") % {"max": MAX_SEATS}, field="seats")
    return seats


def clean_term(term: str) -> str:
    if term not in MONTHS:
        raise Invalid(_("the term is monthly or annual"), field="term")
    return term


MAX_UNIT_PRICE = Decimal("99999999.99")


def clean_unit_price(value: Decimal) -> Decimal:
    """HKD per seat per month: dollars and cents, not negative."""
    if not value.is_finite() or not Decimal("0") <= value <= MAX_UNIT_PRICE or value != value.quantize(CENT):
        raise Invalid(
            _("the price is an amount in dollars and cents between 0 and %(max)s") % {"max": MAX_UNIT_PRICE},
            field="unit_price",
        )
    return value.quantize(CENT)


def price_of(
    plan: Plan,
    seats: int,
    term: str,
    *,
    unit_price: Decimal | None = None,
    discount_percent: Decimal | None = None,
) -> Price:
    """Price a purchase. A plan priced by contract (Premium) needs the agreed ``unit_price``; the annual
    discount defaults to the plan's and applies only to annual terms."""
    clean_seats(seats)
    clean_term(term)
    if unit_price is None:
        if plan.price_per_seat_month is None:
            raise Invalid(
                _("%(plan)s is priced by contract: enter the agreed price per seat per month")
                % {"plan": plan.display_name},
                field="unit_price",
            )
        unit_price = plan.price_per_seat_month
    unit_price = clean_unit_price(unit_price)
    if discount_percent is None:
        discount_percent = plan.annual_discount_percent if term == Term.ANNUAL else Decimal("0")
    if not discount_percent.is_finite() or not Decimal("0") <= discount_percent <= Decimal("100"):
        raise Invalid(_("the discount is between 0 and 100 per cent"), field="discount_percent")
    if discount_percent and term != Term.ANNUAL:
        raise Invalid(_("a discount applies only to an annual term"), field="discount_percent")
    months = MONTHS[term]
    list_total = (unit_price * seats * months).quantize(CENT, ROUND_HALF_UP)
    discount = (list_total * discount_percent / 100).quantize(CENT, ROUND_HALF_UP)
    return Price(
        plan=plan,
        seats=seats,
        term=term,
        unit_price=unit_price,
        months=months,
        list_total=list_total,
        discount_percent=discount_percent,
        discount=discount,
        total=list_total - discount,
    )
