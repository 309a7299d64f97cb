"""Scheduled sending: a future Hong Kong time, rescheduled or cancelled while still scheduled; the minute
job sends what is due — exactly at its time, not before — once, even when run twice or after downtime."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from harbour.announcements import actions
from harbour.announcements.models import Announcement, Delivery
from harbour.announcements.tasks import send_due_announcements_task
from harbour.audit.models import AuditEvent
from harbour.core.time import HONG_KONG, now
from harbour.jobs.schedule import periodic_jobs
from tests.announcements.builders import complete
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company

BASE = "/announcements"


def _scheduled(company: Company, at: dt.datetime, title: str = "Phishing drill") -> Announcement:
    draft = actions.create_announcement(company.system, title=title, **complete())
    return actions.schedule_announcement(company.system, draft, at=at)


def _deliveries(company: Company) -> int:
    return Delivery.objects.for_tenant(company.tenant).count()


def test_due_exactly_now_is_sent_a_moment_earlier_is_not(company: Company) -> None:
    at = now() + dt.timedelta(hours=1)
    scheduled = _scheduled(company, at)
    assert actions.send_due(company.tenant.pk, at=at - dt.timedelta(microseconds=1)) == 0
    scheduled.refresh_from_db()
    assert scheduled.state == Announcement.State.SCHEDULED and _deliveries(company) == 0

    assert actions.send_due(company.tenant.pk, at=at) == 1
    scheduled.refresh_from_db()
    assert scheduled.state == Announcement.State.SENT and scheduled.sent_at is not None
    assert _deliveries(company) == 4
    assert actions.send_due(company.tenant.pk, at=at) == 0  # the same minute again: nothing twice
    assert _deliveries(company) == 4
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="announcement.sent")
    assert event.actor_type == "system"


def test_the_job_catches_up_after_downtime_and_run_twice_delivers_once(
    company: Company, django_capture_on_commit_callbacks: Any
) -> None:
    missed = _scheduled(company, now() + dt.timedelta(minutes=5), "Missed while down")
    future = _scheduled(company, now() + dt.timedelta(days=1), "Next week")
    # the worker was down when it fell due
    Announcement.objects.for_tenant(company.tenant).filter(pk=missed.pk).update(
        scheduled_for=now() - dt.timedelta(hours=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = send_due_announcements_task.call()
        second = send_due_announcements_task.call()
    assert first["sent"] == 1 and second["sent"] == 0
    assert Delivery.objects.for_tenant(company.tenant).filter(announcement=missed).count() == 4
    assert Delivery.objects.for_tenant(company.tenant).filter(announcement=future).count() == 0
    assert len(mail.outbox) == 4
    future.refresh_from_db()
    assert future.state == Announcement.State.SCHEDULED


def test_the_job_runs_every_minute() -> None:
    job = next(j for j in periodic_jobs() if j.name == "announcements.send_due")
    assert job.cron == "* * * * *"


def test_schedule_reschedule_and_cancel_through_the_api(company: Company, admin_api: ApiClient) -> None:
    draft = actions.create_announcement(company.system, title="Drill", **complete())
    nine = dt.datetime.combine(
        now().astimezone(HONG_KONG).date() + dt.timedelta(days=3), dt.time(9), HONG_KONG
    )
    scheduled = body(admin_api.post(f"{BASE}/{draft.pk}/schedule", {"scheduled_for": nine.isoformat()}))
    assert scheduled["state"] == "scheduled"
    assert dt.datetime.fromisoformat(scheduled["scheduled_for"]) == nine

    later = nine + dt.timedelta(days=1)
    moved = body(admin_api.post(f"{BASE}/{draft.pk}/schedule", {"scheduled_for": later.isoformat()}))
    assert dt.datetime.fromisoformat(moved["scheduled_for"]) == later

    # a scheduled one may be edited while it stays complete
    assert_problem(admin_api.patch(f"{BASE}/{draft.pk}", {"it_contact_zh": ""}), 422, field="it_contact_zh")
    assert (
        body(admin_api.patch(f"{BASE}/{draft.pk}", {"title": "Drill on Thursday"}))["title"]
        == "Drill on Thursday"
    )
    assert_problem(admin_api.delete(f"{BASE}/{draft.pk}"), 409, field="state")

    cancelled = body(admin_api.post(f"{BASE}/{draft.pk}/cancel"))
    assert (cancelled["state"], cancelled["scheduled_for"]) == ("draft", None)
    assert actions.send_due(company.tenant.pk, at=later + dt.timedelta(days=1)) == 0
    assert _deliveries(company) == 0
    kinds = set(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))
    assert {"announcement.scheduled", "announcement.schedule_cancelled"} <= kinds


def test_a_time_without_its_zone_is_refused(company: Company) -> None:
    draft = actions.create_announcement(company.system, title="Drill", **complete())
    import pytest

    from harbour.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        actions.schedule_announcement(company.system, draft, at=dt.datetime(2099, 1, 1, 9, 0))
    assert refused.value.field == "scheduled_for"
