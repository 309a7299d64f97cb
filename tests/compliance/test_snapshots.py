"""Posture snapshots: the daily job writes one per company per Hong Kong day (a rerun changes nothing), the
history and the changes since the previous snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.compliance import actions
from harbour.compliance.evaluation import evaluate
from harbour.compliance.models import PostureSnapshot
from harbour.compliance.queries import changes_since, history, snapshot_before
from harbour.compliance.tasks import snapshot_every_company
from harbour.core.compliance import Status
from harbour.core.time import HONG_KONG
from tests.api.helpers import ApiClient, body
from tests.compliance.conftest import Clock, SetChecks, answer
from tests.factories import Company

pytestmark = pytest.mark.django_db


def test_the_daily_job_takes_one_snapshot_per_company_per_day(
    company: Company, other_company: Company, clock: Clock, set_checks: SetChecks
) -> None:
    clock.set(dt.datetime(2026, 11, 30, 15, 50, tzinfo=dt.UTC))  # 23:50 in Hong Kong
    set_checks("PDPO-DPP6-DAR", answer(Status.MET, "all answered"))
    assert snapshot_every_company() == {"taken": 2, "already_taken": 0}
    first = PostureSnapshot.objects.for_tenant(company.tenant).get()
    assert first.day == dt.date(2026, 11, 30)
    assert first.statuses()["PDPO-DPP6-DAR"] == "met"

    set_checks("PDPO-DPP6-DAR", answer(Status.GAP, "one overdue"))
    clock.set(dt.datetime(2026, 11, 30, 15, 59, tzinfo=dt.UTC))  # still the same Hong Kong day
    assert snapshot_every_company() == {"taken": 0, "already_taken": 2}
    again = PostureSnapshot.objects.for_tenant(company.tenant).get()
    assert again.taken_at == first.taken_at and again.statuses()["PDPO-DPP6-DAR"] == "met"

    clock.set(dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC))  # midnight in Hong Kong: a new day
    assert snapshot_every_company() == {"taken": 2, "already_taken": 0}
    days = [s.day for s in PostureSnapshot.objects.for_tenant(company.tenant).order_by("day")]
    assert days == [dt.date(2026, 11, 30), dt.date(2026, 12, 1)]


def test_changes_since_the_previous_snapshot(company: Company, clock: Clock, set_checks: SetChecks) -> None:
    clock.set(dt.datetime(2026, 11, 29, 12, 0, tzinfo=HONG_KONG))
    set_checks("HB-GOV-TRAINING", answer(Status.MET, "done"))
    actions.take_snapshot(company.system, refresh=False)

    clock.set(dt.datetime(2026, 11, 30, 12, 0, tzinfo=HONG_KONG))
    set_checks("HB-GOV-TRAINING", answer(Status.GAP, "2 of 10 overdue"))
    posture = evaluate(company.tenant.pk)
    previous = snapshot_before(company.tenant.pk, dt.date(2026, 11, 30))
    assert previous is not None and previous.day == dt.date(2026, 11, 29)
    changed = {c.rule_id: (c.before, c.after) for c in changes_since(posture, previous)}
    assert changed == {"HB-GOV-TRAINING": ("met", "gap")}
    assert changes_since(posture, None) == []


def test_history_is_oldest_first_and_bounded(company: Company, clock: Clock) -> None:
    for day in (1, 2, 3):
        clock.set(dt.datetime(2026, 11, day, 12, 0, tzinfo=HONG_KONG))
        actions.take_snapshot(company.system, refresh=False)
    days = [s.day.day for s in history(company.tenant.pk, until=dt.date(2026, 11, 3), days=2)]
    assert days == [2, 3]


def test_taking_a_snapshot_through_the_api_replaces_todays(
    company: Company, admin_api: ApiClient, set_checks: SetChecks
) -> None:
    set_checks("XB-TIA", answer(Status.GAP, "no assessment"))
    first = admin_api.post("/compliance/snapshots")
    assert first.status_code == 201, first.content
    set_checks("XB-TIA", answer(Status.MET, "assessed and approved"))
    second = body(admin_api.post("/compliance/snapshots"))
    assert second["id"] == body(first)["id"] and second["statuses"]["XB-TIA"] == "met"
    listed = body(admin_api.get("/compliance/snapshots"))
    assert [s["id"] for s in listed] == [second["id"]]
    assert sum(listed[0]["counts"].values()) == len(listed[0]["statuses"])
