"""The worker loop: claim the next queued run (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an
exclusive transaction on SQLite, so any number of workers share the queue without running a task twice),
run it, record the outcome, and tick the periodic scheduler between runs.

``harbour worker`` runs it in the foreground; ``harbour demo`` runs it in a daemon thread."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.db import OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from harbour.core import context
from harbour.core.databases import forget_placements
from harbour.jobs.scheduler import Scheduler


@dataclass(frozen=True)
class RunReport:
    """What the worker just did with one run, for whoever shows it (the CLI prints it)."""

    result: DBTaskResult
    finished: bool
    seconds: float = 0.0


def worker_id() -> str:
    """Unique across the pool: the host, the process and a random tail (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"[:64]


class HarbourWorker(Worker):
    """django-tasks-db's worker (its claim and run steps), with the periodic scheduler, a stop event
    instead of ``sys.exit`` (so it can run in a thread), and a report of each run."""

    def __init__(
        self,
        *,
        queues: Sequence[str] = ("*",),
        interval: float = 1.0,
        once: bool = False,
        max_tasks: int | None = None,
        scheduler: Scheduler | None = None,
        report: Callable[[RunReport], None] | None = None,
        backend: str = DEFAULT_TASK_BACKEND_ALIAS,
        ident: str | None = None,
    ) -> None:
        super().__init__(
            queue_names=list(queues) or ["*"],
            interval=interval,
            batch=once,
            backend_name=backend,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=ident or worker_id(),
            excluded_queue_names=[],
        )
        self.scheduler = scheduler
        self.report = report
        self.stop_event = threading.Event()
        self._previous_handlers: dict[int, Any] = {}

    # ------------------------------------------------------------------------------------------ stopping
    def stop(self) -> None:
        """Finish the current run, then leave the loop (a sleeping worker wakes at once)."""
        self.running = False
        self.stop_event.set()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:  # a second Ctrl-C: abandon the current run (it is recorded as failed)
            self.reset_signals()
            raise KeyboardInterrupt
        self.stop()

    def configure_signals(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous_handlers[signum] = signal.signal(signum, self.shutdown)

    def reset_signals(self) -> None:
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers.clear()

    # ------------------------------------------------------------------------------------------- the loop
    def run(self) -> None:
        while self.running:
            _refresh_connections()
            if self.scheduler is not None:
                self.scheduler.tick()
            claimed, found = self.claim_next()
            if found is not None:
                self.run_claimed(found)
            if self.batch and claimed and found is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and found is None:
                self.stop_event.wait(self.interval)

    def claim_next(self) -> tuple[bool, DBTaskResult | None]:
        """(whether the queue could be read, the run now claimed by this worker or None)."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(ready.db):
                found = ready.get_locked()
                if found is not None:
                    found.claim(self.worker_id)
        except OperationalError as exc:  # SQLite busy past its timeout: try again on the next turn
            if is_locked_database_exception(exc):
                return False, None
            raise
        return True, found

    def run_claimed(self, found: DBTaskResult) -> None:
        if self.report is not None:
            self.report(RunReport(found, finished=False))
        forget_placements()  # where each company's data lives is read afresh by every run
        token = context.bind(context.RequestFacts(request_id=f"job-{found.pk}"))
        started = time.monotonic()
        try:
            self.run_task(found)
        finally:
            context.reset(token)
        if self.report is not None:
            self.report(RunReport(found, finished=True, seconds=time.monotonic() - started))


def _refresh_connections() -> None:
    """Drop dead or expired connections between runs, as a request would — except inside an outer
    transaction (a test's), which closing would abort."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()


def run_until_idle(**options: Any) -> int:
    """Run every queued task (and every due periodic job, when given a scheduler), then return how many
    ran. Tests and ``harbour worker --once`` use it."""
    worker = HarbourWorker(once=True, interval=0, **options)
    worker.run()
    return worker._run_tasks


def start_in_thread(**options: Any) -> tuple[HarbourWorker, threading.Thread]:
    """A worker in a daemon thread (``harbour demo``): stop it with ``worker.stop()``."""
    worker = HarbourWorker(**options)

    def serve() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=serve, name="harbour-worker", daemon=True)
    thread.start()
    return worker, thread
