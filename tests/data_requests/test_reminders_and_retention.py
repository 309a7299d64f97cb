"""Reminders to the handlers at day 30 and when overdue (each once), the periodic job, and the retention
rules: the log book and closed requests are never erased before four years."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.core.erasure import category
from harbour.core.time import today_in_hong_kong
from harbour.data_requests.actions import refuse_request, send_delay_notice
from harbour.data_requests.clock import remind_handlers, system_actor
from harbour.data_requests.models import DataRequest, LogBookEntry
from harbour.data_requests.tasks import remind_request_handlers_task
from harbour.jobs.schedule import periodic_jobs
from harbour.security.models import Notice
from tests.data_requests.conftest import Clock, Received
from tests.factories import Company


def _titles(company: Company) -> list[tuple[str, str]]:
    found = Notice.objects.for_tenant(company.tenant).filter(title__startswith="Data request")
    return sorted((n.member.name, n.title) for n in found)


def test_day_30_and_overdue_reminders_are_sent_once_to_the_handlers(
    received: Received, company: Company, django_capture_on_commit_callbacks: Any
) -> None:
    received(29, name="Day Twentynine")
    received(30, name="Day Thirty")
    received(41, name="Day Fortyone")
    noticed = received(45, name="With Notice")
    DataRequest.objects.for_tenant(company.tenant).filter(pk=noticed.pk).update(
        state="delayed", delay_notice_at=noticed.deadline - dt.timedelta(days=10)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = remind_handlers(system_actor(company.tenant.pk))
    assert counts == {"day30": 1, "overdue": 1}
    assert _titles(company) == [
        (
            "Ada Admin",
            "Data request overdue: Day Fortyone, due "
            + (today_in_hong_kong() - dt.timedelta(days=1)).isoformat(),
        ),
        ("Ada Admin", "Data request: 10 day(s) left to answer Day Thirty"),
    ]
    assert {m.to[0] for m in mail.outbox} == {"admin@acme.com.hk"}
    # a second run (and the periodic job) sends nothing new
    assert remind_handlers(system_actor(company.tenant.pk)) == {"day30": 0, "overdue": 0}
    assert remind_request_handlers_task.call()["day30"] == 0
    assert len(_titles(company)) == 2
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="data_request.reminded").count() == 2
    assert "data_requests.remind" in {job.name for job in periodic_jobs()}


def test_a_day_30_reminder_is_followed_by_the_overdue_one(
    clock: Clock, received: Received, company: Company
) -> None:
    request = received(30, name="Late Larry")
    assert remind_handlers(system_actor(company.tenant.pk))["day30"] == 1
    clock.set(request.deadline)  # the first instant of day 41
    assert remind_handlers(system_actor(company.tenant.pk)) == {"day30": 0, "overdue": 1}
    assert remind_handlers(system_actor(company.tenant.pk)) == {"day30": 0, "overdue": 0}


def test_a_delay_notice_stops_the_overdue_reminder(
    clock: Clock, received: Received, company: Company
) -> None:
    request = received(39)
    send_delay_notice(company.system, request, reasons="Archive")
    clock.set(request.deadline + dt.timedelta(hours=1))
    assert remind_handlers(system_actor(company.tenant.pk)) == {"day30": 0, "overdue": 0}


def _refused_days_ago(received: Received, company: Company, days: int) -> LogBookEntry:
    request = refuse_request(company.system, received(days + 10), ground="s20_3_e_form", reasons="Form")
    entries = LogBookEntry.objects.for_tenant(company.tenant).filter(request=request)
    refused_on = today_in_hong_kong() - dt.timedelta(days=days)
    entries.update(refused_on=refused_on)  # as if refused then
    DataRequest.objects.for_tenant(company.tenant).filter(pk=request.pk).update(
        closed_at=request.closed_at - dt.timedelta(days=days)  # type: ignore[operator]
    )
    return entries.get()


def test_the_log_book_cannot_be_erased_before_four_years(received: Received, company: Company) -> None:
    book = category("data_request_log_book")
    assert book is not None and book.minimum_days == 1461 and book.default_days >= 1461
    young = _refused_days_ago(received, company, 1460)
    old = _refused_days_ago(received, company, 1461)
    today = today_in_hong_kong()
    assert book.find_due(company.tenant.pk, today, 30) == [old.pk]  # a 30-day schedule is raised to 4 years
    from django.db import transaction

    with transaction.atomic():
        assert book.erase(company.tenant.pk, [young.pk, old.pk]) == 1  # the young entry is kept
    assert list(LogBookEntry.objects.for_tenant(company.tenant).values_list("pk", flat=True)) == [young.pk]
    erased = AuditEvent.objects.for_tenant(company.tenant).get(kind="data_request.log_book_erased")
    assert erased.data["entries"] == [str(old.pk)]


def test_closed_requests_are_kept_four_years_and_their_log_book_entry_outlives_them(
    received: Received, company: Company
) -> None:
    requests = category("closed_data_requests")
    assert requests is not None and requests.minimum_days == 1461
    open_one = received(3000)
    old = _refused_days_ago(received, company, 1500)
    recent = _refused_days_ago(received, company, 1000)
    due = requests.find_due(company.tenant.pk, today_in_hong_kong(), 0)
    assert due == [old.request_id]
    from django.db import transaction

    with transaction.atomic():
        assert requests.erase(company.tenant.pk, [old.request_id, recent.request_id, open_one.pk]) == 1
    left = set(DataRequest.objects.for_tenant(company.tenant).values_list("pk", flat=True))
    assert left == {open_one.pk, recent.request_id}
    kept = LogBookEntry.objects.for_tenant(company.tenant).get(pk=old.pk)
    assert kept.request_id is None and kept.request_ref == old.request_ref and kept.reasons == "Form"
