"""The erasure job: due records are erased into tombstones with evidence, held ones survive, the boundary
days, resuming a killed run, idempotence, and the limits of a schedule."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from harbour.audit.models import AuditEvent
from harbour.core import erasure
from harbour.core.errors import Conflict, Invalid
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member, Membership, MemberState, RoleGrant
from harbour.identity.models import ApiToken
from harbour.lifecycle.leavers import erase_by
from harbour.lifecycle.models import Departure
from harbour.retention import actions, former_members, runs
from harbour.retention.former_members import years_before
from harbour.retention.models import ErasedRecord, ErasureRun, LegalHold, RetentionSchedule
from harbour.retention.queries import preview_for
from harbour.retention.tasks import erase_due_records_task
from tests.factories import Company
from tests.retention.builders import enable, ended_collaborator, leaver

pytestmark = pytest.mark.django_db

PERSONAL = ("name", "name_zh", "email", "mobile", "employee_number", "title", "hire_date")


def _years_ago(years: int, extra_days: int = 0) -> dt.date:
    today = today_in_hong_kong()
    return years_before(today, years) - dt.timedelta(days=extra_days)


def row_counts() -> dict[str, Any]:
    """What an erasure can change: members (their values), evidence, holds, schedules, the audit log."""
    return {
        "members": sorted(str(row) for row in Member.objects.across_tenants().values()),
        "tokens": ApiToken.objects.across_tenants().count(),
        "memberships": Membership.objects.across_tenants().count(),
        "runs": ErasureRun.objects.across_tenants().count(),
        "erased": ErasedRecord.objects.across_tenants().count(),
        "holds": LegalHold.objects.across_tenants().count(),
        "schedules": RetentionSchedule.objects.across_tenants().count(),
        "audit": AuditEvent.objects.across_tenants().count(),
    }


def _personal(member: Member) -> list[str]:
    return [str(getattr(member, name)) for name in PERSONAL if getattr(member, name)]


def test_due_former_employee_is_erased_and_the_held_one_survives(company: Company) -> None:
    held = leaver(company, _years_ago(8), name="Harriet Held")
    gone = leaver(company, _years_ago(8), name="Gordon Gone")
    before = _personal(gone)
    account_id = gone.account_id
    enable(company)
    actions.place_hold(company.system, member=held, reason="Labour Tribunal claim LBTC 1234/2026")

    run = runs.run_erasure(company.admin, "former_employees")  # type: ignore[arg-type]

    assert (run.state, run.erased, run.held, run.batches) == ("finished", 1, 1, 1)
    assert run.digest == hashlib.sha256(str(gone.pk).encode()).hexdigest()
    assert run.started_by == company.admin and not run.by_schedule
    gone.refresh_from_db()
    assert gone.name.startswith("Erased member") and gone.name_zh == ""
    assert gone.email == f"erased-{gone.pk.hex}@erased.invalid"
    assert (gone.mobile, gone.employee_number, gone.title, gone.hire_date) == ("", None, "", None)
    assert gone.account_id is None and gone.state == MemberState.DEACTIVATED
    assert not Membership.objects.for_tenant(company.tenant).filter(member=gone).exists()
    assert not RoleGrant.objects.for_tenant(company.tenant).filter(member=gone).exists()
    assert not ApiToken.objects.for_tenant(company.tenant).filter(member=gone).exists()
    assert Departure.objects.for_tenant(company.tenant).filter(member=gone).exists()  # references stay
    assert account_id is not None
    # nothing personal left on the row, in the evidence, or in the erasure's audit events
    row = str(Member.objects.for_tenant(company.tenant).filter(pk=gone.pk).values().get())
    evidence = str(ErasureRun.objects.for_tenant(company.tenant).filter(pk=run.pk).values().get())
    events = str(
        list(AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind__startswith="retention.").values())
    )
    for value in before:
        assert value not in row and value not in evidence and value not in events, value
    # the held member is untouched
    held.refresh_from_db()
    assert held.name == "Harriet Held" and held.mobile
    assert list(ErasedRecord.objects.for_tenant(company.tenant).values_list("record_id", flat=True)) == [
        str(gone.pk)
    ]


def test_category_hold_keeps_everything_and_lifting_it_lets_erasure_run(company: Company) -> None:
    member = leaver(company, _years_ago(9))
    enable(company)
    hold = actions.place_hold(company.system, category="former_employees", reason="PCPD investigation")
    assert runs.run_erasure(company.system, "former_employees").held == 1
    member.refresh_from_db()
    assert not member.name.startswith("Erased")
    actions.lift_hold(company.system, hold, reason="investigation closed")
    run = runs.run_erasure(company.system, "former_employees")
    assert (run.erased, run.held) == (1, 0)


def test_a_hold_past_its_end_date_no_longer_holds(company: Company) -> None:
    member = leaver(company, _years_ago(9))
    enable(company)
    hold = actions.place_hold(company.system, member=member, reason="claim", ends_on=today_in_hong_kong())
    assert runs.run_erasure(company.system, "former_employees").held == 1
    LegalHold.objects.for_tenant(company.tenant).filter(pk=hold.pk).update(
        ends_on=today_in_hong_kong() - dt.timedelta(days=1)
    )
    assert runs.run_erasure(company.system, "former_employees").erased == 1


def _left_for_erase_by(day: dt.date) -> dt.date:
    """The day of leaving whose erase-by date (the lifecycle's: + 7 years) is ``day``."""
    start = day.replace(year=day.year - 7, day=min(day.day, 28))
    for offset in range(-3, 35):
        left_on = start + dt.timedelta(days=offset)
        if erase_by(left_on) == day:
            return left_on
    pytest.skip(f"no day of leaving has the erase-by date {day}")


def test_erase_by_today_is_due_and_tomorrow_is_not(company: Company) -> None:
    today = today_in_hong_kong()
    due_today = leaver(company, _left_for_erase_by(today))
    due_tomorrow = leaver(company, _left_for_erase_by(today + dt.timedelta(days=1)))
    departures = Departure.objects.for_tenant(company.tenant)
    assert departures.get(member=due_today).erase_by == today
    assert departures.get(member=due_tomorrow).erase_by == today + dt.timedelta(days=1)
    enable(company)

    run = runs.run_erasure(company.system, "former_employees")

    assert run.erased == 1
    assert list(ErasedRecord.objects.for_tenant(company.tenant).values_list("record_id", flat=True)) == [
        str(due_today.pk)
    ]
    tomorrow = runs.run_erasure(company.system, "former_employees", as_of=today + dt.timedelta(days=1))
    assert tomorrow.erased == 1 and tomorrow.cutoff == today + dt.timedelta(days=1) - dt.timedelta(
        days=run.days
    )


def test_a_shorter_period_counts_days_from_the_end_of_employment(company: Company) -> None:
    today = today_in_hong_kong()
    due = leaver(company, today - dt.timedelta(days=400))
    not_yet = leaver(company, today - dt.timedelta(days=399))
    enable(company, days=400)
    assert runs.run_erasure(company.system, "former_employees").erased == 1
    assert ErasedRecord.objects.for_tenant(company.tenant).get().record_id == str(due.pk)
    not_yet.refresh_from_db()
    assert not not_yet.name.startswith("Erased")


def test_working_and_recent_accounts_are_never_erased(company: Company) -> None:
    enable(company, days=1)
    suspended = leaver(company, today_in_hong_kong() - dt.timedelta(days=3))
    Member.objects.for_tenant(company.tenant).filter(pk=suspended.pk).update(state=MemberState.SUSPENDED)
    assert runs.run_erasure(company.system, "former_employees").erased == 0
    assert company.admin is not None
    with pytest.raises(Conflict):
        former_members.erase_former_employees(company.tenant.pk, [company.admin.pk])
    company.admin.refresh_from_db()
    assert company.admin.name == "Ada Admin"


def test_running_twice_erases_nothing_more(company: Company) -> None:
    leaver(company, _years_ago(8))
    leaver(company, _years_ago(10))
    enable(company)
    first = runs.run_erasure(company.system, "former_employees")
    counts = row_counts()
    second = runs.run_erasure(company.system, "former_employees")
    assert (first.erased, second.erased) == (2, 0)
    assert second.digest == hashlib.sha256(b"").hexdigest()
    assert ErasedRecord.objects.for_tenant(company.tenant).count() == 2
    after = row_counts()
    assert {k for k, v in after.items() if v != counts[k]} <= {"runs", "audit"}
    assert after["members"] == counts["members"]  # no member row changed


def test_a_killed_run_resumes_where_it_stopped(company: Company, monkeypatch: pytest.MonkeyPatch) -> None:
    members = [leaver(company, _years_ago(8, extra_days=i)) for i in range(3)]
    enable(company)
    real = former_members.scrub_member
    calls = {"n": 0}

    def dies_on_the_second_batch(member: Member) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        real(member)

    monkeypatch.setattr(former_members, "scrub_member", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        runs.run_erasure(company.system, "former_employees", batch_size=1)
    run = ErasureRun.objects.for_tenant(company.tenant).get()
    assert (run.state, run.erased, run.batches) == ("running", 1, 1)  # the first batch was committed
    assert ErasedRecord.objects.for_tenant(company.tenant).count() == 1

    monkeypatch.setattr(former_members, "scrub_member", real)
    resumed = runs.run_erasure(company.system, "former_employees", batch_size=1)

    assert resumed.pk == run.pk and ErasureRun.objects.for_tenant(company.tenant).count() == 1
    assert (resumed.state, resumed.erased, resumed.batches) == ("finished", 3, 3)
    ids = sorted(str(m.pk) for m in members)
    assert resumed.digest == hashlib.sha256("\n".join(ids).encode()).hexdigest()


def test_batches_are_at_most_500(company: Company) -> None:
    leaver(company, _years_ago(8))
    enable(company)
    assert runs.run_erasure(company.system, "former_employees", batch_size=10_000).batches == 1
    assert runs.BATCH == 500


def test_preview_lists_what_is_due_and_changes_nothing(company: Company) -> None:
    due = leaver(company, _years_ago(8), name="Peter Preview")
    held = leaver(company, _years_ago(8), name="Hilda Hold")
    enable(company)
    actions.place_hold(company.system, member=held, reason="claim")
    before = row_counts()
    [row] = preview_for(company.system, "former_employees")
    assert row_counts() == before
    assert row.due.erase == [str(due.pk)] and row.due.held == [str(held.pk)]
    assert list(row.labels.values()) == [f"Peter Preview ({due.employee_number})"]
    assert list(row.held_labels.values()) == [f"Hilda Hold ({held.employee_number})"]


def test_preview_lists_what_falls_due_in_the_next_90_days(company: Company) -> None:
    soon = leaver(company, _years_ago(7, extra_days=-90))
    leaver(company, _years_ago(7, extra_days=-120))  # later than that
    enable(company)
    [row] = preview_for(company.system, "former_employees")
    assert row.due.erase == [] and row.upcoming == [str(soon.pk)]


def test_expired_collaborators_are_erased_a_year_after_their_access_ended(company: Company) -> None:
    old = ended_collaborator(company, 400)
    recent = ended_collaborator(company, 300)
    leaver(company, _years_ago(8))  # an employee: not this category
    enable(company, "temporary_collaborators")
    run = runs.run_erasure(company.system, "temporary_collaborators")
    assert run.erased == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email.endswith("@erased.invalid") and old.state == MemberState.DEACTIVATED
    assert recent.email.startswith("consultant")


def test_a_disabled_schedule_erases_nothing(company: Company) -> None:
    leaver(company, _years_ago(8))
    with pytest.raises(Conflict):
        runs.run_erasure(company.system, "former_employees")
    assert runs.run_all(company.system) == []
    assert not ErasureRun.objects.for_tenant(company.tenant).exists()


def test_the_daily_job_runs_enabled_schedules_of_every_company(
    company: Company, other_company: Company
) -> None:
    mine = leaver(company, _years_ago(8))
    theirs = leaver(other_company, _years_ago(8))
    enable(company)
    result: Any = erase_due_records_task.call()
    assert result == {"companies": 1, "erased": 1}
    run = ErasureRun.objects.for_tenant(company.tenant).get()
    assert run.by_schedule and run.started_by_label == runs.SCHEDULE_LABEL
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.name.startswith("Erased") and not theirs.name.startswith("Erased")
    assert erase_due_records_task.call() == {"companies": 1, "erased": 0}


# ------------------------------------------------------------------------------------- schedule limits
@pytest.fixture
def logbook() -> Iterator[erasure.ErasableCategory]:
    """A category the law says to keep at least 4 years (like the s27 log book)."""
    category = erasure.ErasableCategory(
        code="test_logbook",
        label="Log book",
        default_days=1461,
        basis="from the entry",
        find_due=lambda tenant_id, today, days: [],
        erase=lambda tenant_id, ids: 0,
        minimum_days=1461,
    )
    erasure.register_category(category)
    yield category
    erasure._CATEGORIES.pop(category.code, None)


def test_a_period_below_the_category_minimum_is_refused(company: Company, logbook: Any) -> None:
    with pytest.raises(Invalid) as refused:
        actions.update_schedule(company.system, "test_logbook", days=1460, enabled=True)
    assert refused.value.field == "days"
    assert not RetentionSchedule.objects.for_tenant(company.tenant).exists()
    schedule = actions.update_schedule(company.system, "test_logbook", days=1461, enabled=True)
    assert schedule.days == 1461


@pytest.mark.parametrize(
    ("code", "days", "field"),
    [
        ("former_employees", former_members.FORMER_EMPLOYEE_DAYS + 1, "days"),
        ("former_employees", 0, "days"),
        ("nothing_like_this", 30, "category"),
    ],
)
def test_bad_schedules_are_refused(company: Company, code: str, days: int, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        actions.update_schedule(company.system, code, days=days, enabled=True)
    assert refused.value.field == field
    assert not RetentionSchedule.objects.for_tenant(company.tenant).exists()


def test_the_evidence_keeps_the_period_in_force_at_the_time(company: Company) -> None:
    leaver(company, _years_ago(8))
    enable(company, days=1000)
    run = runs.run_erasure(company.system, "former_employees")
    actions.update_schedule(company.system, "former_employees", days=2000)
    run.refresh_from_db()
    assert (run.days, run.cutoff) == (1000, run.as_of - dt.timedelta(days=1000))
