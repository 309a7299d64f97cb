"""The nightly keeping of every company's log, as the worker runs it from the periodic schedule."""

from __future__ import annotations

from harbour.audit.tasks import purge_expired_entries, write_daily_checkpoints
from harbour.jobs.schedule import periodic_jobs
from tests.factories import Company


def test_log_keeping_is_scheduled_every_night() -> None:
    schedule = {p.name: p for p in periodic_jobs()}
    assert schedule["audit.checkpoint"].task is write_daily_checkpoints
    assert schedule["audit.purge_expired"].task is purge_expired_entries
    assert schedule["audit.purge_expired"].cron == "45 2 * * *"


def test_checkpoints_and_purge_cover_every_company(company: Company, other_company: Company) -> None:
    assert write_daily_checkpoints.call() == {"checkpoints": 2}
    assert write_daily_checkpoints.call() == {"checkpoints": 0}  # a rerun the same night changes nothing
    result = purge_expired_entries.call()
    assert result == {"companies": 2, "removed": 0, "on_legal_hold": 0}  # nothing is 180 days old yet
