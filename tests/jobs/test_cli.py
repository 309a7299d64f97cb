"""`harbour worker`: runs what is queued and due, shows what it runs, exits 0; stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from harbour.cli import main
from harbour.jobs.models import PeriodicRun
from harbour.jobs.schedule import periodic_jobs
from tests.jobs.tasks import add, fail_until_fixed


@pytest.mark.django_db
def test_worker_once_runs_the_queue_and_the_due_periodic_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    ok = add.enqueue(2, 2)
    bad = fail_until_fixed.enqueue(key="cli")
    assert main(["worker", "--once"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines at the terminal's width
    assert "periodic plans.renew_due" in out and "queued" in out  # today's renewal slot, caught up
    assert "▶ add" in out and "✓ add succeeded" in out
    assert "✗ fail_until_fixed failed" in out and "the upstream service is down (cli)" in out
    periodic = len(periodic_jobs())  # every periodic job's latest slot is caught up once
    assert f"Worker stopped after {2 + periodic} task(s)." in out
    assert DBTaskResult.objects.get(pk=ok.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=bad.id).status == TaskResultStatus.FAILED
    assert PeriodicRun.objects.filter(name="plans.renew_due").count() == 1

    assert main(["worker", "--batch", "--no-schedule"]) == 0  # nothing left, nothing new
    assert "after 0 task(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_worker_refuses_an_unknown_queue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "--once", "--queue", "default,emails"]) == 2
    assert "no queue 'emails'" in capsys.readouterr().err


@pytest.mark.django_db
def test_sigterm_stops_the_worker_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert main(["worker", "--interval", "0.05", "--no-schedule"]) == 0
    finally:
        timer.cancel()
    assert "Worker stopped after 0 task(s)." in capsys.readouterr().out
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back
