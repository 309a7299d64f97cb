"""kill -9 during an import's apply: running the same command again converges — every employee has exactly
one account, none lost, none twice — and the crashed run can also be resumed where it stopped."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harbour.directory.models import Member
from harbour.lifecycle.models import SyncItem, SyncRun
from tests.child_process import database_env
from tests.factories import make_company

EMPLOYEES = 3000


def _import(path: Path, env: dict[str, str], **popen: Any) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "harbour.cli",
        "import",
        "hr",
        str(path),
        "--tenant",
        "killed",
        "--apply",
    ]
    return subprocess.Popen(command, env=env, **popen)


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_apply_converges_when_run_again(tmp_path: Path) -> None:
    company = make_company("killed", domains=["killed.hk"], seats=EMPLOYEES + 10)
    before = Member.objects.for_tenant(company.tenant).count()
    rows = [f"K{i:05d},person{i}@killed.hk,Person {i},Finance,Clerk" for i in range(EMPLOYEES)]
    path = tmp_path / "hr.csv"
    path.write_text("employee number,email,name,department,title\n" + "\n".join(rows) + "\n")
    env = database_env()
    proc = _import(path, env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while Member.objects.for_tenant(company.tenant).count() - before < 1000 and time.monotonic() < deadline:
        assert proc.poll() is None, "the import finished before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    made = Member.objects.for_tenant(company.tenant).count() - before
    assert 0 < made < EMPLOYEES  # killed part-way
    crashed = SyncRun.objects.for_tenant(company.tenant).get()
    assert crashed.state == SyncRun.State.APPLYING
    applied = SyncItem.objects.for_tenant(company.tenant).filter(run=crashed, outcome="applied").count()
    assert applied == made  # each committed batch recorded its own outcome, nothing more

    again = _import(path, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, (out[-2000:], err[-2000:])
    employees = Member.objects.for_tenant(company.tenant).filter(employee_number__startswith="K")
    assert employees.count() == EMPLOYEES
    assert employees.values("employee_number").distinct().count() == EMPLOYEES
    assert employees.values("email").distinct().count() == EMPLOYEES
    second = SyncRun.objects.for_tenant(company.tenant).exclude(pk=crashed.pk).get()
    assert second.counts["create"] == EMPLOYEES - made  # the first run's joiners are matched, not re-made
