"""Tasks go through the real database backend and are run by the worker loop, once each, however many
workers share the queue."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from harbour.jobs.models import Job, JobState
from harbour.jobs.worker import HarbourWorker, RunReport, run_until_idle
from tests.factories import Company
from tests.jobs.tasks import RUNS, add, count_run, fail_until_fixed


def test_the_default_backend_is_the_database() -> None:
    assert isinstance(task_backends["default"], DatabaseBackend)


@pytest.mark.django_db
def test_enqueued_task_is_run_by_the_worker_and_its_result_recorded(company: Company) -> None:
    result = add.enqueue(2, 3, tenant_id=str(company.tenant.pk))
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.READY
    job = Job.objects.get(pk=result.id)
    assert job.tenant_id == company.tenant.pk and job.state == JobState.QUEUED

    reports: list[RunReport] = []
    assert run_until_idle(report=reports.append) == 1

    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.return_value == 5
    assert stored.started_at is not None and stored.finished_at is not None
    assert len(stored.worker_ids) == 1
    assert [r.finished for r in reports] == [False, True]
    result.refresh()
    assert result.return_value == 5


@pytest.mark.django_db
def test_a_task_without_tenant_id_is_platform_wide() -> None:
    result = add.enqueue(1, 1)
    assert Job.objects.get(pk=result.id).tenant_id is None


@pytest.mark.django_db
def test_a_failing_task_is_recorded_failed_with_its_error(company: Company) -> None:
    result = fail_until_fixed.enqueue(tenant_id=str(company.tenant.pk), key="bank-feed")
    run_until_idle()
    job = Job.objects.select_related("result").get(pk=result.id)
    assert job.state == JobState.FAILED
    assert job.error_summary == "RuntimeError: the upstream service is down (bank-feed)"
    assert "Traceback" in job.result.traceback
    assert job.result.exception_class_path == "builtins.RuntimeError"


@pytest.mark.django_db
def test_worker_takes_only_its_queues() -> None:
    result = add.using(queue_name="maintenance").enqueue(1, 2)
    assert run_until_idle(queues=["default"]) == 0
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert run_until_idle(queues=["maintenance"]) == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_max_tasks_stops_the_worker() -> None:
    for n in range(3):
        add.enqueue(n, n)
    assert run_until_idle(max_tasks=2) == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_task_once() -> None:
    keys = [f"run-{n}" for n in range(24)]
    for key in keys:
        count_run.enqueue(key=key)
    done: list[int] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            done.append(run_until_idle())
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()

    assert sum(done) == len(keys)
    assert {RUNS[key] for key in keys} == {1}
    results = DBTaskResult.objects.filter(task_path="tests.jobs.tasks.count_run")
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)


@pytest.mark.django_db(transaction=True)
def test_a_worker_in_a_thread_runs_queued_tasks_and_stops_when_told() -> None:
    from harbour.jobs.worker import start_in_thread

    result = add.enqueue(20, 22)
    finished = threading.Event()
    worker, thread = start_in_thread(
        interval=0.05, report=lambda run: finished.set() if run.finished else None
    )
    try:
        assert finished.wait(timeout=30)
    finally:
        worker.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert DBTaskResult.objects.get(pk=result.id).return_value == 42
    assert isinstance(worker, HarbourWorker)
