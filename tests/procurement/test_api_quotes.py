"""Quotes through the API: recording and editing, the support test, the checklist, and the verdict with its
two sign-offs — two different people, each holding the right permission — after which the purchase is
locked. Approval is refused while a rule fails or a red flag stands; rejection is always possible."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harbour.audit.models import AuditEvent
from harbour.plans.queries import get_plan
from harbour.procurement import actions
from harbour.procurement.models import Quote, Reseller
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.procurement.builders import (
    Signatories,
    current_list,
    fresh,
    procurement_rows,
    sound_quote,
    vetted_reseller,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reseller(company: Company) -> Reseller:
    return vetted_reseller(company)


def _quote_body(reseller: Reseller, **extra: object) -> dict[str, object]:
    return {
        "reseller_id": str(reseller.id),
        "plan": "professional",
        "seats": 120,
        "term": "annual",
        "unit_price": "80.00",
        "invoice_issuer": "TechSphere Hong Kong Ltd",
        "payer_name": "Acme Trading Limited",
        **extra,
    }


def test_record_a_quote_and_read_its_checklist(
    company: Company, admin_api: ApiClient, reseller: Reseller
) -> None:
    created = admin_api.post("/procurement/quotes", _quote_body(reseller))
    assert created.status_code == 201, created.content
    quote = body(created)
    assert quote["unit_price"] == "80.00" and quote["status"] == "open" and quote["support_test"] is None

    tested = admin_api.post(
        f"/procurement/quotes/{quote['id']}/support-test",
        {
            "query_sent_at": "2025-06-02T10:00:00",
            "first_answer_at": "2025-06-02T10:40:00",
            "answer_language": "english",
        },
    )
    assert tested.status_code == 200, tested.content
    # no offset: Hong Kong time, answered in UTC
    assert body(tested)["support_test"]["query_sent_at"] == "2025-06-02T02:00:00Z"

    checklist = body(admin_api.get(f"/procurement/quotes/{quote['id']}/checklist"))
    assert {r["code"]: r["passed"] for r in checklist["rules"]} == {
        "partner_list": False,  # no list imported yet
        "certificate": True,
        "invoice_issuer": True,
        "payer": False,  # the company has no registered name yet
        "support": True,
        "sla": True,
    }
    assert checklist["red_flags"] == [] and checklist["approvable"] is False
    assert checklist["price"] == {
        "quoted_price": "80.00",
        "catalogue_price": "80.00",
        "below_percent": "0.00",
        "note": "HK$80.00 is the catalogue price",
    }
    kinds = set(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(target_id=quote["id"])
        .values_list("kind", flat=True)
    )
    assert kinds == {"quote.created", "quote.support_test_recorded"}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"unit_price": "-1.00"}, 422, "unit_price"),
        ({"unit_price": "12.345"}, 422, "unit_price"),
        ({"seats": 0}, 422, "seats"),
        ({"term": "weekly"}, 422, "term"),
        ({"plan": "platinum"}, 404, "plan"),
        ({"invoice_issuer": "x" * 201}, 422, "invoice_issuer"),
    ],
)
def test_bad_quote_input_names_the_field_and_changes_nothing(
    admin_api: ApiClient, reseller: Reseller, change: dict[str, object], status: int, field: str
) -> None:
    before = procurement_rows()
    assert_problem(admin_api.post("/procurement/quotes", _quote_body(reseller, **change)), status, field)
    assert procurement_rows() == before


@pytest.mark.parametrize(
    ("test", "field"),
    [
        (
            {"query_sent_at": "2025-06-02T10:00:00", "first_answer_at": "2025-06-02T09:00:00"},
            "first_answer_at",
        ),
        ({"query_sent_at": "2999-01-01T10:00:00"}, "query_sent_at"),
        (
            {
                "query_sent_at": "2025-06-02T10:00:00",
                "first_answer_at": "2025-06-02T10:05:00",
                "answer_language": "klingon",
            },
            "answer_language",
        ),
        (
            {"query_sent_at": "2025-06-02T10:00:00", "first_answer_at": "2025-06-02T10:05:00"},
            "answer_language",
        ),
    ],
)
def test_bad_support_test_changes_nothing(
    company: Company, admin_api: ApiClient, test: dict[str, object], field: str
) -> None:
    quote = sound_quote(company)
    before, rows = fresh(quote), procurement_rows()
    assert_problem(admin_api.post(f"/procurement/quotes/{quote.id}/support-test", test), 422, field)
    assert fresh(quote) == before and procurement_rows() == rows


def test_bad_edit_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    quote = sound_quote(company)
    before, rows = fresh(quote), procurement_rows()
    assert_problem(
        admin_api.patch(f"/procurement/quotes/{quote.id}", {"seats": 10, "unit_price": "-5"}),
        422,
        "unit_price",
    )
    assert fresh(quote) == before and procurement_rows() == rows


# ------------------------------------------------------------------------------------- verdict and sign-off
def _approvable(company: Company) -> Quote:
    current_list(company)
    return sound_quote(company)


def test_approval_needs_two_distinct_signatories_then_locks(
    company: Company, admin_api: ApiClient, signers: Signatories
) -> None:
    quote = _approvable(company)
    url = f"/procurement/quotes/{quote.id}"
    proposed = admin_api.post(f"{url}/verdict", {"decision": "approve", "reasons": "every check passes"})
    assert proposed.status_code == 200, proposed.content
    assert body(proposed)["status"] == "awaiting_sign_off"

    legal, infosec = api_as(signers.legal), api_as(signers.infosec)
    assert_problem(infosec.post(f"{url}/sign-off", {"capacity": "legal"}), 403, "capacity")
    first = body(legal.post(f"{url}/sign-off", {"capacity": "legal", "note": "contract reviewed"}))
    assert first["status"] == "awaiting_sign_off" and [s["capacity"] for s in first["sign_offs"]] == ["legal"]
    assert_problem(legal.post(f"{url}/sign-off", {"capacity": "legal"}), 409, "capacity")

    done = body(infosec.post(f"{url}/sign-off", {"capacity": "infosec"}))
    assert done["status"] == "approved" and done["decided_at"] is not None
    assert {s["member"].split(" <")[0] for s in done["sign_offs"]} == {"Lena Legal", "Ivan Infosec"}

    before, rows = fresh(quote), procurement_rows()
    assert_problem(admin_api.patch(url, {"seats": 121}), 409, "status")
    assert_problem(
        admin_api.post(f"{url}/verdict", {"decision": "reject", "reasons": "changed mind"}), 409, "status"
    )
    assert_problem(
        admin_api.post(f"{url}/support-test", {"query_sent_at": "2025-06-02T10:00:00"}), 409, "status"
    )
    assert fresh(quote) == before and procurement_rows() == rows
    kinds = list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(
            target_id=str(quote.id), kind__in=["quote.verdict_proposed", "quote.signed_off", "quote.approved"]
        )
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == ["quote.verdict_proposed", "quote.signed_off", "quote.signed_off", "quote.approved"]


def test_one_person_cannot_sign_in_both_capacities(company: Company, signers: Signatories) -> None:
    quote = _approvable(company)
    actions.propose_verdict(company.system, quote, decision="approve", reasons="ok")
    both = api_as(signers.both)
    url = f"/procurement/quotes/{quote.id}/sign-off"
    assert body(both.post(url, {"capacity": "legal"}))["status"] == "awaiting_sign_off"
    rows = procurement_rows()
    problem = assert_problem(both.post(url, {"capacity": "infosec"}), 409, "capacity")
    assert "two different people" in problem["detail"]
    assert procurement_rows() == rows
    assert body(api_as(signers.infosec).post(url, {"capacity": "infosec"}))["status"] == "approved"


def test_administrators_cannot_sign_off(company: Company, admin_api: ApiClient) -> None:
    quote = _approvable(company)
    actions.propose_verdict(company.system, quote, decision="approve", reasons="ok")
    rows = procurement_rows()
    assert_problem(admin_api.post(f"/procurement/quotes/{quote.id}/sign-off", {"capacity": "legal"}), 403)
    assert procurement_rows() == rows


def test_sign_off_needs_a_proposed_verdict(company: Company, signers: Signatories) -> None:
    quote = _approvable(company)
    assert_problem(
        api_as(signers.legal).post(f"/procurement/quotes/{quote.id}/sign-off", {"capacity": "legal"}),
        409,
        "verdict",
    )


def test_approval_is_refused_while_a_rule_fails(company: Company, admin_api: ApiClient) -> None:
    quote = sound_quote(company)  # no partner list imported: rule (a) fails, no red flag
    rows = procurement_rows()
    problem = assert_problem(
        admin_api.post(
            f"/procurement/quotes/{quote.id}/verdict", {"decision": "approve", "reasons": "looks fine"}
        ),
        409,
        "decision",
    )
    assert "partner list" in problem["detail"]
    assert procurement_rows() == rows


def test_approval_is_refused_while_a_red_flag_stands(company: Company, admin_api: ApiClient) -> None:
    current_list(company)
    quote = sound_quote(company, unit_price=Decimal("55.00"))  # 31.25% below the catalogue's HK$80
    problem = assert_problem(
        admin_api.post(
            f"/procurement/quotes/{quote.id}/verdict", {"decision": "approve", "reasons": "cheap"}
        ),
        409,
        "decision",
    )
    assert "Abnormally low price" in problem["detail"]


def test_a_check_failing_after_the_proposal_stops_the_approval_sign_off(
    company: Company, admin_api: ApiClient, signers: Signatories
) -> None:
    quote = _approvable(company)
    actions.propose_verdict(company.system, quote, decision="approve", reasons="ok")
    actions.update_reseller(company.system, quote.reseller, hk_address="")  # red flag: no local address
    legal = api_as(signers.legal)
    rows = procurement_rows()
    assert_problem(legal.post(f"/procurement/quotes/{quote.id}/sign-off", {"capacity": "legal"}), 409)
    assert procurement_rows() == rows


def test_rejection_is_always_possible(company: Company, admin_api: ApiClient, signers: Signatories) -> None:
    reseller = actions.create_reseller(company.system, name="Cheap Seats Trading")  # nothing on file at all
    quote = actions.create_quote(
        company.system,
        reseller=reseller,
        plan=get_plan("professional"),
        seats=10,
        term="annual",
        unit_price=Decimal("20.00"),
    )
    url = f"/procurement/quotes/{quote.id}"
    assert (
        body(
            admin_api.post(f"{url}/verdict", {"decision": "reject", "reasons": "not an authorised reseller"})
        )["status"]
        == "awaiting_sign_off"
    )
    api_as(signers.infosec).post(f"{url}/sign-off", {"capacity": "infosec"})
    assert body(api_as(signers.legal).post(f"{url}/sign-off", {"capacity": "legal"}))["status"] == "rejected"


def test_editing_a_quote_awaiting_sign_off_withdraws_the_verdict(
    company: Company, admin_api: ApiClient, signers: Signatories
) -> None:
    quote = _approvable(company)
    url = f"/procurement/quotes/{quote.id}"
    admin_api.post(f"{url}/verdict", {"decision": "approve", "reasons": "ok"})
    api_as(signers.legal).post(f"{url}/sign-off", {"capacity": "legal"})
    edited = body(admin_api.patch(url, {"seats": 150}))
    assert edited["status"] == "open" and edited["verdict"] is None and edited["sign_offs"] == []


def test_bad_verdict_input(company: Company, admin_api: ApiClient) -> None:
    quote = sound_quote(company)
    url = f"/procurement/quotes/{quote.id}/verdict"
    assert_problem(admin_api.post(url, {"decision": "maybe", "reasons": "x"}), 422, "decision")
    assert_problem(admin_api.post(url, {"decision": "reject", "reasons": "  "}), 422, "reasons")


def test_another_companys_quote_is_not_found(company: Company, other_company: Company) -> None:
    theirs = sound_quote(other_company)
    assert company.admin is not None
    ours = api_as(company.admin)
    rows = procurement_rows()
    for method, suffix, payload in [
        ("get", "", None),
        ("patch", "", {"seats": 1}),
        ("get", "/checklist", None),
        ("post", "/support-test", {"query_sent_at": "2025-06-02T10:00:00"}),
        ("post", "/verdict", {"decision": "reject", "reasons": "x"}),
        ("post", "/sign-off", {"capacity": "legal"}),
    ]:
        response = ours.request(method, f"/procurement/quotes/{theirs.id}{suffix}", payload)
        assert_problem(response, 404)
    assert procurement_rows() == rows
    assert body(ours.get("/procurement/quotes"))["items"] == []
