"""Applying a sync against the emulated DingTalk: nested departments created parent first, members added and
updated, irreversible deletes only once confirmed; DingTalk's refusals kept per item, a token expiring
mid-run and a low rate limit absorbed, and a run stopped by missing rights resumed later."""

from __future__ import annotations

import pytest

from harbour.core.errors import Conflict
from harbour.directory import actions as directory
from harbour.directory.models import Member
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.client import AlreadyExists, NoPermission, Refused
from harbour.integrations.dingtalk.models import Connection, DepartmentLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.sync.fields import userid_for
from tests.dingtalk.sync_support import (
    adopt_all,
    connect_to,
    department,
    give_mobiles,
    items,
    link_of,
    ops,
    refreshed,
    sync_once,
)
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

Op = SyncItem.Op
Outcome = SyncItem.Outcome
pytestmark = pytest.mark.django_db


def _adopted(company: Company, emu: Emulator, **options: object) -> Connection:
    give_mobiles(company)
    finance = emu.add_department("Finance")
    emu.add_department("Accounts Payable", parent_id=finance)
    emu.add_user(name="Stranger", mobile="+852-98888888", dept_ids=[finance], userid="stranger")
    connection = connect_to(company, emu, **options)
    adopt_all(company, connection)
    return refreshed(connection)


def _people(company: Company, n: int, *, prefix: str = "p", where: str = "Human Resources") -> list[Member]:
    hr = department(company, where)
    specs = [
        directory.MemberSpec(
            email=f"{prefix}{i}@acme.com.hk",
            name=f"Person {prefix}{i}",
            mobile=f"+852 9{i + 200:03d} 5678",
            departments=[hr],
        )
        for i in range(n)
    ]
    return directory.bulk_create_members(company.system, specs)


def test_adopt_change_plan_apply_cycle(company: Company, dingtalk_emulator: Emulator) -> None:
    emu, system, admin = dingtalk_emulator, company.system, company.admin
    assert admin is not None and company.member is not None
    connection = _adopted(company, emu)
    finance = department(company, "Finance")
    treasury = directory.create_department(system, name="Treasury", parent=finance)
    cash = directory.create_department(system, name="Cash", parent=treasury)
    petty = directory.create_department(system, name="Petty Cash", parent=cash)
    directory.update_member(system, company.member, departments=[petty])  # a move four levels deep

    run = sync_once(company, connection)

    assert run.state == SyncRun.State.APPLIED, run.error
    assert run.counts["outcomes"] == {"applied": 4 + 4, "waiting": 1}  # 4 departments, 4 people; stranger
    dept_of = {link.department_id: link.dept_id for link in DepartmentLink.objects.for_tenant(company.tenant)}
    assert emu.departments[dept_of[petty.pk]]["parent_id"] == dept_of[cash.pk]
    assert emu.departments[dept_of[cash.pk]]["parent_id"] == dept_of[treasury.pk]
    assert emu.departments[dept_of[treasury.pk]]["parent_id"] == dept_of[finance.pk]
    gary = emu.users[userid_for(company.member.pk)]
    assert gary["dept_id_list"] == [dept_of[petty.pk]]
    assert gary["mobile"] == "+852-91000002" and gary["email"] == "gary@acme.com.hk"
    assert link_of(company.member).userid == gary["userid"]
    assert run.api_calls > 0

    # Change Harbour again: a rename, a move, a new title; the next cycle sends just that.
    directory.rename_department(system, cash, name="Cash Office")
    directory.move_department(system, petty, parent=treasury)
    directory.update_member(system, company.member, title="Cashier")
    second = sync_once(company, connection)
    assert ops(second) == {Op.UPDATE_DEPARTMENT: 2, Op.UPDATE_USER: 1, Op.ONLY_IN_DINGTALK: 1}
    assert emu.departments[dept_of[cash.pk]]["name"] == "Cash Office"
    assert emu.departments[dept_of[petty.pk]]["parent_id"] == dept_of[treasury.pk]
    assert emu.users[userid_for(company.member.pk)]["title"] == "Cashier"

    # The stranger goes only once a person confirms; the apply after the confirmation removes them.
    stranger = next(i for i in items(second) if i.op == Op.ONLY_IN_DINGTALK)
    assert "stranger" in emu.users
    sync_actions.confirm_item(admin, stranger)
    sync_actions.apply_run(admin, second)
    assert "stranger" not in emu.users
    with pytest.raises(Conflict):
        sync_actions.apply_run(admin, second)  # nothing left to apply


def test_a_deleted_department_waits_for_confirmation_and_goes_after_its_members(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    emu, system, admin = dingtalk_emulator, company.system, company.admin
    assert admin is not None and company.member is not None
    connection = _adopted(company, emu)
    doomed = directory.create_department(system, name="Doomed")
    directory.update_member(system, company.member, departments=[doomed])
    sync_once(company, connection)
    doomed_id = DepartmentLink.objects.for_tenant(company.tenant).get(department=doomed).dept_id
    accounts = department(company, "Accounts Payable", department(company, "Finance"))
    directory.update_member(system, company.member, departments=[accounts])
    directory.delete_department(system, doomed)

    run = sync_once(company, connection)

    delete = next(i for i in items(run) if i.op == Op.DELETE_DEPARTMENT)
    assert delete.outcome == Outcome.WAITING and doomed_id in emu.departments
    sync_actions.confirm_item(admin, delete)
    run = sync_actions.apply_run(admin, run)
    assert doomed_id not in emu.departments
    delete.refresh_from_db()
    assert delete.outcome == Outcome.APPLIED and delete.confirmed_by == admin
    assert DepartmentLink.objects.for_tenant(company.tenant).get(dept_id=doomed_id).removed_at is not None


def test_an_access_token_expiring_mid_run_does_not_stop_it(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    connection = _adopted(company, dingtalk_emulator)
    _people(company, 6)
    run = sync_actions.plan_sync(company.admin, connection)  # type: ignore[arg-type]

    def expire(_n: int) -> None:
        dingtalk_emulator.expire_tokens()

    run = sync_actions.apply_run(company.admin, run, progress=expire)  # type: ignore[arg-type]

    assert run.state == SyncRun.State.APPLIED
    assert run.counts["outcomes"].get("failed", 0) == 0
    assert all(userid_for(m.pk) in dingtalk_emulator.users for m in Member.objects.for_tenant(company.tenant))


@pytest.mark.parametrize("dingtalk_emulator", [{"qps_per_api": 5}], indirect=True)
def test_a_low_rate_limit_is_kept_without_a_single_throttle_error(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    connection = _adopted(company, dingtalk_emulator, qps_limit=5)
    _people(company, 20)

    run = sync_once(company, connection)

    assert run.state == SyncRun.State.APPLIED
    assert run.counts["outcomes"] == {"applied": 1 + 24, "waiting": 1}  # Human Resources, 24 people
    assert (
        not SyncItem.objects.for_tenant(company.tenant)
        .filter(run=run, error_code__in=["90018", "88"])
        .exists()
    )
    assert run.api_calls >= 24


def test_dingtalk_refusals_fail_their_item_and_the_run_goes_on(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    emu = dingtalk_emulator
    connection = _adopted(company, emu)
    people = _people(company, 3, where="Finance")
    run = sync_actions.plan_sync(company.admin, connection)  # type: ignore[arg-type]
    emu.fail_next("/topapi/v2/department/create", errcode=60001)  # Human Resources: a bad name
    emu.fail_next("/topapi/v2/user/create", errcode=60104)  # the first to add: mobile taken

    run = sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]

    assert run.state == SyncRun.State.APPLIED
    failed = [i for i in items(run) if i.outcome == Outcome.FAILED]
    coded = [(i.op, i.error_code, i.message) for i in failed if i.error_code]
    assert coded == [
        (Op.CREATE_DEPARTMENT, "60001", str(Refused.explanation)),
        (Op.CREATE_USER, "60104", str(AlreadyExists.explanation)),
    ]
    in_hr = [i for i in failed if not i.error_code]  # Ada and Helen: their department is not there
    assert {i.member_id for i in in_hr} == {company.admin.pk, company.outsider.pk}  # type: ignore[union-attr]
    assert all("Human Resources is not in DingTalk yet" in i.message for i in in_hr)
    assert (
        sum(1 for m in people if userid_for(m.pk) in emu.users)
        + (
            userid_for(company.manager.pk) in emu.users  # type: ignore[union-attr]
        )
        == 3
    )  # four to add outside Human Resources, one refused

    again = sync_once(company, connection)  # the next run picks up what failed
    assert again.counts["outcomes"].get("failed", 0) == 0
    assert all(userid_for(m.pk) in emu.users for m in people)


def test_missing_api_permission_stops_the_run_and_a_resume_finishes_it(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    emu = dingtalk_emulator
    connection = _adopted(company, emu)
    people = _people(company, 4)
    run = sync_actions.plan_sync(company.admin, connection)  # type: ignore[arg-type]
    emu.fail_next("/topapi/v2/user/create", errcode=88, sub_code="60011")

    run = sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]

    assert run.state == SyncRun.State.FAILED
    assert run.error.startswith("60011") and str(NoPermission.explanation) in run.error
    pending = SyncItem.objects.for_tenant(company.tenant).filter(run=run, outcome=Outcome.PENDING)
    assert pending.filter(op=Op.CREATE_USER).count() == 4 + 4  # the stopped one and every later one

    run = sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]

    assert run.state == SyncRun.State.APPLIED and run.error == ""
    assert all(userid_for(m.pk) in emu.users for m in people)


def test_a_busy_dingtalk_is_retried_by_the_client(company: Company, dingtalk_emulator: Emulator) -> None:
    connection = _adopted(company, dingtalk_emulator)
    dingtalk_emulator.fail_next("/topapi/v2/user/create", errcode=-1, times=2)

    run = sync_once(company, connection)

    assert run.counts["outcomes"].get("failed", 0) == 0
