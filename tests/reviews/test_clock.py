"""The review clock: unanswered items escalate to the administrators after the escalation time, reviewers
are reminded once before the due date, campaigns close by themselves at the due date, scheduled drafts
open on time, and the quarterly schedule opens exactly one campaign per quarter."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.core.time import local, now, today_in_hong_kong
from harbour.jobs.schedule import periodic_jobs
from harbour.reviews import actions
from harbour.reviews.clock import (
    escalate_unanswered,
    open_quarterly_campaign,
    quarter_of,
    remind_reviewers,
    run_clock,
    system_actor,
)
from harbour.reviews.models import Decision, ReviewCampaign, ReviewItem
from harbour.reviews.tasks import advance_reviews_task, open_quarterly_reviews_task
from harbour.security.models import Notice
from tests.api.helpers import api_as, body
from tests.factories import Company
from tests.reviews.conftest import People, open_review


def _notices(people: People, text: str) -> list[str]:
    found = Notice.objects.for_tenant(people.company.tenant).filter(title__contains=text)
    return sorted(n.member.name for n in found)


def test_unanswered_items_escalate_to_the_administrators_after_the_date(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    campaign = open_review(people)
    clock = system_actor(people.company.tenant.pk)
    api_as(people.admin).post(  # Ada answers Bob's item in time: it never escalates
        f"/reviews/items/{people.item_of(campaign, people.backup).pk}/decide", {"decision": "certify"}
    )
    assert escalate_unanswered(clock, at=campaign.escalate_at - dt.timedelta(minutes=1)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_unanswered(clock, at=campaign.escalate_at) == 2
    fiona_item = people.item_of(campaign, people.manager)
    ada_item = people.item_of(campaign, people.admin)
    # escalated to an administrator other than the member and the reviewer when there is one
    assert fiona_item.escalated_to_id == people.admin.pk and fiona_item.escalated_at == campaign.escalate_at
    assert ada_item.escalated_to_id == people.backup.pk
    assert people.item_of(campaign, people.backup).escalated_at is None
    # Ada is told of Fiona's item, Bob of Fiona's and Ada's (never of his own)
    escalated = Notice.objects.for_tenant(people.company.tenant).filter(title__contains="escalated to you")
    assert sorted((n.member.name, n.title) for n in escalated) == [
        ("Ada Admin", "Access review: 1 unanswered item(s) escalated to you"),
        ("Bob Backup", "Access review: 2 unanswered item(s) escalated to you"),
    ]
    assert {m.to[0] for m in mail.outbox} == {"admin@acme.com.hk", "bob@acme.com.hk"}
    log = AuditEvent.objects.for_tenant(people.company.tenant).filter(kind="review.item_escalated")
    assert log.count() == 2 and {e.actor_type for e in log} == {"system"}
    # once only
    assert escalate_unanswered(clock, at=campaign.escalate_at + dt.timedelta(hours=1)) == 0

    # any administrator may now decide it (Bob was never Fiona's reviewer); the reviewer still may too
    decided = api_as(people.backup).post(f"/reviews/items/{fiona_item.pk}/decide", {"decision": "certify"})
    assert decided.status_code == 200 and body(decided)["decided_by_name"].startswith("Bob Backup")


def test_reviewers_are_reminded_once_in_the_last_days(people: People) -> None:
    campaign = open_review(people, days=4)
    clock = system_actor(people.company.tenant.pk)
    assert remind_reviewers(clock, at=now()) == 0  # just opened: the opening notice is enough
    assert remind_reviewers(clock, at=now() + dt.timedelta(days=2)) == 3
    assert _notices(people, "Reminder:") == ["Ada Admin", "Bob Backup", "Helen HR"]
    assert remind_reviewers(clock, at=now() + dt.timedelta(days=2, hours=1)) == 0
    assert ReviewItem.objects.for_tenant(campaign.tenant_id).filter(reminded_at__isnull=True).count() == 0


def test_campaigns_close_by_themselves_at_the_due_date(people: People) -> None:
    campaign = open_review(people, days=5)
    before = run_clock(people.company.tenant.pk, at=campaign.due_at - dt.timedelta(minutes=1))
    assert before["closed"] == 0 and before["escalated"] == 3  # past the escalation time already
    assert run_clock(people.company.tenant.pk, at=campaign.due_at)["closed"] == 1
    campaign.refresh_from_db()
    assert campaign.state == ReviewCampaign.State.CLOSED and campaign.closed_automatically
    assert campaign.summary[Decision.PENDING] == 3
    assert _notices(people, "Q4 admin review closed with 3 item(s) not decided") == [
        "Ada Admin",
        "Bob Backup",
    ]
    assert run_clock(people.company.tenant.pk, at=campaign.due_at + dt.timedelta(days=1))["closed"] == 0


def test_the_job_closes_overdue_campaigns_of_every_company(people: People, other_company: Company) -> None:
    campaign = open_review(people, days=5)
    ReviewCampaign.objects.for_tenant(campaign.tenant_id).filter(pk=campaign.pk).update(
        escalate_at=now() - dt.timedelta(days=2), due_at=now() - dt.timedelta(minutes=1)
    )
    assert other_company.admin is not None
    other = actions.create_campaign(other_company.admin, name="Later", due_at=now() + dt.timedelta(days=3))
    actions.open_campaign(other_company.admin, other)
    result = advance_reviews_task.call()
    assert result["companies"] == 2 and result["closed"] == 1
    campaign.refresh_from_db()
    other.refresh_from_db()
    assert campaign.state == ReviewCampaign.State.CLOSED and other.state == ReviewCampaign.State.OPEN
    assert advance_reviews_task.call()["closed"] == 0


def test_a_scheduled_draft_opens_on_time(people: People) -> None:
    campaign = actions.create_campaign(
        people.admin,
        name="Opens tomorrow",
        opens_at=now() + dt.timedelta(days=1),
        due_at=now() + dt.timedelta(days=10),
    )
    assert run_clock(people.company.tenant.pk, at=now())["opened"] == 0
    assert run_clock(people.company.tenant.pk, at=now() + dt.timedelta(days=1, minutes=1))["opened"] == 1
    campaign.refresh_from_db()
    assert campaign.state == ReviewCampaign.State.OPEN
    assert ReviewItem.objects.for_tenant(campaign.tenant_id).filter(campaign=campaign).count() == 3


def _quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The last day of ``day``'s quarter and the first of the next."""
    first_month = (day.month - 1) // 3 * 3 + 1
    following = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1), following


def test_quarterly_campaigns_open_once_per_quarter(people: People) -> None:
    clock = system_actor(people.company.tenant.pk)
    today = today_in_hong_kong()
    last_day, next_quarter = _quarter_bounds(today)
    assert open_quarterly_campaign(clock, today=today) is None  # the schedule is off
    api_as(people.admin).patch(
        "/reviews/schedule", {"quarterly": True, "days_open": 14, "escalate_after_days": 10}
    )
    first = open_quarterly_campaign(clock, today=today)
    assert (
        first is not None and first.quarter == quarter_of(today) and first.state == ReviewCampaign.State.OPEN
    )
    year, number = quarter_of(today).split("-")
    assert first.name == f"Access review {year} {number}" and first.created_by_id is None
    assert sorted(first.role_names) == ["Administrator", "Department Manager"]
    assert local(first.due_at).date() == today + dt.timedelta(days=14)
    assert open_quarterly_campaign(clock, today=today) is None
    assert open_quarterly_campaign(clock, today=last_day) is None
    second = open_quarterly_campaign(clock, today=next_quarter)
    assert second is not None and second.quarter == quarter_of(next_quarter) != first.quarter
    assert ReviewCampaign.objects.for_tenant(people.company.tenant).count() == 2
    assert quarter_of(dt.date(2026, 3, 31)) == "2026-Q1" and quarter_of(dt.date(2026, 4, 1)) == "2026-Q2"
    assert _quarter_bounds(dt.date(2026, 11, 30)) == (dt.date(2026, 12, 31), dt.date(2027, 1, 1))


def test_the_quarterly_job_runs_twice_and_opens_one(people: People, other_company: Company) -> None:
    actions.update_schedule(people.admin, quarterly=True)
    assert open_quarterly_reviews_task.call() == {"companies": 1, "opened": 1}
    assert open_quarterly_reviews_task.call() == {"companies": 1, "opened": 0}
    [campaign] = ReviewCampaign.objects.for_tenant(people.company.tenant)
    assert campaign.quarter == quarter_of(today_in_hong_kong())
    assert not ReviewCampaign.objects.for_tenant(other_company.tenant).exists()  # its schedule is off


def test_the_schedule_names_its_roles_and_falls_back_to_the_defaults(people: People) -> None:
    admin_api = api_as(people.admin)
    default = body(admin_api.get("/reviews/schedule"))
    assert default["quarterly"] is False and sorted(r["name"] for r in default["roles"]) == [
        "Administrator",
        "Department Manager",
    ]
    admin_role = people.company.roles["administrator"]
    chosen = body(admin_api.patch("/reviews/schedule", {"role_ids": [str(admin_role.pk)], "quarterly": True}))
    assert chosen["role_ids"] == [str(admin_role.pk)] and [r["name"] for r in chosen["roles"]] == [
        "Administrator"
    ]
    campaign = open_quarterly_campaign(system_actor(people.company.tenant.pk))
    assert campaign is not None and campaign.role_names == ["Administrator"]
    back = body(admin_api.patch("/reviews/schedule", {"role_ids": []}))
    assert back["role_ids"] == [] and len(back["roles"]) == 2
    entry = AuditEvent.objects.for_tenant(people.company.tenant).filter(kind="review.schedule_changed").last()
    assert entry is not None and entry.after["roles"] == []


def test_the_jobs_are_on_the_schedule() -> None:
    jobs = {p.name: p.cron for p in periodic_jobs()}
    assert jobs["reviews.advance"] == "*/15 * * * *"
    assert jobs["reviews.open_quarterly"] == "5 0 1 1,4,7,10 *"
