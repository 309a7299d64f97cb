"""The DingTalk baseline rules: not applicable without a connection, read from the stored facts, stale
facts warn, and what DingTalk's API cannot tell is a manual check kept out of the score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from harbour.core.time import now
from harbour.integrations.dingtalk.models import Connection
from harbour.security.baseline import Status, evaluate, report_rows
from tests.factories import Company

pytestmark = pytest.mark.django_db

DT_RULES = {f"HB.DT.{n}v1" for n in range(1, 9)}
MANUAL = {"HB.DT.6v1", "HB.DT.7v1", "HB.DT.8v1"}


def _results(company: Company) -> dict[str, Any]:
    return {r.rule.id: r for r in evaluate(company.tenant).results if r.rule.id.startswith("HB.DT.")}


def _connect(company: Company, facts: dict[str, Any] | None, read_at: dt.datetime | None = None) -> None:
    Connection.objects.create(
        tenant_id=company.tenant.pk,
        app_key="dingappkey",
        app_secret="s",
        facts=facts or {},
        facts_read_at=read_at if facts is not None else None,
    )


CLEAN = {
    "unreadable": {},
    "admins": {"count": 2, "main": 1, "sub": 1},
    "members": {"total": 100, "active": 90},
    "departments": {"count": 5, "external": 0, "external_names": []},
    "outside_domains": {"count": 0, "userids": [], "without_email": 0, "domains": ["acme.com.hk"]},
    "leavers_present": {"count": 0, "userids": [], "checked": 3},
}


def test_no_rule_applies_without_a_connection(company: Company) -> None:
    results = _results(company)
    assert set(results) == DT_RULES
    assert {r.finding.status for r in results.values()} == {Status.NOT_APPLICABLE}


def test_a_clean_tenant_passes_and_manual_checks_stay_out_of_the_score(company: Company) -> None:
    _connect(company, CLEAN, now())
    results = _results(company)
    assert {i for i, r in results.items() if r.finding.status == Status.PASS} == DT_RULES - MANUAL
    assert {i for i, r in results.items() if r.finding.status == Status.MANUAL} == MANUAL
    assert all(r.finding.note and not r.counts for i, r in results.items() if i in MANUAL)
    rows = {row["rule_id"]: row for row in report_rows(evaluate(company.tenant))}
    assert rows["HB.DT.6v1"]["result"] == "manual"


def test_findings_name_what_falls_short(company: Company) -> None:
    facts = {
        **CLEAN,
        "admins": {"count": 9, "main": 1, "sub": 8},
        "departments": {"count": 5, "external": 1, "external_names": ["Supplier staff"]},
        "outside_domains": {
            "count": 2,
            "userids": ["u1", "u2"],
            "without_email": 0,
            "domains": ["acme.com.hk"],
        },
        "leavers_present": {"count": 1, "userids": ["gone"], "checked": 1},
    }
    _connect(company, facts, now())
    results = _results(company)
    assert results["HB.DT.1v1"].finding.status == Status.FAIL
    assert results["HB.DT.2v1"].finding.status == Status.FAIL and "u1" in results["HB.DT.2v1"].finding.note
    assert results["HB.DT.3v1"].finding.actual == "1 leaver(s) still in DingTalk"
    assert results["HB.DT.4v1"].finding.status == Status.WARNING
    assert "Supplier staff" in results["HB.DT.4v1"].finding.note


def test_stale_unread_or_unreadable_facts_warn(company: Company) -> None:
    _connect(company, {**CLEAN, "unreadable": {"admins": "60011"}}, now() - dt.timedelta(days=5))
    results = _results(company)
    assert results["HB.DT.5v1"].finding.status == Status.WARNING
    assert (
        results["HB.DT.1v1"].finding.status == Status.WARNING
        and "60011" in results["HB.DT.1v1"].finding.actual
    )
    Connection.objects.for_tenant(company.tenant).update(facts={}, facts_read_at=None)
    assert _results(company)["HB.DT.2v1"].finding.actual == "not read yet"


def test_the_baseline_page_shows_manual_checks(company: Company, as_member: Any) -> None:
    assert company.admin is not None
    _connect(company, CLEAN, now())
    page = as_member(company.admin).get("/security/baseline/").content.decode()
    assert "HB.DT.7v1" in page and "manual check" in page
