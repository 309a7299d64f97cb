"""Harbour as the source: the dry run compares Harbour with what DingTalk holds and lists each change, in the
order it is applied, without changing anything in DingTalk."""

from __future__ import annotations

import pytest

from harbour.core.errors import Conflict
from harbour.directory import actions as directory
from harbour.directory.models import Member
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import Connection, SyncItem
from harbour.integrations.dingtalk.sync.fields import userid_for
from harbour.lifecycle.leavers import freeze_leaver
from tests.dingtalk.sync_support import adopt_all, connect_to, department, give_mobiles, items, ops, refreshed
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

Op = SyncItem.Op
Outcome = SyncItem.Outcome
pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(company: Company, dingtalk_emulator: Emulator) -> Connection:
    """DingTalk holds Finance › Accounts Payable with Gary, and a stranger; Harbour adopted it."""
    give_mobiles(company)
    finance = dingtalk_emulator.add_department("Finance")
    accounts = dingtalk_emulator.add_department("Accounts Payable", parent_id=finance)
    dingtalk_emulator.add_user(
        name="Gary General",
        mobile="+852-91000002",
        dept_ids=[accounts],
        email="gary@acme.com.hk",
        userid="gary",
        job_number=company.member.employee_number,  # type: ignore[union-attr]
    )
    dingtalk_emulator.add_user(name="Stranger", mobile="+852-98888888", dept_ids=[finance], userid="stranger")
    connection = connect_to(company, dingtalk_emulator)
    adopt_all(company, connection)
    return refreshed(connection)


def test_a_sync_before_adoption_is_refused(company: Company, dingtalk_emulator: Emulator) -> None:
    connection = connect_to(company, dingtalk_emulator)
    with pytest.raises(Conflict):
        sync_actions.plan_sync(company.admin, connection)  # type: ignore[arg-type]


def test_the_plan_lists_creates_updates_and_what_waits_for_a_person(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    system, admin = company.system, company.admin
    assert admin is not None and company.member is not None
    finance = department(company, "Finance")
    treasury = directory.create_department(system, name="Treasury", parent=finance)
    cash = directory.create_department(system, name="Cash", parent=treasury)
    directory.update_member(system, company.member, title="Senior Clerk", mobile="+852 6123 4567")
    nomobile = directory.invite_member(
        system, directory.MemberSpec(email="nomobile@acme.com.hk", name="No Mobile", departments=[cash])
    )
    calls_before = len(dingtalk_emulator.calls)

    run = sync_actions.plan_sync(admin, adopted)

    writes = [
        c for c in dingtalk_emulator.calls[calls_before:] if not c.path.endswith(("list", "listsub", "get"))
    ]
    assert writes == [c for c in writes if "token" in c.path.lower()]  # a dry run writes nothing
    assert ops(run) == {
        Op.CREATE_DEPARTMENT: 2,  # Treasury, Cash (Human Resources too: see below)
        Op.CREATE_USER: 3,  # Ada, Fiona, Helen
        Op.UPDATE_USER: 1,  # Gary's title
        Op.BLOCKED: 1,  # no mobile number
        Op.ONLY_IN_DINGTALK: 1,  # the stranger
    } | {Op.CREATE_DEPARTMENT: 3}
    planned = items(run)
    creates = [i for i in planned if i.op == Op.CREATE_DEPARTMENT]
    assert [c.depth for c in creates] == sorted(c.depth for c in creates)
    assert [c.label for c in creates if c.label != "Human Resources"] == ["Treasury", "Cash"]
    assert planned.index(creates[-1]) < min(planned.index(i) for i in planned if i.op == Op.CREATE_USER)
    gary = next(i for i in planned if i.op == Op.UPDATE_USER)
    assert gary.payload["fields"] == {"title": "Senior Clerk"}
    assert gary.before == {"title": None}
    assert "mobile" not in gary.payload["fields"]
    assert "cannot change a mobile number" in gary.reason and "+85261234567" in gary.reason
    ada = next(i for i in planned if i.op == Op.CREATE_USER and i.member_id == admin.pk)
    assert ada.userid == userid_for(admin.pk) and ada.payload["mobile"] == "+852-91000000"
    blocked = next(i for i in planned if i.op == Op.BLOCKED)
    assert blocked.member_id == nomobile.pk and "mobile" in blocked.reason
    stranger = next(i for i in planned if i.op == Op.ONLY_IN_DINGTALK)
    assert stranger.needs_confirmation and stranger.outcome == Outcome.WAITING
    assert planned[-1] == stranger


def test_renames_moves_leavers_and_deleted_departments_are_planned_in_order(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    system, admin = company.system, company.admin
    assert admin is not None and company.member is not None
    doomed = directory.create_department(system, name="Doomed")
    sync_actions.apply_run(admin, sync_actions.plan_sync(admin, adopted))  # everything in step
    finance = department(company, "Finance")
    accounts = department(company, "Accounts Payable", finance)
    hr = department(company, "Human Resources")
    directory.rename_department(system, accounts, name="Payables")
    directory.move_department(system, hr, parent=finance)
    freeze_leaver(system, company.member)
    directory.delete_department(system, doomed)

    run = sync_actions.plan_sync(admin, refreshed(adopted))

    planned = items(run)
    updates = {i.label: i for i in planned if i.op == Op.UPDATE_DEPARTMENT}
    assert updates["Payables"].before["name"] == "Accounts Payable"
    assert updates["Human Resources"].before["parent_id"] == 1
    leaver = next(i for i in planned if i.op == Op.DELETE_USER)
    assert leaver.member_id == company.member.pk and not leaver.needs_confirmation
    assert leaver.outcome == Outcome.PENDING  # HR's leaver is the confirmation
    delete = next(i for i in planned if i.op == Op.DELETE_DEPARTMENT)
    assert delete.label == "Doomed" and delete.needs_confirmation and delete.outcome == Outcome.WAITING
    assert planned.index(delete) > planned.index(leaver)


def test_a_second_plan_after_applying_finds_nothing_to_do(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    admin = company.admin
    assert admin is not None
    sync_actions.apply_run(admin, sync_actions.plan_sync(admin, adopted))

    again = sync_actions.plan_sync(admin, refreshed(adopted))

    assert ops(again) == {Op.ONLY_IN_DINGTALK: 1}  # only the stranger, still waiting for a person
    assert again.counts["settled"]["member_linked"] == Member.objects.for_tenant(company.tenant).count()
