"""The security facts read from the emulated DingTalk tenant: administrators, members, addresses outside the
verified domains, external departments, and Harbour leavers DingTalk still holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harbour.core.time import now
from harbour.directory.actions.members import deactivate_member
from harbour.integrations.dingtalk.facts import refresh_all_facts_task, refresh_facts
from harbour.integrations.dingtalk.models import Connection, MemberLink
from harbour.security.models import TenantDomain
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


def _connection(company: Company, emulator: Emulator) -> Connection:
    return Connection.objects.create(
        tenant_id=company.tenant.pk,
        app_key="dingappkey",
        app_secret="dingsecret",
        oapi_base_url=emulator.url,
        api_base_url=emulator.url,
    )


def test_facts_say_what_the_baseline_needs(company: Company, dingtalk_emulator: Emulator) -> None:
    assert company.member is not None and company.admin is not None
    TenantDomain.objects.for_tenant(company.tenant).update_or_create(
        tenant_id=company.tenant.pk, name="acme.com.hk", defaults={"verified_at": now()}
    )
    sales = dingtalk_emulator.add_department("Sales")
    dingtalk_emulator.add_department("Supplier staff", parent_id=sales, outer_dept=True)
    dingtalk_emulator.add_user(name="Boss", mobile="13800000001", email="boss@acme.com.hk", admin=True)
    dingtalk_emulator.add_user(name="Chan", mobile="13800000002", dept_ids=[sales], email="chan@gmail.com")
    leaver = dingtalk_emulator.add_user(name="Gone", mobile="13800000003", dept_ids=[sales, 1])
    connection = _connection(company, dingtalk_emulator)
    MemberLink.objects.create(
        tenant_id=company.tenant.pk, connection=connection, member=company.member, userid=leaver
    )
    deactivate_member(company.admin, company.member, reason="left")

    facts = refresh_facts(connection)

    assert facts["unreadable"] == {}
    assert facts["admins"]["count"] == 1 and facts["admins"]["count"] == len(dingtalk_emulator.admins)
    assert facts["members"]["total"] == 3
    assert facts["departments"]["external"] == 1 and facts["departments"]["external_names"] == [
        "Supplier staff"
    ]
    outside = facts["outside_domains"]
    assert outside["count"] == 1 and outside["domains"] == ["acme.com.hk"] and outside["users_read"] == 3
    assert facts["leavers_present"] == {"count": 1, "userids": [leaver], "checked": 1}
    stored = Connection.objects.for_tenant(company.tenant).get()
    assert stored.facts == facts and stored.facts_read_at is not None


def test_a_part_the_app_may_not_read_is_named_not_fatal(
    company: Company, make_dingtalk_emulator: Callable[..., Emulator]
) -> None:
    emulator = make_dingtalk_emulator(scopes={"qyapi_get_department_list", "qyapi_get_department_member"})
    facts = refresh_facts(_connection(company, emulator))
    assert set(facts["unreadable"]) == {"admins"}  # listadmin needs qyapi_get_member
    assert facts["members"]["total"] == 0


def test_without_a_verified_domain_nobody_is_counted_outside(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    TenantDomain.objects.for_tenant(company.tenant).update(verified_at=None)
    dingtalk_emulator.add_user(name="Chan", mobile="13800000002", email="chan@gmail.com")
    facts = refresh_facts(_connection(company, dingtalk_emulator))
    assert facts["outside_domains"]["count"] is None


def test_the_daily_job_reads_every_company_and_survives_a_failing_one(
    company: Company, other_company: Company, dingtalk_emulator: Emulator
) -> None:
    _connection(company, dingtalk_emulator)
    broken = _connection(other_company, dingtalk_emulator)
    Connection.objects.for_tenant(other_company.tenant).filter(pk=broken.pk).update(app_key="removedapp")
    result = refresh_all_facts_task.call()
    assert result == {"refreshed": 1, "failed": 1}
    assert Connection.objects.for_tenant(company.tenant).get().facts_read_at is not None
