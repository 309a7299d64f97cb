"""Periodic jobs: cron expressions read in Hong Kong time, checked at declaration; each due slot enqueued
exactly once, even by schedulers racing in several workers; one catch-up run after downtime."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from harbour.audit.models import AuditEvent
from harbour.core.time import HONG_KONG
from harbour.jobs import schedule
from harbour.jobs import scheduler as scheduler_module
from harbour.jobs.cron import Cron, CronError
from harbour.jobs.models import PeriodicRun
from harbour.jobs.schedule import PERIODIC, Periodic, check, periodic_jobs, register_periodic
from harbour.jobs.scheduler import Enqueued, Scheduler
from harbour.jobs.worker import run_until_idle
from harbour.plans.models import Subscription
from harbour.plans.tasks import renew_due_subscriptions_task
from tests.factories import Company
from tests.jobs.tasks import RUNS, add, count_run


def hk(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=HONG_KONG)


# ------------------------------------------------------------------------------------------ cron parsing
def test_slots_are_read_in_hong_kong_time() -> None:
    daily = Cron.parse("10 0 * * *")
    assert daily.latest_at_or_before(hk(2026, 11, 2, 0, 10)) == hk(2026, 11, 2, 0, 10)
    assert daily.latest_at_or_before(hk(2026, 11, 2, 0, 9, 59)) == hk(2026, 11, 1, 0, 10)
    assert daily.next_after(hk(2026, 11, 2, 0, 10)) == hk(2026, 11, 3, 0, 10)
    # 00:10 in Hong Kong is 16:10 UTC the day before
    utc = dt.datetime(2026, 11, 1, 16, 30, tzinfo=dt.UTC)
    assert daily.latest_at_or_before(utc) == dt.datetime(2026, 11, 1, 16, 10, tzinfo=dt.UTC)


def test_ranges_steps_and_names() -> None:
    weekdays = Cron.parse("*/15 9-17 * * mon-fri")
    assert weekdays.next_after(hk(2026, 11, 6, 17, 50)) == hk(2026, 11, 9, 9, 0)  # Friday evening → Monday
    assert Cron.parse("  0  3 1 * * ").expression == "0 3 1 * *"


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("* * *", "five fields"),
        ("0 0 * * * *", "five fields"),  # seconds are not ours
        ("@daily", "five fields"),
        ("61 0 * * *", "not a valid cron expression"),
        ("0 25 * * *", "not a valid cron expression"),
        ("0 0 31 2 *", "not a valid cron expression"),  # never fires
        ("0 0 * * funday", "not a valid cron expression"),
        ("every day", "five fields"),
    ],
)
def test_bad_expressions_are_refused_with_a_clear_message(expression: str, says: str) -> None:
    with pytest.raises(CronError) as refused:
        Cron.parse(expression, name="reports.weekly")
    message = str(refused.value)
    assert says in message and "reports.weekly" in message and repr(expression) in message


def test_the_schedule_table_is_valid_and_renews_plans_daily() -> None:
    check(periodic_jobs())
    renewal = next(p for p in PERIODIC if p.name == "plans.renew_due")
    assert renewal.task is renew_due_subscriptions_task and renewal.cron == "10 0 * * *"


def test_register_periodic_checks_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "_registered", [])
    with pytest.raises(CronError, match=r"reports\.weekly"):
        register_periodic("reports.weekly", "0 9 * * 8", add, a=1, b=2)
    with pytest.raises(CronError, match="declared twice"):
        register_periodic("plans.renew_due", "0 9 * * *", add)
    with pytest.raises(CronError, match="plain values"):
        register_periodic("reports.weekly", "0 9 * * 1", add, a=object())
    entry = register_periodic("reports.weekly", "0 9 * * 1", add, a=1, b=2)
    assert entry in periodic_jobs()


# ------------------------------------------------------------------------------------------- scheduling
def _entry(name: str = "tests.count", cron: str = "*/5 * * * *", key: str = "tick") -> Periodic:
    return Periodic(name, cron, count_run, {"key": key})


@pytest.mark.django_db
def test_a_due_slot_is_enqueued_once_and_run_by_the_worker() -> None:
    scheduler = Scheduler([_entry()])
    at = hk(2026, 11, 2, 9, 7)
    first = scheduler.tick(at)
    assert first == [Enqueued("tests.count", hk(2026, 11, 2, 9, 5), first[0].task_result_id)]
    assert scheduler.tick(at) == []  # the next slot (09:10) is not due
    assert Scheduler([_entry()]).tick(at) == []  # another worker's scheduler: already enqueued
    assert run_until_idle() == 1
    assert RUNS["tick"] == 1
    later = scheduler.tick(hk(2026, 11, 2, 9, 10))
    assert [e.slot for e in later] == [hk(2026, 11, 2, 9, 10)]
    assert PeriodicRun.objects.filter(name="tests.count").count() == 2


@pytest.mark.django_db
def test_after_downtime_one_catch_up_run_not_one_per_missed_slot() -> None:
    Scheduler([_entry()]).tick(hk(2026, 11, 2, 9, 0))
    # the workers were down for three days: 864 slots of five minutes were missed
    caught_up = Scheduler([_entry()]).tick(hk(2026, 11, 5, 9, 2))
    assert [e.slot for e in caught_up] == [hk(2026, 11, 5, 9, 0)]
    assert DBTaskResult.objects.filter(task_path="tests.jobs.tasks.count_run").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("look_first", [True, False], ids=["as-shipped", "insert-race"])
def test_racing_schedulers_enqueue_each_slot_exactly_once(
    look_first: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four workers' schedulers tick at the same moment on separate connections, for several slots.
    Without the look before the insert, all four reach the insert and the unique constraint decides."""
    if not look_first:
        monkeypatch.setattr(scheduler_module, "already_enqueued", lambda name, slot: False)
    slots = [hk(2026, 11, 2, 9, m) for m in (0, 5, 10, 15, 20)]
    outcomes: list[Enqueued] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def worker() -> None:
        scheduler = Scheduler([_entry()])
        try:
            for at in slots:
                barrier.wait(timeout=30)
                done = scheduler.tick(at)
                with lock:
                    outcomes.extend(done)
        except BaseException as exc:  # reported below, so a crash fails the test with its cause
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()

    assert errors == []
    assert sorted(e.slot for e in outcomes) == slots
    assert PeriodicRun.objects.count() == len(slots)
    queued = DBTaskResult.objects.filter(task_path="tests.jobs.tasks.count_run")
    assert queued.count() == len(slots)
    assert {str(r.pk) for r in queued} == {e.task_result_id for e in outcomes}


@pytest.mark.django_db
def test_the_renewal_job_renews_a_due_subscription_and_a_rerun_changes_nothing(company: Company) -> None:
    subscription = Subscription.objects.for_tenant(company.tenant).get()
    subscription.renews_on = subscription.started_on
    subscription.save()
    renewal = next(p for p in periodic_jobs() if p.name == "plans.renew_due")
    Scheduler([renewal]).tick()
    assert run_until_idle() == 1
    result = DBTaskResult.objects.get(task_path="harbour.plans.tasks.renew_due_subscriptions_task")
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 1
    renewed = Subscription.objects.for_tenant(company.tenant).get()
    assert renewed.renews_on > subscription.renews_on
    logged = AuditEvent.objects.for_tenant(company.tenant).get(kind="subscription.renewed")
    assert logged.request_id == f"job-{result.pk}"  # the log leads back to the run
    again = renew_due_subscriptions_task.enqueue()
    run_until_idle()
    assert DBTaskResult.objects.get(pk=again.id).return_value == 0
    assert Subscription.objects.for_tenant(company.tenant).get().renews_on == renewed.renews_on
