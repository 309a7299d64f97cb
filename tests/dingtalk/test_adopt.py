"""Adopting an existing DingTalk directory: every department and person found, matched the lifecycle's way,
created or linked in Harbour, and the ones a person must decide left waiting."""

from __future__ import annotations

import pytest

from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.directory.models import Member, MemberState
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import Connection, DepartmentLink, MemberLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.queries import link_counts
from tests.dingtalk.sync_support import (
    adopt_all,
    connect_to,
    department,
    items,
    ops,
    refreshed,
    seed_directory,
)
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

Op = SyncItem.Op
Outcome = SyncItem.Outcome
pytestmark = pytest.mark.django_db


def test_the_adoption_plan_names_every_situation_and_changes_nothing(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    seed_directory(dingtalk_emulator, company)
    connection = connect_to(company, dingtalk_emulator)
    members_before = Member.objects.for_tenant(company.tenant).count()

    run = sync_actions.plan_adoption(company.admin, connection)  # type: ignore[arg-type]

    assert run.kind == SyncRun.Kind.ADOPT and run.state == SyncRun.State.PLANNED
    assert ops(run) == {
        Op.LINK_DEPARTMENT: 2,  # Finance, Accounts Payable: same name in the same place
        Op.ADOPT_DEPARTMENT: 4,  # Invoices, Disputes (under a linked parent), Sales, Operations
        Op.LINK_MEMBER: 2,  # Gary by address, Fiona by job number
        Op.DISPUTED: 1,  # Helen's number, the admin's address
        Op.CANNOT_ADOPT: 2,  # no email; an address outside the company's domains
        Op.ADOPT_MEMBER: 3 + 3,  # Dora, Tess, Ivy (not activated is still employed) and three sellers
    }
    by_user = {item.userid: item for item in items(run) if item.userid}
    assert by_user["gary"].member_id == company.member.pk  # type: ignore[union-attr]
    assert by_user["fiona"].member_id == company.manager.pk  # type: ignore[union-attr]
    assert set(by_user["helen"].candidates) == {str(company.outsider.pk), str(company.admin.pk)}  # type: ignore[union-attr]
    assert by_user["helen"].outcome == Outcome.WAITING
    assert "email" in by_user["nomail"].reason
    assert by_user["elsewhere"].outcome == Outcome.WAITING
    assert by_user["tess"].payload["dept_id_list"] == sorted(by_user["tess"].payload["dept_id_list"])
    assert len(by_user["tess"].payload["dept_id_list"]) == 2  # seen in two departments, listed once
    departments = [item for item in items(run) if item.op in (Op.LINK_DEPARTMENT, Op.ADOPT_DEPARTMENT)]
    assert [d.depth for d in departments] == sorted(d.depth for d in departments)  # level by level
    assert max(d.depth for d in departments) == 3
    assert Member.objects.for_tenant(company.tenant).count() == members_before
    assert refreshed(connection).state == Connection.State.NEW


def test_applying_the_adoption_creates_and_links_then_a_person_settles_the_rest(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    seeded = seed_directory(dingtalk_emulator, company)
    connection = connect_to(company, dingtalk_emulator)
    admin = company.admin
    assert admin is not None

    run = adopt_all(company, connection)

    assert run.state == SyncRun.State.APPLIED
    assert run.counts["outcomes"] == {"applied": 14, "waiting": 3}
    connection = refreshed(connection)
    assert connection.state == Connection.State.ADOPTED and connection.adopted_at is not None
    finance = department(company, "Finance")
    accounts = department(company, "Accounts Payable", finance)
    invoices = department(company, "Invoices", accounts)
    disputes = department(company, "Disputes", invoices)
    assert disputes.depth == 3
    links = {link.dept_id: link.department_id for link in DepartmentLink.objects.for_tenant(company.tenant)}
    assert links[seeded.finance] == finance.pk and links[seeded.disputes] == disputes.pk
    dora = Member.objects.for_tenant(company.tenant).get(email="dora@acme.com.hk")
    assert dora.title == "Clerk" and dora.mobile == "+85291000010" and dora.state == MemberState.INVITED
    assert [d.pk for d in dora.departments.all()] == [disputes.pk]
    tess = Member.objects.for_tenant(company.tenant).get(email="tess@acme.com.hk")
    assert {d.name for d in tess.departments.all()} == {"Sales", "Operations"}
    assert tess.employee_number == "T-2"
    assert Member.objects.for_tenant(company.tenant).filter(email="ivy@acme.com.hk").exists()
    gary = MemberLink.objects.for_tenant(company.tenant).get(userid="gary")
    assert gary.member_id == company.member.pk and gary.situation == MemberLink.Situation.LINKED  # type: ignore[union-attr]
    assert gary.unionid
    counts = link_counts(connection)
    assert counts["linked"] == 8 and counts["disputed"] == 1 and counts["unmatched"] == 2

    # A person settles the dispute (one of the candidates) and links the person DingTalk has no email for.
    helen = SyncItem.objects.for_tenant(company.tenant).get(run=run, userid="helen")
    with pytest.raises(Invalid):
        sync_actions.decide_item(admin, helen, dora)  # not one of the candidates
    sync_actions.decide_item(admin, helen, company.outsider)
    nomail = SyncItem.objects.for_tenant(company.tenant).get(run=run, userid="nomail")
    no_mail_member = Member.objects.for_tenant(company.tenant).get(email="helen@acme.com.hk")
    with pytest.raises(Conflict):  # Helen is linked to the DingTalk user "helen" now
        sync_actions.decide_item(admin, nomail, no_mail_member)
    elsewhere = SyncItem.objects.for_tenant(company.tenant).get(run=run, userid="elsewhere")
    sync_actions.decide_item(admin, elsewhere, None)

    helen.refresh_from_db()
    elsewhere.refresh_from_db()
    assert helen.outcome == Outcome.APPLIED and helen.confirmed_by == admin
    assert elsewhere.outcome == Outcome.SKIPPED
    assert MemberLink.objects.for_tenant(company.tenant).get(userid="helen").member_id == company.outsider.pk  # type: ignore[union-attr]
    counts = link_counts(connection)
    assert counts["linked"] == 9 and counts["disputed"] == 0 and counts["unmatched"] == 2

    # Adopting again finds everything settled: nothing new to do.
    again = sync_actions.plan_adoption(admin, connection)
    assert {op for op in ops(again)} <= {Op.CANNOT_ADOPT}
    assert again.counts["settled"]["member_linked"] == 9


def test_a_person_links_an_account_dingtalk_has_no_email_for(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    dingtalk_emulator.add_user(name="No Mail", mobile="13800138000", userid="nomail")
    connection = connect_to(company, dingtalk_emulator)
    run = adopt_all(company, connection)
    item = SyncItem.objects.for_tenant(company.tenant).get(run=run, userid="nomail")
    assert item.op == Op.CANNOT_ADOPT and item.outcome == Outcome.WAITING

    sync_actions.decide_item(company.admin, item, company.outsider)  # type: ignore[arg-type]

    link = MemberLink.objects.for_tenant(company.tenant).get(userid="nomail")
    assert link.member_id == company.outsider.pk and link.situation == MemberLink.Situation.LINKED  # type: ignore[union-attr]


def test_more_than_a_page_of_people_in_one_department_are_all_adopted(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    seeded = seed_directory(dingtalk_emulator, company, sales_people=130)
    connection = connect_to(company, dingtalk_emulator)

    adopt_all(company, connection)

    sales = department(company, "Sales")
    sellers = Member.objects.for_tenant(company.tenant).filter(email__startswith="seller")
    assert sellers.count() == 130
    assert all(m.departments.get() == sales for m in sellers[:5])
    assert len(dingtalk_emulator.directory.members[seeded.sales]) == 131  # Tess too


def test_only_a_manager_of_the_connection_may_adopt(company: Company, dingtalk_emulator: Emulator) -> None:
    connection = connect_to(company, dingtalk_emulator)
    with pytest.raises(Forbidden):
        sync_actions.plan_adoption(company.member, connection)  # type: ignore[arg-type]
    assert not SyncRun.objects.for_tenant(company.tenant).exists()
