"""The console pages of retention: schedules, holds (place and lift), preview, run now and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member
from harbour.retention import runs
from harbour.retention.former_members import years_before
from harbour.retention.models import ErasureRun, LegalHold, RetentionSchedule
from tests.factories import Company
from tests.retention.builders import enable, leaver

pytestmark = pytest.mark.django_db


def _eight_years_ago() -> dt.date:
    today = today_in_hong_kong()
    return years_before(today, 8)


@pytest.fixture
def admin(company: Company, as_member: Callable[[Member], Client]) -> Client:
    assert company.admin is not None
    return as_member(company.admin)


def test_schedules_page_shows_due_and_held_and_saves_a_schedule(company: Company, admin: Client) -> None:
    leaver(company, _eight_years_ago())
    page = admin.get(reverse("retention:schedules"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Former employees" in text and "from the end of employment" in text and "Not enforced" in text

    saved = admin.post(
        reverse("retention:schedule", args=["former_employees"]),
        {"former_employees-days": "2000", "former_employees-enabled": "on"},
    )
    assert saved.status_code == 302
    schedule = RetentionSchedule.objects.for_tenant(company.tenant).get()
    assert (schedule.days, schedule.enabled, schedule.changed_by) == (2000, True, company.admin)


def test_a_period_too_long_is_shown_next_to_the_field(company: Company, admin: Client) -> None:
    refused = admin.post(
        reverse("retention:schedule", args=["former_employees"]),
        {"former_employees-days": "4000", "former_employees-enabled": "on"},
    )
    assert refused.status_code == 400
    assert "at most 2557 days" in refused.content.decode()
    assert not RetentionSchedule.objects.for_tenant(company.tenant).exists()


def test_place_a_hold_on_a_member_by_email_and_lift_it(company: Company, admin: Client) -> None:
    member = leaver(company, _eight_years_ago(), name="Lam Tribunal")
    placed = admin.post(
        reverse("retention:holds"),
        {"scope": "member", "member": member.email, "reason": "Labour Tribunal claim", "ends_on": ""},
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.for_tenant(company.tenant).get()
    assert hold.member == member and hold.placed_by == company.admin
    assert "Lam Tribunal" in admin.get(reverse("retention:holds")).content.decode()

    confirm = admin.get(reverse("retention:lift", args=[hold.pk]))
    assert confirm.status_code == 200 and "Lift the legal hold on Lam Tribunal" in confirm.content.decode()
    assert admin.post(reverse("retention:lift", args=[hold.pk]), {"reason": ""}).status_code == 400
    assert admin.post(reverse("retention:lift", args=[hold.pk]), {"reason": "settled"}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == company.admin and hold.lift_reason == "settled"


def test_a_hold_on_nobody_known_is_refused(company: Company, admin: Client) -> None:
    refused = admin.post(
        reverse("retention:holds"), {"scope": "member", "member": "who@nowhere.example", "reason": "claim"}
    )
    assert refused.status_code == 400
    assert "no member with that email address" in refused.content.decode()
    assert not LegalHold.objects.for_tenant(company.tenant).exists()


def test_preview_then_run_now_then_history_with_its_chart(company: Company, admin: Client) -> None:
    member = leaver(company, _eight_years_ago(), name="Prudence Preview")
    enable(company)
    preview = admin.get(reverse("retention:preview")).content.decode()
    assert "Prudence Preview" in preview and "1 record would be erased" in preview
    assert not ErasureRun.objects.for_tenant(company.tenant).exists()

    confirm = admin.get(reverse("retention:run_now"))
    assert confirm.status_code == 200 and "1 record(s)" in confirm.content.decode()
    assert admin.post(reverse("retention:run_now")).status_code == 302
    member.refresh_from_db()
    assert member.name.startswith("Erased member")

    history = admin.get(reverse("retention:history")).content.decode()
    month = today_in_hong_kong().strftime("%Y-%m")
    assert "<svg" in history and month in history and "Prudence" not in history
    run = ErasureRun.objects.for_tenant(company.tenant).get()
    assert run.digest[:16] in history


def test_history_chart_counts_runs_by_month(company: Company) -> None:
    leaver(company, _eight_years_ago())
    enable(company)
    runs.run_erasure(company.system, "former_employees")
    from harbour.retention.queries import erased_per_month

    months = erased_per_month(company.tenant.pk)
    assert len(months) == 12 and months[-1] == (today_in_hong_kong().strftime("%Y-%m"), 1)
    assert sum(n for _, n in months) == 1


def test_pages_are_hidden_from_members_without_the_permission(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    client = as_member(company.member)
    for name in ("schedules", "holds", "preview", "history", "run_now"):
        assert client.get(reverse(f"retention:{name}")).status_code == 404
