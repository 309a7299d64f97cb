"""Leavers leave DingTalk: at once when HR marks them (the worker removes them), or at the next sync cycle;
a suspension without a departure is not a leaver; a rehire is added again."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.directory import actions as directory
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import Connection, MemberLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.sync.fields import userid_for
from harbour.jobs.worker import run_until_idle
from harbour.lifecycle.leavers import freeze_leaver, rehire
from tests.dingtalk.sync_support import adopt_all, connect_to, give_mobiles, ops, refreshed, sync_once
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

Op = SyncItem.Op
pytestmark = pytest.mark.django_db


def _in_step(company: Company, emu: Emulator, **options: Any) -> Connection:
    """Adopted, then every member added to DingTalk."""
    give_mobiles(company)
    connection = connect_to(company, emu, **options)
    adopt_all(company, connection)
    sync_once(company, connection)
    assert company.member is not None and userid_for(company.member.pk) in emu.users
    return refreshed(connection)


def test_a_leaver_is_removed_from_dingtalk_at_once(
    company: Company, dingtalk_emulator: Emulator, django_capture_on_commit_callbacks: Any
) -> None:
    _in_step(company, dingtalk_emulator)
    gary = company.member
    assert gary is not None

    with django_capture_on_commit_callbacks(execute=True):
        freeze_leaver(company.system, gary, reason="resigned")
    assert userid_for(gary.pk) in dingtalk_emulator.users  # not yet: the worker does it
    run_until_idle()

    assert userid_for(gary.pk) not in dingtalk_emulator.users
    link = MemberLink.objects.for_tenant(company.tenant).get(userid=userid_for(gary.pk))
    assert link.removed_at is not None and link.situation == MemberLink.Situation.DELETED
    run = SyncRun.objects.for_tenant(company.tenant).get(trigger=SyncRun.Trigger.LEAVER)
    assert run.state == SyncRun.State.APPLIED and ops(run) == {Op.DELETE_USER: 1}
    assert dingtalk_emulator.leave_records[-1]["userId"] == userid_for(gary.pk)


def test_a_suspension_without_a_departure_is_not_a_leaver(
    company: Company, dingtalk_emulator: Emulator, django_capture_on_commit_callbacks: Any
) -> None:
    connection = _in_step(company, dingtalk_emulator)
    gary = company.member
    assert gary is not None

    with django_capture_on_commit_callbacks(execute=True):
        directory.suspend_member(company.system, gary, reason="investigation")
    run_until_idle()
    run = sync_actions.plan_sync(company.admin, connection)  # type: ignore[arg-type]

    assert userid_for(gary.pk) in dingtalk_emulator.users
    assert Op.DELETE_USER not in ops(run)


def test_in_cycle_mode_the_next_plan_removes_the_leaver(
    company: Company, dingtalk_emulator: Emulator, django_capture_on_commit_callbacks: Any
) -> None:
    connection = _in_step(company, dingtalk_emulator, leaver_mode="cycle")
    gary = company.member
    assert gary is not None

    with django_capture_on_commit_callbacks(execute=True):
        freeze_leaver(company.system, gary)
    run_until_idle()
    assert userid_for(gary.pk) in dingtalk_emulator.users  # waits for the cycle

    run = sync_actions.run_cycle(refreshed(connection))

    assert run is not None and run.trigger == SyncRun.Trigger.SCHEDULE
    assert ops(run) == {Op.DELETE_USER: 1}
    assert userid_for(gary.pk) not in dingtalk_emulator.users
    assert refreshed(connection).last_cycle_at is not None


def test_a_rehired_leaver_is_added_to_dingtalk_again(
    company: Company, dingtalk_emulator: Emulator, django_capture_on_commit_callbacks: Any
) -> None:
    connection = _in_step(company, dingtalk_emulator)
    gary = company.member
    assert gary is not None
    with django_capture_on_commit_callbacks(execute=True):
        freeze_leaver(company.system, gary)
    run_until_idle()
    assert userid_for(gary.pk) not in dingtalk_emulator.users

    rehire(company.system, gary)
    run = sync_once(company, connection)

    assert ops(run) == {Op.CREATE_USER: 1}
    assert userid_for(gary.pk) in dingtalk_emulator.users
    link = MemberLink.objects.for_tenant(company.tenant).get(member=gary, removed_at__isnull=True)
    assert link.situation == MemberLink.Situation.LINKED


def test_the_periodic_job_cycles_only_connections_that_are_due(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    from harbour.integrations.dingtalk.tasks import due_connections, run_sync_cycles_task

    connection = _in_step(company, dingtalk_emulator)
    assert [c.pk for c in due_connections()] == [connection.pk]  # never cycled yet

    run_sync_cycles_task.enqueue()
    run_until_idle()

    assert refreshed(connection).last_cycle_at is not None
    assert due_connections() == []
