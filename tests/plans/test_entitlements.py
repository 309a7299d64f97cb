"""The entitlement gate: features by plan, clear refusals, quotas that cannot be overdrawn, seats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harbour.core import entitlements
from harbour.core.entitlements import Feature, Quota
from harbour.core.errors import NotEntitled, QuotaExceeded
from harbour.core.models import Tenant
from harbour.directory import actions
from harbour.directory.models import Member, MemberState
from harbour.plans.models import Plan
from tests.factories import Company, subscribe


def _fresh(tenant: Tenant) -> Tenant:
    """A new Tenant object, as the next request loads it."""
    return Tenant.objects.get(pk=tenant.pk)


def test_catalogue_follows_the_price_list(db: None) -> None:
    plans = {p.code: p for p in Plan.objects.all()}
    assert plans["free"].quotas["meeting_minutes"] == 1_000
    assert plans["basic"].price_per_seat_month == Decimal("35.00")
    assert plans["basic"].quotas["storage_bytes"] == 2 * 10**12
    assert plans["professional"].price_per_seat_month == Decimal("80.00")
    assert {"api_access", "single_sign_on", "operation_log_audit"} <= set(plans["professional"].features)
    assert plans["premium"].price_per_seat_month is None
    assert {"private_deployment", "dedicated_database", "strongest_encryption"} <= set(
        plans["premium"].features
    )
    assert [p.code for p in Plan.objects.order_by("rank")] == ["free", "basic", "professional", "premium"]


def test_gate_names_the_plan_that_includes_the_feature(company: Company) -> None:
    subscribe(company.tenant, "basic", seats=50)
    tenant = _fresh(company.tenant)
    assert entitlements.has(tenant, Feature.ADVANCED_ATTENDANCE)
    with pytest.raises(NotEntitled) as caught:
        entitlements.require(tenant, Feature.SINGLE_SIGN_ON)
    assert caught.value.message == "Single sign-on needs the Professional plan"
    assert caught.value.field == "plan"


def test_a_plan_change_is_felt_at_the_next_request(company: Company) -> None:
    subscribe(company.tenant, "basic", seats=50)
    assert not entitlements.has(_fresh(company.tenant), Feature.API_ACCESS)
    subscribe(company.tenant, "professional", seats=50)
    assert entitlements.has(_fresh(company.tenant), Feature.API_ACCESS)


def test_company_without_subscription_is_on_free(company: Company) -> None:
    from harbour.plans.models import Subscription

    Subscription.objects.for_tenant(company.tenant).delete()
    tenant = _fresh(company.tenant)
    assert entitlements.entitlements_of(tenant).plan_code == "free"
    assert entitlements.limit(tenant, Quota.MEETING_MINUTES) == 1_000
    assert entitlements.limit(tenant, Quota.SEATS) == 50


def test_minutes_are_consumed_up_to_the_limit_and_no_further(company: Company) -> None:
    subscribe(company.tenant, "free")
    tenant = _fresh(company.tenant)
    entitlements.consume(tenant, Quota.MEETING_MINUTES, 990)
    entitlements.consume(tenant, Quota.MEETING_MINUTES, 10)
    assert entitlements.used(tenant, Quota.MEETING_MINUTES) == 1_000
    with pytest.raises(QuotaExceeded) as caught:
        entitlements.consume(tenant, Quota.MEETING_MINUTES, 1)
    assert caught.value.field == "meeting_minutes"
    assert entitlements.used(tenant, Quota.MEETING_MINUTES) == 1_000
    entitlements.release(tenant, Quota.MEETING_MINUTES, 5_000)
    assert entitlements.used(tenant, Quota.MEETING_MINUTES) == 0


def test_unlimited_quota_is_counted_but_never_refused(company: Company) -> None:
    subscribe(company.tenant, "premium")
    tenant = _fresh(company.tenant)
    assert entitlements.limit(tenant, Quota.MEETING_MINUTES) is None
    entitlements.consume(tenant, Quota.MEETING_MINUTES, 10**7)
    assert entitlements.used(tenant, Quota.MEETING_MINUTES) == 10**7


def test_seats_gate_new_and_returning_accounts(company: Company) -> None:
    taken = Member.objects.for_tenant(company.tenant).exclude(state=MemberState.DEACTIVATED).count()
    subscribe(company.tenant, "basic", seats=taken + 1)
    actions.invite_member(company.system, actions.MemberSpec(email="last@acme.com.hk", name="Last Seat"))
    before = Member.objects.for_tenant(company.tenant).count()
    with pytest.raises(QuotaExceeded) as caught:
        actions.invite_member(company.system, actions.MemberSpec(email="over@acme.com.hk", name="Over"))
    assert caught.value.field == "seats"
    with pytest.raises(QuotaExceeded):
        actions.bulk_create_members(
            company.system, [actions.MemberSpec(email="bulk@acme.com.hk", name="Bulk", state="active")]
        )
    assert Member.objects.for_tenant(company.tenant).count() == before

    # deactivating frees a seat; bringing a deactivated account back needs one again
    assert company.outsider is not None
    actions.deactivate_member(company.system, company.outsider, reason="left")
    actions.invite_member(company.system, actions.MemberSpec(email="over@acme.com.hk", name="Over"))
    with pytest.raises(QuotaExceeded):
        actions.reactivate_member(company.system, company.outsider)
    company.outsider.refresh_from_db()
    assert company.outsider.state == MemberState.DEACTIVATED


def test_suspended_accounts_keep_their_seat(company: Company) -> None:
    taken = Member.objects.for_tenant(company.tenant).exclude(state=MemberState.DEACTIVATED).count()
    subscribe(company.tenant, "basic", seats=taken)
    assert company.outsider is not None
    actions.suspend_member(company.system, company.outsider, reason="leave")
    with pytest.raises(QuotaExceeded):
        actions.invite_member(company.system, actions.MemberSpec(email="x@acme.com.hk", name="X"))
    actions.reactivate_member(company.system, company.outsider)  # holds its seat: no new one needed
