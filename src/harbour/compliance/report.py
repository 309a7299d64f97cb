"""The compliance report an officer hands to an auditor or the PCPD: cover, summary and chart, one table per
section (rule, status, finding, evidence references), the evidence index (E1, E2 …), attestations and the
rules Harbour does not assess. Printed from a stored snapshot, so it reads the same later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from harbour.compliance.catalogue import KINDS
from harbour.compliance.charts import COLORS, posture_chart, summary_chart
from harbour.compliance.evaluation import (
    STATUS_ORDER,
    RuleResult,
    RuleStatus,
    posture_from_json,
    status_label,
)
from harbour.compliance.models import AttestedStatus, PostureSnapshot
from harbour.compliance.queries import history
from harbour.core.models import Tenant
from harbour.core.pdf import template_to_pdf
from harbour.core.time import local, now

DOCUMENT = "compliance/report_document.html"


@dataclass
class EvidenceEntry:
    ref: str  # "E1"
    label: str
    count: int | None
    path: str
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportRow:
    result: RuleResult
    refs: list[str]

    @property
    def status_label(self) -> str:
        return status_label(str(self.result.status))

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.result.rule.kind])

    @property
    def attestation_label(self) -> str:
        attestation = self.result.attestation
        return str(AttestedStatus(attestation.status).label) if attestation else ""


def _index(results: list[RuleResult]) -> tuple[list[EvidenceEntry], dict[str, list[str]]]:
    """Number each distinct piece of evidence once (same label, count and path → same entry)."""
    entries: dict[tuple[str, int | None, str], EvidenceEntry] = {}
    refs: dict[str, list[str]] = {}
    for result in results:
        mine: list[str] = []
        for evidence in result.evidence:
            key = (evidence.label, evidence.count, evidence.path)
            entry = entries.get(key)
            if entry is None:
                entry = EvidenceEntry(f"E{len(entries) + 1}", evidence.label, evidence.count, evidence.path)
                entries[key] = entry
            if result.rule.id not in entry.rules:
                entry.rules.append(result.rule.id)
            if entry.ref not in mine:
                mine.append(entry.ref)
        refs[result.rule.id] = mine
    return list(entries.values()), refs


def report_context(tenant: Tenant, snapshot: PostureSnapshot, *, prepared_by: str) -> dict[str, Any]:
    posture = posture_from_json(snapshot.rules)
    evidence, refs = _index(posture.results)
    counts = {str(s): int(snapshot.counts.get(str(s), 0)) for s in STATUS_ORDER}
    chart = summary_chart(counts)
    return {
        "tenant": tenant,
        "company_name": tenant.registered_name or tenant.display_name,
        "prepared_by": prepared_by,
        "generated_at": local(now()),
        "snapshot": snapshot,
        "as_of": local(snapshot.taken_at),
        "counts": [(str(s), status_label(str(s)), counts[str(s)]) for s in STATUS_ORDER],
        "total": sum(counts.values()),
        "summary_chart": chart,
        "summary_bars": [(COLORS[str(s)], bar) for s, bar in zip(STATUS_ORDER, chart.bars, strict=True)],
        "posture_chart": posture_chart(history(tenant.pk, until=snapshot.day)),
        "sections": [
            (key, title, [ReportRow(r, refs[r.rule.id]) for r in rows])
            for key, title, rows in posture.by_section()
        ],
        "evidence_index": evidence,
        "attested": [ReportRow(r, refs[r.rule.id]) for r in posture.results if r.attestation],
        "not_assessed": [r for r in posture.results if r.status == RuleStatus.NOT_ASSESSED],
    }


def report_html(tenant: Tenant, snapshot: PostureSnapshot, *, prepared_by: str) -> str:
    return render_to_string(DOCUMENT, report_context(tenant, snapshot, prepared_by=prepared_by))


def report_pdf(tenant: Tenant, snapshot: PostureSnapshot, *, prepared_by: str) -> bytes:
    return template_to_pdf(DOCUMENT, report_context(tenant, snapshot, prepared_by=prepared_by))


def file_name(tenant: Tenant, day: dt.date, ext: str) -> str:
    return f"compliance-report-{tenant.slug}-{day.isoformat()}.{ext}"
