"""GBA standard contracts (XB-GBA): eligibility from both parties' cities, the 10-working-day filing
deadline across Hong Kong holidays and weekends, filing and overdue flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from harbour.pdpo.models import GbaContract
from harbour.pdpo.working_days import add_working_days, gba_filing_due, is_working_day
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def test_christmas_and_new_year_push_the_filing_deadline() -> None:
    # Thu 24 Dec 2026: Christmas (Fri), the weekend, New Year's Day (Fri) and the next weekend are skipped.
    assert gba_filing_due(dt.date(2026, 12, 24)) == dt.date(2027, 1, 11)


def test_lunar_new_year_pushes_the_filing_deadline() -> None:
    # Fri 5 Feb 2027: Sat 6 (first day), Mon 8 and Tue 9 (third and fourth days) are not working days.
    assert not is_working_day(dt.date(2027, 2, 8))
    assert not is_working_day(dt.date(2027, 2, 9))
    assert gba_filing_due(dt.date(2027, 2, 5)) == dt.date(2027, 2, 23)


def test_ordinary_fortnight_skips_only_weekends() -> None:
    assert gba_filing_due(dt.date(2026, 11, 2)) == dt.date(2026, 11, 16)
    assert add_working_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)  # Friday → Monday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ours", "theirs", "onward", "eligible"),
    [
        ("hong_kong", "shenzhen", False, True),
        ("hong_kong", "zhaoqing", False, True),
        ("guangzhou", "hong_kong", False, True),
        ("hong_kong", "other", False, False),  # e.g. a Hangzhou entity
        ("hong_kong", "shenzhen", True, False),  # onward transfer outside the GBA
        ("hong_kong", "hong_kong", False, False),  # not a cross-boundary flow
    ],
)
def test_eligibility_from_both_cities(
    admin_api: ApiClient, ours: str, theirs: str, onward: bool, eligible: bool
) -> None:
    response = admin_api.post(
        "/pdpo/gba",
        {
            "counterparty": "Vendor",
            "our_city": ours,
            "counterparty_city": theirs,
            "counterparty_city_note": "Hangzhou" if theirs == "other" else "",
            "onward_outside_gba": onward,
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["eligible"] is eligible
    assert data["fallback"] == ("" if eligible else "XB-RMC-2022")


@pytest.mark.django_db
def test_ineligible_contract_cannot_take_effect(admin_api: ApiClient, company: Company) -> None:
    made = body(
        admin_api.post(
            "/pdpo/gba",
            {
                "counterparty": "DingTalk",
                "our_city": "hong_kong",
                "counterparty_city": "other",
                "counterparty_city_note": "Hangzhou",
            },
        )
    )
    response = admin_api.patch(f"/pdpo/gba/{made['id']}", {"effective_on": "2026-11-02"})
    assert_problem(response, 409, "effective_on")
    assert GbaContract.objects.for_tenant(company.tenant).get(pk=made["id"]).effective_on is None


@pytest.mark.django_db
def test_filing_deadline_overdue_and_filed(
    admin_api: ApiClient, company: Company, today_is: Callable[[dt.date], None]
) -> None:
    today_is(dt.date(2027, 1, 11))
    made = body(
        admin_api.post(
            "/pdpo/gba", {"counterparty": "SZ Ltd", "our_city": "hong_kong", "counterparty_city": "shenzhen"}
        )
    )
    data = body(admin_api.patch(f"/pdpo/gba/{made['id']}", {"effective_on": "2026-12-24"}))
    assert data["filing_due_on"] == "2027-01-11"
    assert data["filing_overdue"] is False  # the deadline day itself is still in time

    today_is(dt.date(2027, 1, 12))
    assert body(admin_api.get("/pdpo/gba"))[0]["filing_overdue"] is True

    assert_problem(admin_api.patch(f"/pdpo/gba/{made['id']}", {"filed_on": "2026-12-23"}), 422, "filed_on")
    assert_problem(admin_api.patch(f"/pdpo/gba/{made['id']}", {"filed_on": "2027-01-13"}), 422, "filed_on")
    data = body(admin_api.patch(f"/pdpo/gba/{made['id']}", {"filed_on": "2027-01-12"}))
    assert data["filing_overdue"] is False
    assert data["filed_on"] == "2027-01-12"


@pytest.mark.django_db
def test_unknown_city_is_refused_naming_the_field(admin_api: ApiClient, company: Company) -> None:
    response = admin_api.post(
        "/pdpo/gba", {"counterparty": "X", "our_city": "hong_kong", "counterparty_city": "beijing"}
    )
    assert_problem(response, 422, "counterparty_city")
    assert not GbaContract.objects.for_tenant(company.tenant).exists()
