"""The compliance report: HTML and PDF with cover, summary, a table per section, the evidence index,
attestations and rules not assessed; from the console, the API and the command line; always audited."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from harbour.audit.models import AuditEvent
from harbour.cli import main
from harbour.compliance import actions
from harbour.compliance.models import PostureSnapshot
from harbour.compliance.report import report_context
from harbour.core.compliance import Evidence, Status
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.compliance.conftest import SetChecks, answer
from tests.factories import Company

pytestmark = pytest.mark.django_db

REQUESTS = Evidence("Data access requests", 4, "/data-requests/")
POLICY = Evidence("Conduct policy acknowledgements", 38, "/policies/")


@pytest.fixture
def findings(company: Company, set_checks: SetChecks) -> None:
    set_checks(
        "PDPO-DPP6-DAR", answer(Status.GAP, "3 of 4 access requests answered within 40 days", REQUESTS)
    )
    set_checks("HB-GOV-CONDUCT", answer(Status.MET, "38 of 38 members acknowledged", POLICY))
    set_checks("PDPO-DPP6-DCR", answer(Status.MET, "no correction request overdue", REQUESTS))
    actions.record_attestation(
        company.system,
        rule_id="DM-6A",
        status="not_applicable",
        reason="Harbour is not used for direct marketing",
        review_by=today_in_hong_kong() + dt.timedelta(days=365),
    )


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())  # table cells wrap: compare with single spaces


def test_evidence_index_numbers_each_piece_once_and_tables_refer_to_it(
    company: Company, findings: None
) -> None:
    snapshot = actions.generate_report(company.system, fmt="html")
    context = report_context(company.tenant, snapshot, prepared_by="Ada Admin")
    index = {e.ref: e for e in context["evidence_index"]}
    assert [(e.label, e.count, e.path) for e in index.values()][:2] == [
        ("Data access requests", 4, "/data-requests/"),
        ("Conduct policy acknowledgements", 38, "/policies/"),
    ]
    assert index["E1"].rules == ["PDPO-DPP6-DAR", "PDPO-DPP6-DCR"]  # one entry, two rules
    rows = {row.result.rule.id: row for _k, _t, rows in context["sections"] for row in rows}
    assert rows["PDPO-DPP6-DAR"].refs == ["E1"] and rows["HB-GOV-CONDUCT"].refs == ["E2"]
    assert [row.result.rule.id for row in context["attested"]] == ["DM-6A"]
    assert "XB-GBA" in [r.rule.id for r in context["not_assessed"]]


def test_pdf_has_cover_summary_sections_evidence_index_and_attestations(
    company: Company, findings: None, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    response = as_member(company.admin).get("/compliance/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"compliance-report-acme-{today_in_hong_kong().isoformat()}.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for expected in (
        "Compliance report",
        "Acme Trading Ltd",
        "Prepared by",
        "Ada Admin",
        "Summary",
        "Posture over time",
        "The six Data Protection Principles",
        "PDPO-DPP6-DAR",
        "3 of 4 access requests answered within 40 days",
        "Evidence index",
        "Data access requests",
        "/data-requests/",
        "Attestations",
        "Harbour is not used for direct marketing",
        "Rules not assessed by Harbour",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="compliance.report_generated")
    assert event.data["format"] == "pdf"


def test_console_report_page_and_html_file(
    company: Company, findings: None, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    client = as_member(company.admin)
    page = client.get("/compliance/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Evidence index" in html and 'href="#E1"' in html and 'href="/data-requests/"' in html
    assert "<svg" in html and "<script>" not in html
    download = client.get("/compliance/report.html")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert "<!doctype html>" in download.content.decode().lower()
    assert (
        AuditEvent.objects.for_tenant(company.tenant).filter(kind="compliance.report_generated").count() == 2
    )
    assert PostureSnapshot.objects.for_tenant(company.tenant).count() == 1  # today's, refreshed


def test_api_prints_a_stored_snapshot(
    company: Company, other_company: Company, findings: None, admin_api: ApiClient
) -> None:
    snapshot = body(admin_api.post("/compliance/snapshots"))
    response = admin_api.get(f"/compliance/snapshots/{snapshot['id']}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Evidence index" in _pdf_text(response.content)
    assert other_company.admin is not None
    assert_problem(api_as(other_company.admin).get(f"/compliance/snapshots/{snapshot['id']}/report.pdf"), 404)
    assert_problem(admin_api.get("/compliance/snapshots/nope/report.pdf"), 404)


def test_cli_writes_the_pdf_and_the_html(
    company: Company, findings: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.pdf"
    assert (
        main(["compliance", "report", "--tenant", "acme", "--out", str(out), "--prepared-by", "Dora DPO"])
        == 0
    )
    assert str(out) in capsys.readouterr().out
    text = _pdf_text(out.read_bytes())
    assert "Dora DPO" in text and "Evidence index" in text and "PDPO-DPP6-DAR" in text

    html = tmp_path / "report.html"
    assert main(["compliance", "report", "--tenant", "acme", "--out", str(html), "--html"]) == 0
    assert "Evidence index" in html.read_text(encoding="utf-8")
    events = AuditEvent.objects.for_tenant(company.tenant).filter(kind="compliance.report_generated")
    assert sorted(e.data["format"] for e in events) == ["html", "pdf"]


def test_cli_fails_cleanly_on_a_bad_slug_or_an_unwritable_path(
    company: Company, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.pdf"
    assert main(["compliance", "report", "--tenant", "nosuch", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "nosuch" in error and len(error.strip().splitlines()) == 1
    assert not out.exists()

    assert (
        main(["compliance", "report", "--tenant", "acme", "--out", str(tmp_path / "missing" / "r.pdf")]) == 2
    )
    assert "cannot write" in capsys.readouterr().err
    assert main(["compliance", "report", "--tenant", "acme", "--out", str(tmp_path)]) == 2
    assert (
        not AuditEvent.objects.for_tenant(company.tenant).filter(kind="compliance.report_generated").exists()
    )
