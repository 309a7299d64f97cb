"""The due-diligence checklist: each rule passes and fails for the stated reason, each red flag is raised,
the 30% price boundary is exact, and a partner list older than a quarter fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from harbour.core.time import add_months, today_in_hong_kong
from harbour.plans.models import Plan
from harbour.plans.queries import get_plan
from harbour.procurement import actions
from harbour.procurement.checklist import Checklist, RuleResult
from harbour.procurement.names import br_key, name_key, same_name
from harbour.procurement.queries import checklist_of
from tests.factories import Company
from tests.procurement.builders import (
    RESELLER_BR,
    answer_quickly,
    current_list,
    give_registered_name,
    sound_quote,
    vetted_reseller,
)

pytestmark = pytest.mark.django_db


def rule(checklist: Checklist, code: str) -> RuleResult:
    return next(r for r in checklist.rules if r.code == code)


def flags(checklist: Checklist) -> set[str]:
    return {f.code for f in checklist.red_flags}


def test_a_sound_quote_passes_every_rule_with_no_red_flag(company: Company) -> None:
    current_list(company)
    checklist = checklist_of(sound_quote(company))
    assert [(r.code, r.passed) for r in checklist.rules] == [
        ("partner_list", True),
        ("certificate", True),
        ("invoice_issuer", True),
        ("payer", True),
        ("support", True),
        ("sla", True),
    ]
    assert checklist.red_flags == [] and checklist.approvable
    assert "BR 31234567" in rule(checklist, "partner_list").reason
    assert "DT-HK-2025-0042" in rule(checklist, "certificate").reason


# ------------------------------------------------------------------------------------------ (a) partner list
def test_no_partner_list_imported_fails(company: Company) -> None:
    result = rule(checklist_of(sound_quote(company)), "partner_list")
    assert not result.passed and "no official partner list" in result.reason


def test_reseller_missing_from_the_newest_list_fails_even_if_an_older_list_had_it(company: Company) -> None:
    current_list(company, age_days=40)  # lists it
    current_list(company, [{"name": "Someone Else Ltd", "br_number": "", "region": "Hong Kong"}], age_days=5)
    result = rule(checklist_of(sound_quote(company)), "partner_list")
    assert not result.passed and "not on the partner list" in result.reason


def test_name_match_counts_when_the_list_has_no_br_number(company: Company) -> None:
    current_list(company, [{"name": "techsphere hk.", "br_number": "", "region": "HK"}])
    result = rule(checklist_of(sound_quote(company)), "partner_list")
    assert result.passed and "matched by name" in result.reason


def test_br_number_suffix_does_not_prevent_a_match(company: Company) -> None:
    current_list(company, [{"name": "TS HK (trading name)", "br_number": f"{RESELLER_BR}-000-05-25-3"}])
    assert rule(checklist_of(sound_quote(company)), "partner_list").passed


def test_same_name_with_another_br_number_is_not_a_match(company: Company) -> None:
    current_list(company, [{"name": "TechSphere HK", "br_number": "99999999", "region": "Hong Kong"}])
    result = rule(checklist_of(sound_quote(company)), "partner_list")
    assert not result.passed and "99999999" in result.reason


def test_an_entry_for_another_region_does_not_count(company: Company) -> None:
    current_list(company, [{"name": "TechSphere HK", "br_number": RESELLER_BR, "region": "Singapore"}])
    result = rule(checklist_of(sound_quote(company)), "partner_list")
    assert not result.passed and "Singapore" in result.reason


def test_partner_list_older_than_a_quarter_fails(company: Company) -> None:
    today = today_in_hong_kong()
    quote = sound_quote(company)
    actions.import_partner_list(
        company.system,
        published_on=add_months(today, -3) - dt.timedelta(days=1),
        rows=[{"name": "TechSphere HK", "br_number": RESELLER_BR}],
    )
    result = rule(checklist_of(quote), "partner_list")
    assert not result.passed and "more than a quarter" in result.reason


def test_partner_list_exactly_a_quarter_old_still_passes(company: Company) -> None:
    quote = sound_quote(company)
    actions.import_partner_list(
        company.system,
        published_on=add_months(today_in_hong_kong(), -3),
        rows=[{"name": "TechSphere HK", "br_number": RESELLER_BR}],
    )
    assert rule(checklist_of(quote), "partner_list").passed


# ------------------------------------------------------------------------------------------ (b) certificate
def test_certificate_missing_fails_and_is_a_red_flag(company: Company) -> None:
    current_list(company)
    quote = sound_quote(company, reseller=vetted_reseller(company, certificate_number=""))
    checklist = checklist_of(quote)
    assert not rule(checklist, "certificate").passed
    assert "no_certificate" in flags(checklist)


def test_certificate_recorded_but_not_verified_fails(company: Company) -> None:
    current_list(company)
    quote = sound_quote(company)
    actions.update_reseller(company.system, quote.reseller, certificate_number="DT-HK-2025-0099")
    quote.reseller.refresh_from_db()
    result = rule(checklist_of(quote), "certificate")
    assert not result.passed and "has not been verified" in result.reason
    assert quote.reseller.status == "to_reverify"


def test_verified_certificate_names_who_verified_it(company: Company) -> None:
    quote = sound_quote(company)
    assert company.admin is not None
    actions.verify_certificate(company.admin, quote.reseller, note="called DingTalk, ref 55")
    quote.reseller.refresh_from_db()
    result = rule(checklist_of(quote), "certificate")
    assert result.passed and "Ada Admin" in result.reason


# --------------------------------------------------------------------------------------- (c) invoice issuer
@pytest.mark.parametrize(
    "issuer",
    [
        "TechSphere Hong Kong Limited",
        "techsphere hong kong ltd",
        "TECHSPHERE  HONG KONG LTD.",
        "TechSphere, Hong Kong Ltd",
    ],
)
def test_invoice_issuer_matches_registered_name_after_normalising(company: Company, issuer: str) -> None:
    assert rule(checklist_of(sound_quote(company, invoice_issuer=issuer)), "invoice_issuer").passed


def test_invoice_from_another_company_fails(company: Company) -> None:
    result = rule(
        checklist_of(sound_quote(company, invoice_issuer="Cheap Seats Trading Ltd")), "invoice_issuer"
    )
    assert not result.passed and "Cheap Seats Trading Ltd" in result.reason


def test_invoice_issuer_not_recorded_fails(company: Company) -> None:
    assert not rule(checklist_of(sound_quote(company, invoice_issuer="")), "invoice_issuer").passed


# ------------------------------------------------------------------------------------------------ (d) payer
def test_payer_must_be_the_company_registered_name(company: Company) -> None:
    give_registered_name(company, "Acme Trading Limited")
    assert rule(checklist_of(sound_quote(company, payer_name="ACME TRADING LTD")), "payer").passed
    result = rule(checklist_of(sound_quote(company, payer_name="Acme Holdings Ltd")), "payer")
    assert not result.passed and "Acme Holdings Ltd" in result.reason


def test_payer_fails_while_the_company_has_no_registered_name(company: Company) -> None:
    quote = sound_quote(company)
    company.tenant.registered_name = ""
    company.tenant.save(update_fields=["registered_name"])
    result = rule(checklist_of(quote), "payer")
    assert not result.passed and "company profile" in result.reason


# ------------------------------------------------------------------------------------------ (e) support test
def test_support_answer_at_exactly_one_hour_passes(company: Company) -> None:
    quote = answer_quickly(company, sound_quote(company), minutes=60, language="english")
    assert rule(checklist_of(quote), "support").passed


def test_support_answer_after_an_hour_fails(company: Company) -> None:
    quote = answer_quickly(company, sound_quote(company), minutes=61)
    result = rule(checklist_of(quote), "support")
    assert not result.passed and "1 h 1 min" in result.reason


def test_support_answer_in_mandarin_fails(company: Company) -> None:
    quote = answer_quickly(company, sound_quote(company), minutes=5, language="mandarin")
    result = rule(checklist_of(quote), "support")
    assert not result.passed and "Mandarin" in result.reason


def test_support_test_not_recorded_or_unanswered_fails(company: Company) -> None:
    quote = actions.create_quote(
        company.system,
        reseller=vetted_reseller(company),
        plan=get_plan("professional"),
        seats=10,
        term="monthly",
        unit_price=Decimal("150.00"),
    )
    assert "no support-response test" in rule(checklist_of(quote), "support").reason
    actions.record_support_test(
        company.system, quote, query_sent_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    )
    quote.refresh_from_db()
    assert "no answer" in rule(checklist_of(quote), "support").reason


# ---------------------------------------------------------------------------------------------------- (f) SLA
def test_no_sla_fails_and_is_a_red_flag(company: Company) -> None:
    give_registered_name(company)
    reseller = actions.create_reseller(
        company.system, name="No Paper Ltd", registered_name="No Paper Limited", hk_address="1 Queen's Road"
    )
    quote = answer_quickly(
        company,
        actions.create_quote(
            company.system,
            reseller=reseller,
            plan=get_plan("basic"),
            seats=5,
            term="annual",
            unit_price=Decimal("60"),
        ),
    )
    checklist = checklist_of(quote)
    assert rule(checklist, "sla").reason == "no SLA document is on file"
    assert flags(checklist) == {"no_sla", "no_certificate"}


# ------------------------------------------------------------------------------------------------ red flags
def test_no_local_address_is_a_red_flag(company: Company) -> None:
    quote = sound_quote(company, reseller=vetted_reseller(company, hk_address=""))
    checklist = checklist_of(quote)
    assert flags(checklist) == {"no_local_address"} and not checklist.approvable


def _priced(company: Company, catalogue: str, quoted: str) -> Checklist:
    plan = Plan.objects.create(
        code="test-tier", name="Test tier", rank=90, price_per_seat_month=Decimal(catalogue)
    )
    return checklist_of(sound_quote(company, plan=plan, unit_price=Decimal(quoted)))


def test_exactly_30_percent_below_catalogue_is_not_a_red_flag(company: Company) -> None:
    checklist = _priced(company, "100.00", "70.00")
    assert "low_price" not in flags(checklist)
    assert checklist.price.below_percent == Decimal("30.00")


def test_30_01_percent_below_catalogue_is_a_red_flag(company: Company) -> None:
    checklist = _priced(company, "100.00", "69.99")
    assert "low_price" in flags(checklist)
    assert checklist.price.below_percent == Decimal("30.01")
    assert "30.01% below" in next(f.reason for f in checklist.red_flags if f.code == "low_price")


def test_the_boundary_is_exact_not_rounded(company: Company) -> None:
    # 30.005% below rounds to 30.01 for display, but only a price strictly under 70% is flagged.
    assert "low_price" in flags(_priced(company, "200.00", "139.99"))
    assert "low_price" not in flags(_priced_second(company, "200.00", "140.00"))


def _priced_second(company: Company, catalogue: str, quoted: str) -> Checklist:
    plan = Plan.objects.create(
        code="test-tier-2", name="Test tier 2", rank=91, price_per_seat_month=Decimal(catalogue)
    )
    return checklist_of(sound_quote(company, plan=plan, unit_price=Decimal(quoted)))


def test_a_plan_priced_by_contract_cannot_be_compared_and_raises_no_flag(company: Company) -> None:
    premium = get_plan("premium")
    assert premium.price_per_seat_month is None
    checklist = checklist_of(sound_quote(company, plan=premium, unit_price=Decimal("1.00")))
    assert "low_price" not in flags(checklist)
    assert checklist.price.below_percent is None and "priced by contract" in checklist.price.note


# -------------------------------------------------------------------------------------------- name matching
def test_name_keys() -> None:
    assert name_key("ACME Trading Co., Limited") == name_key("acme trading company ltd")
    assert name_key("Ｔｅｃｈ　Ｓｐｈｅｒｅ") == "tech sphere"  # full-width forms
    assert same_name("A & B Ltd", "a and b limited")
    assert not same_name("", "")
    assert br_key("12345678-001-05-25-A") == "12345678" and br_key("") == ""
