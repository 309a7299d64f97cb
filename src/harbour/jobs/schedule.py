"""The periodic jobs, declared in one place. Every worker runs the scheduler over this table; each slot is
enqueued once however many workers run (``jobs.scheduler``).

Times are cron expressions "minute hour day-of-month month day-of-week" read in Hong Kong time. Apps below
the jobs app are listed here directly; apps above it call ``register_periodic`` from their ``ready()``.
A periodic task takes no object, only plain arguments, and must be safe to run twice (docs/architecture.md,
"Background jobs").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django_tasks.base import Task

from harbour.audit.tasks import purge_expired_entries, write_daily_checkpoints
from harbour.jobs.cron import Cron, CronError
from harbour.plans.tasks import renew_due_subscriptions_task
from harbour.security.tasks import flag_overdue_incidents_task


@dataclass(frozen=True)
class Periodic:
    name: str
    cron: str
    task: Task[Any, Any]
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def schedule(self) -> Cron:
        return Cron.parse(self.cron, name=self.name)


PERIODIC: list[Periodic] = [
    # Roll subscriptions into their next period just after midnight, Hong Kong time.
    Periodic("plans.renew_due", "10 0 * * *", renew_due_subscriptions_task),
    # Seal where every company's operation log stands, then remove what is past its retention (in batches of
    # at most 1,000; legal holds keep everything).
    Periodic("audit.checkpoint", "30 2 * * *", write_daily_checkpoints),
    Periodic("audit.purge_expired", "45 2 * * *", purge_expired_entries),
    # Flag security incidents whose 24-hour reporting deadline passed; email and notify who must act.
    Periodic("security.flag_overdue_incidents", "*/15 * * * *", flag_overdue_incidents_task),
]

_registered: list[Periodic] = []


def register_periodic(name: str, cron: str, task: Task[Any, Any], **kwargs: Any) -> Periodic:
    """Add a periodic job from another app (call it from ``AppConfig.ready``). The expression is checked
    at once, so a typo stops the start-up with a message naming the job."""
    entry = Periodic(name, cron, task, kwargs)
    check([*periodic_jobs(), entry])
    _registered.append(entry)
    return entry


def periodic_jobs() -> list[Periodic]:
    return [*PERIODIC, *_registered]


def check(entries: list[Periodic]) -> None:
    """Refuse duplicate names, bad expressions and tasks whose arguments cannot be stored as JSON."""
    seen: set[str] = set()
    for entry in entries:
        if not entry.name or entry.name in seen:
            raise CronError(f"periodic job {entry.name!r} is declared twice (or has no name)")
        seen.add(entry.name)
        Cron.parse(entry.cron, name=entry.name)
        if not isinstance(entry.task, Task):
            raise CronError(f"periodic job {entry.name!r}: {entry.task!r} is not a task (use @task)")
        if any(not isinstance(v, str | int | float | bool | None) for v in entry.kwargs.values()):
            raise CronError(f"periodic job {entry.name!r}: arguments must be plain values (ids, not objects)")
