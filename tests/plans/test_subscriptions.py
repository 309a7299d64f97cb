"""Changing plan, seats and term through the API: upgrades at once, downgrades at the end of the period
with a preview of what stops working, refusals where data would be lost, renewal."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.audit.models import AuditEvent
from harbour.core import entitlements
from harbour.core.entitlements import Feature, Quota
from harbour.core.errors import NotEntitled
from harbour.core.models import Tenant
from harbour.core.time import add_months, today_in_hong_kong
from harbour.plans.actions import renew_due_subscriptions
from harbour.plans.models import QuotaUsage, Subscription
from tests.api.helpers import ApiClient, assert_problem, body, issue_token
from tests.factories import Company, subscribe


def _kinds(company: Company) -> list[str]:
    return list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(kind__startswith="subscription.")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def test_upgrade_applies_at_once(company: Company, admin_api: ApiClient) -> None:
    subscribe(company.tenant, "professional", seats=20)
    changed = body(
        admin_api.request("put", "/subscription", {"plan": "professional", "seats": 40, "term": "annual"})
    )
    assert changed["change"]["immediate"] is True
    assert changed["subscription"]["seats"] == 40 and changed["subscription"]["term"] == "annual"
    assert _kinds(company)[-1] == "subscription.changed"
    assert entitlements.limit(Tenant.objects.get(pk=company.tenant.pk), Quota.SEATS) == 40


def test_downgrade_waits_for_the_period_end_and_says_what_stops(
    company: Company, admin_api: ApiClient
) -> None:
    preview = body(
        admin_api.post("/subscription/preview", {"plan": "basic", "seats": 1000, "term": "annual"})
    )
    assert preview["immediate"] is False
    assert set(preview["lost_features"]) == {"api_access", "single_sign_on", "operation_log_audit"}
    assert any("API token" in s for s in preview["stops_working"])
    assert preview["allowed"] is True
    renews_on = Subscription.objects.for_tenant(company.tenant).get().renews_on
    assert preview["effective_on"] == renews_on.isoformat()
    assert preview["price"]["total"] == "420000.00"  # 1000 × 35 × 12

    changed = body(
        admin_api.request("put", "/subscription", {"plan": "basic", "seats": 1000, "term": "annual"})
    )
    assert changed["subscription"]["plan"] == "professional"  # still, until the period ends
    assert changed["subscription"]["scheduled_change"]["plan"] == "basic"
    assert _kinds(company)[-1] == "subscription.change_scheduled"
    assert entitlements.has(Tenant.objects.get(pk=company.tenant.pk), Feature.API_ACCESS)

    # the day the period ends, the gate answers with the new plan, and the renewal job writes it down
    assert renew_due_subscriptions(today=renews_on) == 1
    subscription = Subscription.objects.for_tenant(company.tenant).get()
    assert subscription.plan.code == "basic" and subscription.scheduled_plan is None
    assert subscription.started_on == renews_on and subscription.renews_on == add_months(renews_on, 12)
    assert renew_due_subscriptions(today=renews_on) == 0  # idempotent
    assert not entitlements.has(Tenant.objects.get(pk=company.tenant.pk), Feature.API_ACCESS)


def test_scheduled_change_can_be_cancelled(company: Company, admin_api: ApiClient) -> None:
    admin_api.request("put", "/subscription", {"plan": "basic", "seats": 1000, "term": "annual"})
    cancelled = body(admin_api.delete("/subscription/scheduled-change"))
    assert cancelled["scheduled_change"] is None
    assert_problem(admin_api.delete("/subscription/scheduled-change"), 409, "scheduled_plan")
    assert _kinds(company)[-1] == "subscription.change_cancelled"


def test_too_few_seats_is_refused_and_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    before = Subscription.objects.for_tenant(company.tenant).get()
    preview = body(
        admin_api.post("/subscription/preview", {"plan": "professional", "seats": 2, "term": "annual"})
    )
    assert preview["allowed"] is False and preview["refusals"][0]["field"] == "seats"
    response = admin_api.request(
        "put", "/subscription", {"plan": "professional", "seats": 2, "term": "annual"}
    )
    problem = assert_problem(response, 409, "seats")
    assert "deactivate" in problem["detail"]
    after = Subscription.objects.for_tenant(company.tenant).get()
    assert (after.seats, after.scheduled_plan_id) == (before.seats, before.scheduled_plan_id)


def test_storage_over_the_new_quota_is_refused(company: Company, admin_api: ApiClient) -> None:
    QuotaUsage.objects.create(tenant=company.tenant, quota="storage_bytes", period="", used=3 * 10**12)
    response = admin_api.request("put", "/subscription", {"plan": "basic", "seats": 1000, "term": "annual"})
    problem = assert_problem(response, 409, "plan")
    assert "files would be lost" in problem["detail"]


def test_premium_is_priced_by_contract(company: Company, admin_api: ApiClient, member_api: ApiClient) -> None:
    response = admin_api.post("/subscription/preview", {"plan": "premium", "seats": 1000, "term": "annual"})
    assert_problem(response, 422, "unit_price")
    # the admin here is not a platform operator: a negotiated price is refused
    response = admin_api.post(
        "/subscription/preview", {"plan": "premium", "seats": 1000, "term": "annual", "unit_price": "120.00"}
    )
    assert_problem(response, 403, "unit_price")


def test_unknown_plan_and_bad_term_name_the_field(admin_api: ApiClient) -> None:
    assert_problem(admin_api.post("/subscription/preview", {"plan": "gold", "seats": 5}), 404, "plan")
    assert_problem(
        admin_api.post("/subscription/preview", {"plan": "basic", "seats": 5, "term": "weekly"}), 422, "term"
    )
    assert_problem(admin_api.post("/subscription/preview", {"plan": "basic", "seats": 0}), 422, "seats")


def test_without_api_access_tokens_are_refused_naming_the_plan(
    company: Company, admin_api: ApiClient
) -> None:
    assert company.admin is not None
    subscribe(company.tenant, "basic", seats=1000)
    problem = assert_problem(admin_api.get("/me"), 403)
    assert problem["detail"] == "API access needs the Professional plan"
    with pytest.raises(NotEntitled) as caught:
        issue_token(company.admin)
    assert caught.value.field == "plan"
    subscribe(company.tenant, "professional", seats=1000)
    assert admin_api.get("/me").status_code == 200


def test_usage_reports_seats_minutes_and_storage(company: Company, admin_api: ApiClient) -> None:
    entitlements.consume(Tenant.objects.get(pk=company.tenant.pk), Quota.MEETING_MINUTES, 120)
    usage = {line["quota"]: line for line in body(admin_api.get("/usage"))}
    assert usage["meeting_minutes"]["used"] == 120 and usage["meeting_minutes"]["limit"] == 50_000
    assert usage["seats"]["limit"] == 1000 and usage["seats"]["used"] >= 4
    assert usage["storage_bytes"]["limit"] == 5 * 10**12


def test_renewal_rolls_the_period_without_a_change(company: Company) -> None:
    subscription = Subscription.objects.for_tenant(company.tenant).get()
    subscription.term, subscription.renews_on = "monthly", today_in_hong_kong() - dt.timedelta(days=40)
    subscription.save()
    assert renew_due_subscriptions() == 1
    subscription.refresh_from_db()
    assert subscription.renews_on > today_in_hong_kong()
    assert subscription.started_on <= today_in_hong_kong()
