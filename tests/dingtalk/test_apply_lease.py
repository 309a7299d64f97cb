"""One applier per run: a second apply while a live worker holds the run is refused and changes nothing; a
holder that died (its process gone, or its heartbeat stale) is taken over, so a killed run resumes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from harbour.core.errors import Conflict
from harbour.core.time import now
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import SyncItem, SyncRun
from tests.dingtalk.sync_support import adopt_all, connect_to, give_mobiles, refreshed
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


def _planned(company: Company, emu: Emulator) -> SyncRun:
    give_mobiles(company)
    connection = connect_to(company, emu)
    adopt_all(company, connection)
    assert company.admin is not None
    return sync_actions.plan_sync(company.admin, refreshed(connection))


def _hold(run: SyncRun, applier: str, heartbeat: dt.datetime) -> None:
    SyncRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk).update(
        state=SyncRun.State.APPLYING, applier=applier, heartbeat_at=heartbeat
    )


def test_a_live_applier_on_another_host_keeps_the_run(company: Company, dingtalk_emulator: Emulator) -> None:
    run = _planned(company, dingtalk_emulator)
    _hold(run, "other-host:4242:1", now())
    with pytest.raises(Conflict):
        sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]
    pending = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run, outcome="")
    assert pending.count() == SyncItem.objects.for_tenant(run.tenant_id).filter(run=run).count()
    assert not [u for u in dingtalk_emulator.users.values() if u["userid"].startswith("hb")]


def test_a_stale_heartbeat_is_taken_over(company: Company, dingtalk_emulator: Emulator) -> None:
    run = _planned(company, dingtalk_emulator)
    _hold(run, "other-host:4242:1", now() - dt.timedelta(minutes=5))
    applied = sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]
    assert applied.state == SyncRun.State.APPLIED
    assert applied.applier == ""


def test_a_dead_process_on_this_host_is_taken_over_at_once(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    import socket

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead_pid = int(finished.stdout)
    run = _planned(company, dingtalk_emulator)
    _hold(run, f"{socket.gethostname()}:{dead_pid}:1", now())
    applied = sync_actions.apply_run(company.admin, run)  # type: ignore[arg-type]
    assert applied.state == SyncRun.State.APPLIED
