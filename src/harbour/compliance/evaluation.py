"""How a company stands on each catalogue rule: its registered checks combined (any gap → gap; all not
applicable → not applicable; otherwise met), or "not assessed by Harbour" when no check covers the rule.

An officer's attestation is shown beside the computed status and never replaces it: a gap stays a gap, and
a rule Harbour does not assess stays "not assessed" (never shown as met)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from harbour.compliance.catalogue import RULES, SECTIONS, Rule, rule
from harbour.compliance.models import Attestation
from harbour.core.compliance import Evidence, Finding, Status, checks_for

log = logging.getLogger(__name__)


class RuleStatus(models.TextChoices):
    MET = "met", pgettext_lazy("compliance status", "Met")
    GAP = "gap", pgettext_lazy("compliance status", "Gap")
    NOT_APPLICABLE = "not_applicable", gettext_lazy("Not applicable")
    NOT_ASSESSED = "not_assessed", gettext_lazy("Not assessed by Harbour")


BADGES = {"met": "pass", "gap": "fail", "not_applicable": "deactivated", "not_assessed": "warning"}
STATUS_ORDER = [RuleStatus.GAP, RuleStatus.MET, RuleStatus.NOT_APPLICABLE, RuleStatus.NOT_ASSESSED]


def combine(findings: Iterable[Finding]) -> RuleStatus:
    """Any gap makes a gap; only not-applicable answers make not applicable; no answer is not assessed."""
    statuses = [finding.status for finding in findings]
    if not statuses:
        return RuleStatus.NOT_ASSESSED
    if Status.GAP in statuses:
        return RuleStatus.GAP
    if all(status == Status.NOT_APPLICABLE for status in statuses):
        return RuleStatus.NOT_APPLICABLE
    return RuleStatus.MET


@dataclass(frozen=True)
class AttestationView:
    id: str
    status: str
    reason: str
    evidence_ref: str
    review_by: str  # ISO day
    recorded_by: str
    recorded_at: str  # ISO time

    @classmethod
    def of(cls, attestation: Attestation) -> AttestationView:
        return cls(
            id=str(attestation.pk),
            status=attestation.status,
            reason=attestation.reason,
            evidence_ref=attestation.evidence_ref,
            review_by=attestation.review_by.isoformat(),
            recorded_by=attestation.recorded_by_name,
            recorded_at=attestation.created_at.isoformat(),
        )

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: RuleStatus
    findings: list[Finding] = field(default_factory=list)
    attestation: AttestationView | None = None

    @property
    def evidence(self) -> list[Evidence]:
        return [item for finding in self.findings for item in finding.evidence]

    @property
    def badge(self) -> str:
        """The console badge style of the status."""
        return BADGES[str(self.status)]

    @property
    def attestation_conflicts(self) -> bool:
        """An attestation beside a computed gap: shown, but the gap stands."""
        return self.attestation is not None and self.status == RuleStatus.GAP

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.rule.id,
            "status": str(self.status),
            "findings": [
                {
                    "status": str(finding.status),
                    "summary": finding.summary,
                    "evidence": [
                        {"label": e.label, "count": e.count, "path": e.path} for e in finding.evidence
                    ],
                }
                for finding in self.findings
            ],
            "attestation": self.attestation.as_json() if self.attestation else None,
        }


@dataclass(frozen=True)
class Posture:
    results: list[RuleResult]

    def counts(self) -> dict[str, int]:
        counts = {str(status): 0 for status in RuleStatus}
        for result in self.results:
            counts[str(result.status)] += 1
        return counts

    def by_section(self) -> list[tuple[str, str, list[RuleResult]]]:
        """(section key, title, results) in catalogue order, empty sections left out."""
        grouped = []
        for section in SECTIONS:
            rows = [r for r in self.results if r.rule.section == section.key]
            if rows:
                grouped.append((section.key, str(section.title), rows))
        return grouped

    def as_json(self) -> list[dict[str, Any]]:
        return [result.as_json() for result in self.results]


def _run(rule_id: str, check: Any, tenant_id: uuid.UUID) -> Finding:
    """A check that fails to run is reported as a gap (never silently met), naming the failure."""
    try:
        finding = check(tenant_id)
    except Exception:  # a broken check must not take the dashboard down, nor pass as met
        log.exception("compliance check for %s failed", rule_id)
        return Finding(Status.GAP, _("Harbour could not run this check; the failure is in the server log."))
    if not isinstance(finding, Finding):
        return Finding(Status.GAP, _("The check gave no finding."))
    return finding


def attestations_in_force(tenant_id: uuid.UUID) -> dict[str, Attestation]:
    rows = Attestation.objects.for_tenant(tenant_id).filter(withdrawn_at__isnull=True)
    return {row.rule_id: row for row in rows}


def evaluate(tenant_id: uuid.UUID) -> Posture:
    """Every catalogue rule, in catalogue order, with its checks' findings and the attestation in force."""
    attested = attestations_in_force(tenant_id)
    results = []
    for item in RULES:
        findings = [_run(item.id, check, tenant_id) for check in checks_for(item.id)]
        attestation = attested.get(item.id)
        results.append(
            RuleResult(
                rule=item,
                status=combine(findings),
                findings=findings,
                attestation=AttestationView.of(attestation) if attestation else None,
            )
        )
    return Posture(results)


def posture_from_json(rows: list[dict[str, Any]]) -> Posture:
    """A stored snapshot read back (rules no longer in the catalogue are left out)."""
    results = []
    for row in rows:
        item = rule(str(row.get("id", "")))
        if item is None:
            continue
        findings = [
            Finding(
                Status(str(f.get("status"))),
                str(f.get("summary", "")),
                [
                    Evidence(str(e.get("label", "")), e.get("count"), str(e.get("path", "")))
                    for e in f["evidence"]
                ],
            )
            for f in row.get("findings", [])
        ]
        stored = row.get("attestation")
        attestation = AttestationView(**stored) if isinstance(stored, dict) else None
        results.append(RuleResult(item, RuleStatus(str(row.get("status"))), findings, attestation))
    return Posture(results)


def status_label(value: str) -> str:
    try:
        return str(RuleStatus(value).label)
    except ValueError:
        return value
