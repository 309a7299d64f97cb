"""The periodic scheduler that runs inside every worker: when a slot of a periodic job is due, enqueue it —
exactly once across all workers, and once (not once per missed slot) after downtime."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from harbour.core.time import now
from harbour.jobs.models import PeriodicRun
from harbour.jobs.schedule import Periodic, check, periodic_jobs


@dataclass(frozen=True)
class Enqueued:
    name: str
    slot: dt.datetime
    task_result_id: str


class Scheduler:
    """Knows when each periodic job is next due, so a tick between slots costs no query.

    Each worker keeps its own idea of "next"; the database decides who enqueues: the first transaction to
    insert ``PeriodicRun(name, slot)`` wins, the others hit the unique constraint (on PostgreSQL they wait
    for the winner's commit, then fail) and move on. Only the latest due slot is ever considered, so a
    worker that starts after a week of downtime enqueues one catch-up run, not seven."""

    def __init__(
        self,
        entries: Sequence[Periodic] | None = None,
        *,
        clock: Callable[[], dt.datetime] = now,
        on_enqueued: Callable[[Enqueued], None] | None = None,
    ) -> None:
        self.entries = list(periodic_jobs() if entries is None else entries)
        check(self.entries)
        self.clock = clock
        self.on_enqueued = on_enqueued
        self._next_due: dict[str, dt.datetime] = {}

    def next_due(self) -> dict[str, dt.datetime]:
        """When each job is next due (after the first tick), for the worker's start-up line."""
        at = self.clock()
        return {e.name: self._next_due.get(e.name) or e.schedule.next_after(at) for e in self.entries}

    def tick(self, at: dt.datetime | None = None) -> list[Enqueued]:
        at = at or self.clock()
        enqueued: list[Enqueued] = []
        for entry in self.entries:
            due = self._next_due.get(entry.name)
            if due is not None and at < due:
                continue
            schedule = entry.schedule
            done = enqueue_slot(entry, schedule.latest_at_or_before(at))
            self._next_due[entry.name] = schedule.next_after(at)
            if done is not None:
                enqueued.append(done)
                if self.on_enqueued is not None:
                    self.on_enqueued(done)
        return enqueued


def already_enqueued(name: str, slot: dt.datetime) -> bool:
    """A cheap look before the insert; the unique constraint, not this, is what guarantees once."""
    return PeriodicRun.objects.filter(name=name, slot=slot).exists()


def enqueue_slot(entry: Periodic, slot: dt.datetime) -> Enqueued | None:
    """Enqueue ``entry`` for ``slot`` unless some worker already has; the task and the slot's row commit
    together, so a crash in between leaves neither."""
    if already_enqueued(entry.name, slot):
        return None
    try:
        with transaction.atomic():
            result = entry.task.enqueue(**entry.kwargs)
            PeriodicRun.objects.create(name=entry.name, slot=slot, task_result_id=str(result.id))
    except IntegrityError:
        return None
    return Enqueued(entry.name, slot, str(result.id))
