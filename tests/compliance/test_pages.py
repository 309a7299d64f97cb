"""The console dashboard: summary and chart, rules by section with findings and evidence links, the status
filter, attestations recorded and withdrawn, and who may see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from harbour.compliance import actions
from harbour.compliance.models import Attestation
from harbour.core.compliance import Evidence, Status
from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.directory.models import Member
from tests.compliance.conftest import Clock, SetChecks, answer
from tests.factories import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(company: Company, as_member: Callable[[Member], Client], set_checks: SetChecks) -> Client:
    set_checks(
        "PDPO-DPP6-DAR", answer(Status.GAP, "1 request overdue", Evidence("Access requests", 3, "/dr/"))
    )
    set_checks("HB-GOV-TRAINING", answer(Status.MET, "all trained"))
    assert company.admin is not None
    return as_member(company.admin)


def test_dashboard_shows_summary_rules_findings_and_evidence(admin: Client) -> None:
    response = admin.get("/compliance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<script>" not in html
    assert "The six Data Protection Principles" in html
    assert "1 request overdue" in html and 'href="/dr/"' in html
    assert "Not assessed by Harbour" in html


def test_status_filter_shows_only_that_status_and_refuses_an_unknown_one(admin: Client) -> None:
    html = admin.get("/compliance/", {"status": "gap"}).content.decode()
    assert 'id="rule-PDPO-DPP6-DAR"' in html and 'id="rule-HB-GOV-TRAINING"' not in html
    bad = admin.get("/compliance/", {"status": "excellent"})
    assert bad.status_code == 400 and "Unknown status excellent" in bad.content.decode()


def test_posture_over_time_and_changes_since_the_previous_snapshot(
    company: Company, admin: Client, clock: Clock, set_checks: SetChecks
) -> None:
    clock.set(dt.datetime(2026, 11, 29, 23, 50, tzinfo=HONG_KONG))
    actions.take_snapshot(company.system, refresh=False)
    clock.set(dt.datetime(2026, 11, 30, 9, 0, tzinfo=HONG_KONG))
    set_checks("HB-GOV-TRAINING", answer(Status.GAP, "3 overdue"))
    html = admin.get("/compliance/").content.decode()
    assert "Changes since the snapshot of 2026-11-29" in html
    assert 'href="#rule-HB-GOV-TRAINING"' in html
    assert "<rect" in html


def test_officer_records_and_withdraws_an_attestation_in_the_console(company: Company, admin: Client) -> None:
    review_by = (today_in_hong_kong() + dt.timedelta(days=90)).isoformat()
    response = admin.post(
        "/compliance/attestations/",
        {"rule_id": "DM-6A", "status": "not_applicable", "reason": "No marketing", "review_by": review_by},
    )
    assert response.status_code == 302
    attestation = Attestation.objects.for_tenant(company.tenant).get()
    assert attestation.recorded_by_name == "Ada Admin"

    confirm = admin.get(f"/compliance/attestations/{attestation.pk}/withdraw/")
    assert confirm.status_code == 200 and "Withdraw the attestation" in confirm.content.decode()
    done = admin.post(f"/compliance/attestations/{attestation.pk}/withdraw/", {"reason": "we market now"})
    assert done.status_code == 302
    attestation.refresh_from_db()
    assert attestation.withdrawn_at is not None and attestation.withdrawal_reason == "we market now"


def test_bad_attestation_form_shows_the_error_and_writes_nothing(company: Company, admin: Client) -> None:
    past = (today_in_hong_kong() - dt.timedelta(days=1)).isoformat()
    response = admin.post(
        "/compliance/attestations/",
        {"rule_id": "DM-6A", "status": "met", "reason": "ok", "review_by": past},
    )
    assert response.status_code == 400
    assert "the review date must be after today" in response.content.decode()
    response = admin.post("/compliance/attestations/", {"rule_id": "DM-6A", "status": "met", "reason": ""})
    assert response.status_code == 400
    assert not Attestation.objects.for_tenant(company.tenant).exists()


def test_pages_are_hidden_from_members_without_the_permission(
    company: Company, other_company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None and other_company.admin is not None
    member = as_member(company.member)
    for url in ("/compliance/", "/compliance/report/", "/compliance/report.pdf", "/compliance/report.html"):
        assert member.get(url).status_code == 404, url
    review_by = today_in_hong_kong() + dt.timedelta(days=30)
    made = actions.record_attestation(
        company.system, rule_id="DM-6A", status="met", reason="x", review_by=review_by
    )
    assert member.post(f"/compliance/attestations/{made.pk}/withdraw/", {}).status_code == 404
    foreign = as_member(other_company.admin)
    assert foreign.get(f"/compliance/attestations/{made.pk}/withdraw/").status_code == 404
    assert foreign.post(f"/compliance/attestations/{made.pk}/withdraw/", {}).status_code == 404
    made.refresh_from_db()
    assert made.withdrawn_at is None
