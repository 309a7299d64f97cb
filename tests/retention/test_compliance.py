"""The retention rules' compliance checks, computed from the company's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from harbour.core import erasure
from harbour.core.compliance import Status, checks_for
from harbour.core.errors import Invalid
from harbour.core.time import today_in_hong_kong
from harbour.retention import actions, runs
from harbour.retention.compliance_checks import (
    applicants_kept_two_years,
    former_employees_erased,
    schedules_enforced,
)
from harbour.retention.former_members import years_before
from tests.factories import Company
from tests.retention.builders import enable, leaver

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> dt.date:
    today = today_in_hong_kong()
    return years_before(today, years)


def test_checks_are_registered_for_the_rules() -> None:
    assert schedules_enforced in checks_for("PDPO-DPP2-RETENTION")
    assert former_employees_erased in checks_for("HR-FORMER-7Y")
    assert applicants_kept_two_years in checks_for("HR-RECRUIT-2Y")


def test_no_former_employees_is_not_applicable(company: Company) -> None:
    assert schedules_enforced(company.tenant.pk).status == Status.NOT_APPLICABLE
    assert former_employees_erased(company.tenant.pk).status == Status.NOT_APPLICABLE


def test_data_without_an_enabled_schedule_is_a_gap(company: Company) -> None:
    leaver(company, today_in_hong_kong() - dt.timedelta(days=30))
    finding = schedules_enforced(company.tenant.pk)
    assert finding.status == Status.GAP
    assert "1 of 1 categories" in finding.summary and "Former employees" in finding.summary
    enable(company)
    assert schedules_enforced(company.tenant.pk).status == Status.MET
    assert former_employees_erased(company.tenant.pk).status == Status.MET


def test_overdue_records_are_a_gap_until_erased_or_held(company: Company) -> None:
    kept = leaver(company, _years_ago(9))
    leaver(company, _years_ago(8))
    enable(company)
    finding = schedules_enforced(company.tenant.pk)
    assert finding.status == Status.GAP and "2 records are overdue" in finding.summary
    former = former_employees_erased(company.tenant.pk)
    assert former.status == Status.GAP and former.summary.startswith("2 former employees")

    actions.place_hold(company.system, member=kept, reason="Court order")
    runs.run_erasure(company.system, "former_employees")

    met = schedules_enforced(company.tenant.pk)
    assert met.status == Status.MET and "1 records on legal hold" in met.summary
    former = former_employees_erased(company.tenant.pk)
    assert former.status == Status.MET and "1 erased, 1 on hold" in former.summary
    assert [e.count for e in former.evidence] == [1, 1, 0]


def test_an_overdue_record_within_the_week_of_grace_is_not_yet_a_gap(company: Company) -> None:
    today = today_in_hong_kong()
    leaver(company, today - dt.timedelta(days=103))
    enable(company, days=100)
    assert schedules_enforced(company.tenant.pk).status == Status.MET
    leaver(company, today - dt.timedelta(days=108))
    assert schedules_enforced(company.tenant.pk).status == Status.GAP


@pytest.fixture
def applicants() -> Iterator[erasure.ErasableCategory]:
    category = erasure.ErasableCategory(
        code="test_rejected_applicants",
        label="Rejected applicants",
        default_days=730,
        basis="from the rejection",
        find_due=lambda tenant_id, today, days: ["applicant-1"] if days < 30 else [],
        erase=lambda tenant_id, ids: len(ids),
        rule_ids=("PDPO-DPP2-RETENTION", "HR-RECRUIT-2Y"),
    )
    erasure.register_category(category)
    yield category
    erasure._CATEGORIES.pop(category.code, None)


def test_applicants_rule_applies_only_with_an_applicants_category(
    company: Company, applicants: object
) -> None:
    assert applicants_kept_two_years(company.tenant.pk).status == Status.GAP  # data held, not scheduled
    with pytest.raises(Invalid):
        actions.update_schedule(company.system, "test_rejected_applicants", days=731)
    actions.update_schedule(company.system, "test_rejected_applicants", days=730, enabled=True)
    assert applicants_kept_two_years(company.tenant.pk).status == Status.MET


def test_applicants_rule_is_not_applicable_without_applicants(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = {code: c for code, c in erasure._CATEGORIES.items() if "HR-RECRUIT-2Y" not in c.rule_ids}
    monkeypatch.setattr(erasure, "_CATEGORIES", others)
    assert applicants_kept_two_years(company.tenant.pk).status == Status.NOT_APPLICABLE
