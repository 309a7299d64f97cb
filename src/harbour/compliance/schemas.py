"""API shapes of the compliance dashboard."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from harbour.compliance.catalogue import CONFIDENCE, KINDS, section_title
from harbour.compliance.evaluation import Posture, RuleResult
from harbour.compliance.models import Attestation, PostureSnapshot


class EvidenceOut(Schema):
    label: str
    count: int | None
    path: str


class FindingOut(Schema):
    status: str
    summary: str
    evidence: list[EvidenceOut]


class AttestationOut(Schema):
    id: uuid.UUID
    rule_id: str
    status: str
    reason: str
    evidence_ref: str
    review_by: dt.date
    recorded_by: str
    recorded_at: dt.datetime
    in_force: bool
    withdrawn_at: dt.datetime | None
    withdrawn_by: str
    withdrawal_reason: str

    @classmethod
    def of(cls, attestation: Attestation) -> AttestationOut:
        return cls(
            id=attestation.pk,
            rule_id=attestation.rule_id,
            status=attestation.status,
            reason=attestation.reason,
            evidence_ref=attestation.evidence_ref,
            review_by=attestation.review_by,
            recorded_by=attestation.recorded_by_name,
            recorded_at=attestation.created_at,
            in_force=attestation.in_force,
            withdrawn_at=attestation.withdrawn_at,
            withdrawn_by=attestation.withdrawn_by_name,
            withdrawal_reason=attestation.withdrawal_reason,
        )


class RuleAttestationOut(Schema):
    id: str
    status: str
    reason: str
    evidence_ref: str
    review_by: str
    recorded_by: str


class RuleOut(Schema):
    id: str
    section: str
    section_title: str
    title: str
    duty: str
    confidence: str  # C, P or U: how sure the source is
    confidence_label: str
    kind: str
    kind_label: str
    status: str  # met, gap, not_applicable, not_assessed
    findings: list[FindingOut]
    attestation: RuleAttestationOut | None

    @classmethod
    def of(cls, result: RuleResult) -> RuleOut:
        rule = result.rule
        attestation = result.attestation
        return cls(
            id=rule.id,
            section=rule.section,
            section_title=section_title(rule.section),
            title=str(rule.title),
            duty=str(rule.duty),
            confidence=rule.confidence,
            confidence_label=str(CONFIDENCE[rule.confidence]),
            kind=rule.kind,
            kind_label=str(KINDS[rule.kind]),
            status=str(result.status),
            findings=[
                FindingOut(
                    status=str(f.status),
                    summary=f.summary,
                    evidence=[EvidenceOut(label=e.label, count=e.count, path=e.path) for e in f.evidence],
                )
                for f in result.findings
            ],
            attestation=RuleAttestationOut(
                id=attestation.id,
                status=attestation.status,
                reason=attestation.reason,
                evidence_ref=attestation.evidence_ref,
                review_by=attestation.review_by,
                recorded_by=attestation.recorded_by,
            )
            if attestation
            else None,
        )


class StatusOut(Schema):
    evaluated_at: dt.datetime
    counts: dict[str, int]
    rules: list[RuleOut]

    @classmethod
    def of(cls, posture: Posture, at: dt.datetime) -> StatusOut:
        return cls(evaluated_at=at, counts=posture.counts(), rules=[RuleOut.of(r) for r in posture.results])


class SnapshotOut(Schema):
    id: uuid.UUID
    day: dt.date
    taken_at: dt.datetime
    counts: dict[str, int]
    statuses: dict[str, str]

    @classmethod
    def of(cls, snapshot: PostureSnapshot) -> SnapshotOut:
        return cls(
            id=snapshot.pk,
            day=snapshot.day,
            taken_at=snapshot.taken_at,
            counts={str(k): int(v) for k, v in snapshot.counts.items()},
            statuses=snapshot.statuses(),
        )


class AttestationIn(Schema):
    rule_id: str
    status: str  # met or not_applicable
    reason: str
    review_by: dt.date
    evidence_ref: str = ""


class WithdrawIn(Schema):
    reason: str = ""
