"""The cost calculator: seats × plan × term, annual discount, HKD to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harbour.core.errors import Invalid
from harbour.plans.pricing import price_of
from harbour.plans.queries import get_plan
from tests.api.helpers import ApiClient, assert_problem, body


def test_annual_professional_with_a_discount(db: None) -> None:
    price = price_of(get_plan("professional"), 25, "annual", discount_percent=Decimal("10"))
    assert (price.list_total, price.discount, price.total) == (
        Decimal("24000.00"),
        Decimal("2400.00"),
        Decimal("21600.00"),
    )
    assert price.per_month == Decimal("1800.00")


def test_monthly_basic_at_list_price(db: None) -> None:
    price = price_of(get_plan("basic"), 7, "monthly")
    assert price.total == Decimal("245.00") and price.months == 1 and price.discount == 0


def test_rounding_is_to_the_cent_half_up(db: None) -> None:
    price = price_of(
        get_plan("basic"), 3, "annual", unit_price=Decimal("33.33"), discount_percent=Decimal("12.5")
    )
    assert price.list_total == Decimal("1199.88")
    assert price.discount == Decimal("149.99")  # 149.985 rounds up
    assert price.total == Decimal("1049.89")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"plan": "premium", "seats": 10, "term": "annual"}, "unit_price"),
        (
            {"plan": "basic", "seats": 10, "term": "monthly", "discount_percent": Decimal("5")},
            "discount_percent",
        ),
        (
            {"plan": "basic", "seats": 10, "term": "annual", "discount_percent": Decimal("101")},
            "discount_percent",
        ),
        ({"plan": "basic", "seats": 0, "term": "annual"}, "seats"),
        ({"plan": "basic", "seats": 10, "term": "annual", "unit_price": Decimal("-1")}, "unit_price"),
        ({"plan": "basic", "seats": 10, "term": "annual", "unit_price": Decimal("1.005")}, "unit_price"),
        ({"plan": "basic", "seats": 10, "term": "annual", "unit_price": Decimal("NaN")}, "unit_price"),
    ],
)
def test_bad_input_names_the_field(db: None, kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    plan = get_plan(kwargs.pop("plan"))
    with pytest.raises(Invalid) as caught:
        price_of(plan, kwargs.pop("seats"), kwargs.pop("term"), **kwargs)
    assert caught.value.field == field


def test_calculator_through_the_api(admin_api: ApiClient) -> None:
    price = body(
        admin_api.post(
            "/pricing", {"plan": "premium", "seats": 300, "term": "annual", "unit_price": "120.00"}
        )
    )
    assert price["total"] == "432000.00" and price["currency"] == "HKD"
    assert_problem(
        admin_api.post("/pricing", {"plan": "premium", "seats": 300, "term": "annual"}), 422, "unit_price"
    )
