"""Combining a rule's checks, the "not assessed" state, and attestations shown beside (never over) a gap."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from harbour.compliance import actions
from harbour.compliance.evaluation import RuleStatus, combine, evaluate
from harbour.core.compliance import Evidence, Finding, Status
from harbour.core.time import today_in_hong_kong
from tests.api.helpers import ApiClient, body
from tests.compliance.conftest import SetChecks, answer
from tests.factories import Company

MET = answer(Status.MET, "all good", Evidence("Policy acknowledgements", 12, "/policies/"))
GAP = answer(
    Status.GAP, "3 of 4 requests answered within 40 days", Evidence("Access requests", 4, "/requests/")
)
NA = answer(Status.NOT_APPLICABLE, "no such data is kept")


def _status(company: Company, rule_id: str) -> RuleStatus:
    return next(r.status for r in evaluate(company.tenant.pk).results if r.rule.id == rule_id)


def test_combine_any_gap_all_not_applicable_otherwise_met() -> None:
    met, gap, na = (Finding(s, "") for s in (Status.MET, Status.GAP, Status.NOT_APPLICABLE))
    assert combine([met, na, gap]) == RuleStatus.GAP
    assert combine([na, na]) == RuleStatus.NOT_APPLICABLE
    assert combine([met, na]) == RuleStatus.MET
    assert combine([met]) == RuleStatus.MET
    assert combine([]) == RuleStatus.NOT_ASSESSED


@pytest.mark.django_db
def test_registered_checks_are_combined_per_company(company: Company, set_checks: SetChecks) -> None:
    set_checks("PDPO-DPP6-DAR", MET, GAP)
    set_checks("DM-6A", NA, NA)
    set_checks("HB-GOV-TRAINING", MET, NA)
    result = {r.rule.id: r for r in evaluate(company.tenant.pk).results}
    assert result["PDPO-DPP6-DAR"].status == RuleStatus.GAP
    assert [f.summary for f in result["PDPO-DPP6-DAR"].findings] == [
        "all good",
        "3 of 4 requests answered within 40 days",
    ]
    assert [e.label for e in result["PDPO-DPP6-DAR"].evidence] == [
        "Policy acknowledgements",
        "Access requests",
    ]
    assert result["DM-6A"].status == RuleStatus.NOT_APPLICABLE
    assert result["HB-GOV-TRAINING"].status == RuleStatus.MET


@pytest.mark.django_db
def test_checks_are_asked_about_the_company_evaluated(
    company: Company, other_company: Company, set_checks: SetChecks
) -> None:
    def only_acme(tenant_id: uuid.UUID) -> Finding:
        return Finding(Status.MET if tenant_id == company.tenant.pk else Status.GAP, "")

    set_checks("MON-3A", only_acme)
    assert _status(company, "MON-3A") == RuleStatus.MET
    assert _status(other_company, "MON-3A") == RuleStatus.GAP


@pytest.mark.django_db
def test_a_rule_without_checks_is_not_assessed_and_never_counted_as_met(
    company: Company, no_checks: None, set_checks: SetChecks
) -> None:
    set_checks("PDPO-DPP6-DAR", MET)
    posture = evaluate(company.tenant.pk)
    counts = posture.counts()
    assert counts["met"] == 1
    assert counts["not_assessed"] == len(posture.results) - 1
    assert _status(company, "XB-GBA") == RuleStatus.NOT_ASSESSED


@pytest.mark.django_db
def test_a_check_that_fails_to_run_is_a_gap(company: Company, set_checks: SetChecks) -> None:
    def broken(tenant_id: uuid.UUID) -> Finding:
        raise RuntimeError("table missing")

    set_checks("PDPO-DPP4-SECURITY", MET, broken)
    assert _status(company, "PDPO-DPP4-SECURITY") == RuleStatus.GAP


@pytest.mark.django_db
def test_an_attestation_does_not_hide_a_computed_gap(
    company: Company, admin_api: ApiClient, set_checks: SetChecks
) -> None:
    set_checks("PDPO-DPP6-DAR", GAP)
    review_by = (today_in_hong_kong() + dt.timedelta(days=90)).isoformat()
    created = admin_api.post(
        "/compliance/attestations",
        {"rule_id": "PDPO-DPP6-DAR", "status": "met", "reason": "answered by post", "review_by": review_by},
    )
    assert created.status_code == 201, created.content
    rules = {r["id"]: r for r in body(admin_api.get("/compliance/status"))["rules"]}
    assert rules["PDPO-DPP6-DAR"]["status"] == "gap"
    assert rules["PDPO-DPP6-DAR"]["attestation"]["status"] == "met"
    assert rules["PDPO-DPP6-DAR"]["findings"][0]["summary"] == "3 of 4 requests answered within 40 days"
    result = next(r for r in evaluate(company.tenant.pk).results if r.rule.id == "PDPO-DPP6-DAR")
    assert result.attestation_conflicts


@pytest.mark.django_db
def test_an_attestation_on_a_rule_harbour_does_not_assess_leaves_it_not_assessed(
    company: Company, no_checks: None
) -> None:
    actions.record_attestation(
        company.system,
        rule_id="DM-6A",
        status="not_applicable",
        reason="Harbour is not used for direct marketing",
        review_by=today_in_hong_kong() + dt.timedelta(days=365),
    )
    result = next(r for r in evaluate(company.tenant.pk).results if r.rule.id == "DM-6A")
    assert result.status == RuleStatus.NOT_ASSESSED
    assert result.attestation is not None and result.attestation.status == "not_applicable"


@pytest.mark.django_db
def test_status_api_describes_each_rule(
    company: Company, admin_api: ApiClient, set_checks: SetChecks
) -> None:
    set_checks("HR-FORMER-7Y", MET)
    data = body(admin_api.get("/compliance/status"))
    rules = {r["id"]: r for r in data["rules"]}
    assert len(rules) == sum(data["counts"].values())
    rule = rules["HR-FORMER-7Y"]
    assert rule["status"] == "met" and rule["kind"] == "statutory_code" and rule["confidence"] == "C"
    assert rule["section"] == "monitoring_hr" and rule["title"] and rule["duty"]
    assert rule["findings"][0]["evidence"] == [
        {"label": "Policy acknowledgements", "count": 12, "path": "/policies/"}
    ]
    assert rules["MON-GPS-WIFI"]["status"] == "not_assessed" and rules["MON-GPS-WIFI"]["confidence"] == "U"


@pytest.mark.django_db
def test_administrators_and_compliance_officers_hold_the_compliance_permissions(company: Company) -> None:
    assert {"compliance.view", "compliance.manage"} <= set(company.roles["administrator"].permissions)
    assert {"compliance.view", "compliance.manage"} <= set(company.roles["compliance_officer"].permissions)
    assert "compliance.view" not in company.roles["general_member"].permissions
