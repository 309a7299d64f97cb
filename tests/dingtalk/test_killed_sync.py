"""kill -9 while a sync is being applied: resuming the run finishes it, and DingTalk holds each member exactly
once — a create whose outcome was lost with the process is recognised, not made twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from harbour.core.permissions import SystemActor
from harbour.directory import actions as directory
from harbour.directory.models import Member
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import SyncItem, SyncRun
from harbour.integrations.dingtalk.sync.fields import userid_for
from tests.child_process import database_env
from tests.dingtalk.sync_support import adopt_all, connect_to, ops, refreshed
from tests.dingtalk_emulator import Emulator
from tests.factories import make_company

PEOPLE = 150
CHILD = """
import sys, uuid, django
django.setup()
from harbour.core.permissions import SystemActor
from harbour.integrations.dingtalk.actions.sync import apply_run
from harbour.integrations.dingtalk.models import SyncRun
tenant = uuid.UUID(sys.argv[1])
apply_run(SystemActor(tenant, "killed sync"), SyncRun.objects.for_tenant(tenant).get(pk=sys.argv[2]))
"""


@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_mid_apply_resumes_and_adds_everyone_exactly_once(dingtalk_emulator: Emulator) -> None:
    company = make_company("killed", domains=["killed.hk"])
    system = company.system
    hr = company.departments["hr"]
    directory.bulk_create_members(
        system,
        [
            directory.MemberSpec(
                email=f"k{i}@killed.hk", name=f"Kept {i}", mobile=f"+86 138 0013 {i:04d}", departments=[hr]
            )
            for i in range(PEOPLE)
        ],
    )
    for i, member in enumerate([company.admin, company.manager, company.member, company.outsider]):
        directory.update_member(system, member, mobile=f"+852 9100 000{i}")  # type: ignore[arg-type]
    connection = connect_to(company, dingtalk_emulator)
    adopt_all(company, connection)
    run = sync_actions.plan_sync(system, refreshed(connection))
    members = list(Member.objects.for_tenant(company.tenant))
    assert ops(run)[SyncItem.Op.CREATE_USER] == len(members)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(company.tenant.pk), str(run.pk)],
        env=database_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    applied = SyncItem.objects.for_tenant(company.tenant).filter(run=run, outcome=SyncItem.Outcome.APPLIED)
    deadline = time.monotonic() + 300
    while applied.count() < 40 and time.monotonic() < deadline:
        assert child.poll() is None, child.stderr.read() if child.stderr else "the child ended"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    crashed = SyncRun.objects.for_tenant(company.tenant).get(pk=run.pk)
    assert crashed.state == SyncRun.State.APPLYING
    done = applied.count()
    assert 40 <= done < len(members) + 3  # killed part-way

    resumed = sync_actions.apply_run(SystemActor(company.tenant.pk, "resume"), crashed)

    assert resumed.state == SyncRun.State.APPLIED, resumed.error
    assert resumed.counts["outcomes"] == {"applied": len(members) + 3}  # the three departments too
    emails = [str(u.get("email") or "").lower() for u in dingtalk_emulator.users.values()]
    for member in members:
        assert emails.count(member.email) == 1, member.email
        assert userid_for(member.pk) in dingtalk_emulator.users
    assert len(dingtalk_emulator.users) == len(members)
    again = sync_actions.plan_sync(system, refreshed(connection))
    assert ops(again) == {}
