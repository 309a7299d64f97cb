"""Permission-matrix rows for the compliance routes: reading needs ``compliance.view``; attesting and taking
a snapshot need ``compliance.manage`` (both held by Administrators only)."""

from __future__ import annotations

import datetime as dt

from harbour.compliance import actions
from harbour.compliance.models import Attestation, PostureSnapshot
from harbour.core.time import today_in_hong_kong
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row

BASE = "/compliance"


def _attestation(w: World) -> str:
    """An attestation in force in company A (made on first use)."""
    found = (
        Attestation.objects.for_tenant(w.a.tenant).filter(rule_id="DM-6A", withdrawn_at__isnull=True).first()
    )
    made = found or actions.record_attestation(
        w.a.system,
        rule_id="DM-6A",
        status="not_applicable",
        reason="Harbour is not used for direct marketing",
        review_by=today_in_hong_kong() + dt.timedelta(days=365),
    )
    return str(made.pk)


def _snapshot(w: World) -> str:
    found = PostureSnapshot.objects.for_tenant(w.a.tenant).first()
    return str((found or actions.take_snapshot(w.a.system)[0]).pk)


def _new_attestation(w: World) -> Call:
    return Call(
        f"{BASE}/attestations",
        {
            "rule_id": "XB-GBA",
            "status": "not_applicable",
            "reason": "No transfer under the GBA standard contract",
            "review_by": (today_in_hong_kong() + dt.timedelta(days=180)).isoformat(),
        },
    )


ROWS: list[Row] = [
    Row("GET", f"{BASE}/status", lambda w: Call(f"{BASE}/status"), denied=WRITERS, other="own"),
    Row("GET", f"{BASE}/snapshots", lambda w: Call(f"{BASE}/snapshots"), denied=WRITERS, other="own"),
    Row(
        "POST", f"{BASE}/snapshots", lambda w: Call(f"{BASE}/snapshots"), ok=201, denied=WRITERS, other="own"
    ),
    Row(
        "GET",
        f"{BASE}/snapshots/{{snapshot_id}}/report.pdf",
        lambda w: Call(f"{BASE}/snapshots/{_snapshot(w)}/report.pdf"),
        denied=WRITERS,
        content_type="application/pdf",
    ),
    Row("GET", f"{BASE}/attestations", lambda w: Call(f"{BASE}/attestations"), denied=WRITERS, other="own"),
    Row("POST", f"{BASE}/attestations", _new_attestation, ok=201, denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{BASE}/attestations/{{attestation_id}}/withdraw",
        lambda w: Call(f"{BASE}/attestations/{_attestation(w)}/withdraw", {"reason": "reviewed"}),
        denied=WRITERS,
    ),
]
