"""REST API v1 of compliance: the status of every catalogue rule, posture snapshots (history, take today's),
attestations (list, record, withdraw) and a snapshot's report as PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from harbour.compliance import actions
from harbour.compliance.queries import (
    MANAGE,
    attestations_visible_to,
    get_attestation_for,
    get_snapshot_for,
    posture_for,
    snapshots_visible_to,
)
from harbour.compliance.report import file_name, report_pdf
from harbour.compliance.schemas import AttestationIn, AttestationOut, SnapshotOut, StatusOut, WithdrawIn
from harbour.core.models import Tenant
from harbour.core.time import now

router = Router(tags=["Compliance dashboard and report"])
SNAPSHOTS_SHOWN = 400
ATTESTATIONS_SHOWN = 500


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@router.get(
    "/compliance/status", response=StatusOut, summary="Every catalogue rule: status, findings, evidence"
)
def status(request: HttpRequest) -> StatusOut:
    return StatusOut.of(posture_for(_actor(request)), now())


@router.get("/compliance/snapshots", response=list[SnapshotOut], summary="Posture snapshots, newest first")
def list_snapshots(request: HttpRequest) -> list[SnapshotOut]:
    rows = snapshots_visible_to(_actor(request)).order_by("-day")[:SNAPSHOTS_SHOWN]
    return [SnapshotOut.of(row) for row in rows]


@router.post(
    "/compliance/snapshots",
    response={201: SnapshotOut},
    summary="Take today's snapshot now (replaces today's)",
)
def take_snapshot(request: HttpRequest) -> tuple[int, SnapshotOut]:
    snapshot, _created = actions.take_snapshot(_actor(request), refresh=True)
    return 201, SnapshotOut.of(snapshot)


@router.get(
    "/compliance/snapshots/{snapshot_id}/report.pdf",
    summary="The compliance report of a snapshot's day (PDF)",
)
def snapshot_report(request: HttpRequest, snapshot_id: str) -> HttpResponse:
    actor = _actor(request)
    snapshot = get_snapshot_for(actor, snapshot_id)
    actions.record_report(actor, snapshot, fmt="pdf")
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    response = HttpResponse(
        report_pdf(tenant, snapshot, prepared_by=actions.actor_name(actor)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(tenant, snapshot.day, "pdf")}"'
    return response


@router.get("/compliance/attestations", response=list[AttestationOut], summary="Attestations, newest first")
def list_attestations(request: HttpRequest) -> list[AttestationOut]:
    rows = attestations_visible_to(_actor(request)).order_by("-created_at")[:ATTESTATIONS_SHOWN]
    return [AttestationOut.of(row) for row in rows]


@router.post(
    "/compliance/attestations",
    response={201: AttestationOut},
    summary="Attest that a rule is met or not applicable (a computed gap stays a gap)",
)
def create_attestation(request: HttpRequest, body: AttestationIn) -> tuple[int, AttestationOut]:
    attestation = actions.record_attestation(
        _actor(request),
        rule_id=body.rule_id,
        status=body.status,
        reason=body.reason,
        review_by=body.review_by,
        evidence_ref=body.evidence_ref,
    )
    return 201, AttestationOut.of(attestation)


@router.post(
    "/compliance/attestations/{attestation_id}/withdraw",
    response=AttestationOut,
    summary="Withdraw an attestation (kept on record)",
)
def withdraw_attestation(
    request: HttpRequest, attestation_id: str, body: WithdrawIn | None = None
) -> AttestationOut:
    actor = _actor(request)
    attestation = actions.withdraw_attestation(
        actor, get_attestation_for(actor, attestation_id, MANAGE), reason=body.reason if body else ""
    )
    return AttestationOut.of(attestation)
