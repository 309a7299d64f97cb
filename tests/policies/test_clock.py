"""Deadlines and reminders: overdue only once the deadline has passed, each reminder stage sent once per
member and version (7, 3 and 1 days before, then overdue), only the most urgent after downtime, and new
hires asked with their own deadline counted from when they joined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.jobs.schedule import periodic_jobs
from harbour.policies.actions import acknowledge
from harbour.policies.models import PolicyReminder, PolicyVersion
from harbour.policies.queries import outstanding_members, pending_for, progress_of
from harbour.policies.reminders import remind_version, stage_due, system_actor
from harbour.policies.tasks import remind_acknowledgements_task
from harbour.security.models import Notice
from tests.factories import Company, make_member
from tests.policies.conftest import Clock, published_conduct

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)


def _stages(version: PolicyVersion, member_name: str) -> list[str]:
    rows = PolicyReminder.objects.for_tenant(version.tenant_id).filter(
        version=version, member__name=member_name
    )
    return sorted(rows.values_list("stage", flat=True))


def _remind(version: PolicyVersion, at: dt.datetime) -> int:
    return remind_version(system_actor(version.tenant_id), version, at=at)


def test_overdue_only_once_the_deadline_has_passed(company: Company, clock: Clock) -> None:
    version = published_conduct(company, deadline_days=14)
    start = clock.at
    assert company.admin is not None
    acknowledge(company.admin, version)
    deadline = start + 14 * DAY

    assert progress_of(version, at=deadline).overdue == 0
    late = progress_of(version, at=deadline + SECOND)
    assert (late.in_scope, late.acknowledged, late.outstanding, late.overdue) == (4, 1, 3, 3)
    names = [m.name for m in outstanding_members(version, overdue_only=True, at=deadline + SECOND)]
    assert names == ["Fiona Finance", "Gary General", "Helen HR"]


def test_publishing_tells_everyone_in_scope_once(
    company: Company, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = published_conduct(company, deadline_days=14)
    asked = Notice.objects.for_tenant(company.tenant).filter(title__startswith="Please read and acknowledge")
    assert asked.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@acme.com.hk",
        "fiona@acme.com.hk",
        "gary@acme.com.hk",
        "helen@acme.com.hk",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees who else was asked
    # the job finds the first notice recorded and sends nothing more on the day
    assert _remind(version, clock.at + dt.timedelta(hours=1)) == 0


def test_reminders_go_out_7_3_and_1_days_before_and_when_overdue_each_once(
    company: Company, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    version = published_conduct(company, deadline_days=14)
    deadline = clock.at + 14 * DAY
    assert company.admin is not None and company.manager is not None
    acknowledge(company.admin, version)

    assert _remind(version, deadline - 7 * DAY - SECOND) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _remind(version, deadline - 7 * DAY) == 3  # Fiona, Gary, Helen; never Ada, who acknowledged
    assert sorted(m.to[0] for m in mail.outbox) == [
        "fiona@acme.com.hk",
        "gary@acme.com.hk",
        "helen@acme.com.hk",
    ]
    assert "Reminder: acknowledge Employee Conduct Policy (version 1)" in mail.outbox[0].subject
    assert _remind(version, deadline - 7 * DAY + dt.timedelta(hours=1)) == 0  # a second run sends nothing

    acknowledge(company.manager, version)  # Fiona acknowledges: she is chased no more
    assert _remind(version, deadline - 3 * DAY) == 2
    assert _remind(version, deadline - 3 * DAY) == 0
    assert _remind(version, deadline - DAY) == 2
    assert _remind(version, deadline) == 0  # due, not yet overdue
    assert _remind(version, deadline + SECOND) == 2
    assert _remind(version, deadline + 5 * DAY) == 0  # overdue is said once

    assert _stages(version, "Gary General") == ["1d", "3d", "7d", "assigned", "overdue"]
    assert _stages(version, "Fiona Finance") == ["7d", "assigned"]
    assert _stages(version, "Ada Admin") == ["assigned"]
    overdue = Notice.objects.for_tenant(company.tenant).filter(title__startswith="Overdue")
    assert sorted(n.member.name for n in overdue) == ["Gary General", "Helen HR"]
    sent = AuditEvent.objects.for_tenant(company.tenant).filter(kind="policy.reminders_sent")
    assert [e.data["members"] for e in sent.order_by("seq")] == [3, 2, 2, 2]


def test_after_downtime_only_the_most_urgent_stage_is_sent(company: Company, clock: Clock) -> None:
    version = published_conduct(company, deadline_days=14)
    deadline = clock.at + 14 * DAY
    assert _remind(version, deadline - DAY + dt.timedelta(hours=2)) == 4
    assert _stages(version, "Gary General") == ["1d", "assigned"]
    assert _remind(version, deadline - DAY + dt.timedelta(hours=3)) == 0  # 7d and 3d never follow


def test_a_short_deadline_skips_stages_that_fell_before_it_was_asked() -> None:
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    deadline = start + 5 * DAY
    assert stage_due(start, deadline, start) == "assigned"
    assert stage_due(start, deadline, deadline - 3 * DAY - SECOND) == "assigned"  # no "7 days left"
    assert stage_due(start, deadline, deadline - 3 * DAY) == "3d"
    assert stage_due(start, deadline, deadline - DAY) == "1d"
    assert stage_due(start, deadline, deadline) == "1d"
    assert stage_due(start, deadline, deadline + SECOND) == "overdue"
    # a 7-day deadline: the "7 days before" moment is the moment it was asked, so it is not sent again
    assert stage_due(start, start + 7 * DAY, start + DAY) == "assigned"


def test_a_new_hire_is_asked_with_a_deadline_counted_from_joining(company: Company, clock: Clock) -> None:
    version = published_conduct(company, deadline_days=14)
    published = clock.at
    joined = clock.move(days=10)
    newcomer = make_member(
        company, name="Nina New", email="nina@acme.com.hk", departments=[company.departments["hr"]]
    )

    [pending] = pending_for(newcomer)
    assert pending.version.pk == version.pk and pending.deadline == joined + 14 * DAY
    # Nina's first notice; the others are 4 days from their deadline, so they get the 7-day reminder
    assert _remind(version, joined + dt.timedelta(minutes=30)) == 5
    assert _stages(version, "Nina New") == ["assigned"]
    assert _stages(version, "Gary General") == ["7d", "assigned"]
    assert Notice.objects.for_tenant(company.tenant).get(member=newcomer).title.startswith("Please read")

    after_first_deadline = published + 14 * DAY + SECOND
    overdue = [m.name for m in outstanding_members(version, overdue_only=True, at=after_first_deadline)]
    assert "Nina New" not in overdue and "Gary General" in overdue
    assert "Nina New" in [
        m.name for m in outstanding_members(version, overdue_only=True, at=joined + 15 * DAY)
    ]


def test_the_reminder_job_is_scheduled_and_runs_every_company(company: Company, clock: Clock) -> None:
    assert "policies.remind" in {job.name for job in periodic_jobs()}
    version = published_conduct(company, deadline_days=3)
    clock.move(days=2, hours=1)
    result = remind_acknowledgements_task.call()
    assert result == {"companies": 1, "members_told": 4}
    assert remind_acknowledgements_task.call() == {"companies": 1, "members_told": 0}
    assert _stages(version, "Helen HR") == ["1d", "assigned"]


def test_a_department_scope_counts_its_own_people_as_overdue(company: Company, clock: Clock) -> None:
    version = published_conduct(
        company, deadline_days=3, scope_all=False, department_ids=[company.departments["finance"].pk]
    )
    assert company.manager is not None
    acknowledge(company.manager, version)
    late = clock.at + 3 * DAY + SECOND
    assert [m.name for m in outstanding_members(version, overdue_only=True, at=late)] == ["Gary General"]
    progress = progress_of(version, at=late)
    assert (progress.in_scope, progress.acknowledged, progress.overdue) == (2, 1, 1)
    # a member placed in Accounts Payable later joins the scope then, with their own deadline
    joined = clock.move(days=5)
    newcomer = make_member(
        company, name="Nina New", email="nina@acme.com.hk", departments=[company.departments["accounts"]]
    )
    [pending] = pending_for(newcomer)
    assert pending.deadline == joined + 3 * DAY
    assert [m.name for m in outstanding_members(version, overdue_only=True, at=joined + DAY)] == [
        "Gary General"
    ]
