"""The plan pages as an administrator uses them, the operator's catalogue, and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.test import Client

from harbour.cli import main
from harbour.core import entitlements
from harbour.core.entitlements import Feature
from harbour.core.models import Tenant
from harbour.directory.models import Member
from harbour.plans.models import Plan, PlanRevision, Subscription
from tests.factories import Company, subscribe


def _login(member: Member | None) -> Client:
    assert member is not None and member.account is not None
    client = Client()
    client.force_login(member.account)
    return client


def test_plan_page_shows_use_as_bars(company: Company) -> None:
    page = _login(company.admin).get("/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="usage-bar') == 3  # seats, this month's minutes, storage
    assert "Professional" in html and "API access" in html


def test_dashboard_carries_the_usage_bars_for_admins_only(company: Company) -> None:
    assert "usage-bar" in _login(company.admin).get("/").content.decode()
    assert "usage-bar" not in _login(company.member).get("/").content.decode()


def test_change_flow_previews_then_confirms(company: Company) -> None:
    client = _login(company.admin)
    form = {"plan": "professional", "seats": "1500", "term": "annual"}
    preview = client.post("/plan/change/", {**form, "preview": "yes"})
    assert preview.status_code == 200
    assert "What this change does" in preview.content.decode()
    assert Subscription.objects.for_tenant(company.tenant).get().seats == 1000  # nothing written yet
    done = client.post("/plan/change/", {**form, "confirm": "yes"})
    assert done.status_code == 302
    assert Subscription.objects.for_tenant(company.tenant).get().seats == 1500


def test_refused_change_shows_why_next_to_the_field(company: Company) -> None:
    client = _login(company.admin)
    page = client.post("/plan/change/", {"plan": "basic", "seats": "1", "term": "annual", "confirm": "yes"})
    assert page.status_code == 400
    assert "deactivate" in page.content.decode()
    assert Subscription.objects.for_tenant(company.tenant).get().plan.code == "professional"


def test_calculator_answers_an_htmx_swap_with_the_fragment(company: Company) -> None:
    client = _login(company.admin)
    data = {"plan": "basic", "seats": "10", "term": "annual", "discount_percent": "10"}
    fragment = client.post("/plans/", data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and "3780.00" in html  # 10 × 35 × 12 = 4200, less 10%
    page = client.get("/plans/")
    assert "Compare plans" in page.content.decode()


def test_operator_edits_the_catalogue_and_companies_feel_it(company: Company) -> None:
    assert company.admin is not None and company.admin.account is not None
    subscribe(company.tenant, "basic", seats=1000)
    assert not entitlements.has(Tenant.objects.get(pk=company.tenant.pk), Feature.SINGLE_SIGN_ON)
    company.admin.account.is_operator = True
    company.admin.account.save()
    client = _login(company.admin)
    form = client.get("/operator/plans/basic/")
    assert form.status_code == 200
    data = {
        "name": "Basic",
        "name_zh": "基礎版",
        "price_per_seat_month": "36.00",
        "annual_discount_percent": "0",
        "summary": "Now with single sign-on.",
        "is_available": "on",
        "features": ["basic_communication", "advanced_attendance", "department_groups", "single_sign_on"],
        "quota_meeting_minutes": "10000",
        "quota_storage_bytes": str(2 * 10**12),
        "quota_meeting_participants": "100",
        "quota_seats": "",
    }
    assert client.post("/operator/plans/basic/", data).status_code == 302
    basic = Plan.objects.get(code="basic")
    assert basic.price_per_seat_month == Decimal("36.00")
    assert entitlements.has(Tenant.objects.get(pk=company.tenant.pk), Feature.SINGLE_SIGN_ON)
    revision = PlanRevision.objects.get(plan=basic)
    assert (
        revision.before["price_per_seat_month"] == "35.00"
        and revision.after["price_per_seat_month"] == "36.00"
    )

    bad = client.post("/operator/plans/basic/", {**data, "price_per_seat_month": "-3"})
    assert bad.status_code == 400
    assert Plan.objects.get(code="basic").price_per_seat_month == Decimal("36.00")


def test_catalogue_is_hidden_from_company_admins(company: Company) -> None:
    assert _login(company.admin).get("/operator/plans/").status_code == 404


def test_cli_plan_commands(company: Company, capsys: Callable) -> None:  # type: ignore[type-arg]
    assert main(["plan", "list"]) == 0
    assert (
        main(
            [
                "plan",
                "set",
                "--tenant",
                "acme",
                "--plan",
                "professional",
                "--seats",
                "1200",
                "--term",
                "annual",
            ]
        )
        == 0
    )
    assert main(["plan", "show", "--tenant", "acme"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "1200 seats" in out and "Use of the plan" in out
    assert main(["plan", "set", "--tenant", "acme", "--plan", "basic", "--seats", "1"]) == 2
    assert "(seats)" in capsys.readouterr().err  # type: ignore[attr-defined]
    assert main(["plan", "price", "--plan", "premium", "--seats", "10", "--price", "abc"]) == 2
    assert main(["plan", "price", "--plan", "basic", "--seats", "10", "--term", "monthly"]) == 0
    assert "HK$350.00" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert main(["plan", "renew"]) == 0
