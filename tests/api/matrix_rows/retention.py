"""Permission-matrix rows for the retention routes: schedules, legal holds, preview, run now and the
erasure evidence (administrators only; company B is answered about itself)."""

from __future__ import annotations

from harbour.core.time import now, today_in_hong_kong
from harbour.retention.models import ErasureRun, LegalHold
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row


def _hold(w: World) -> str:
    """A live category hold of company A (made on first use, without an audit event: the matrix counts)."""
    found = LegalHold.objects.for_tenant(w.a.tenant).filter(reason="matrix", lifted_at__isnull=True).first()
    if found is None:
        found = LegalHold.objects.create(tenant=w.a.tenant, category="former_employees", reason="matrix")
    return str(found.pk)


def _run(w: World) -> str:
    found = ErasureRun.objects.for_tenant(w.a.tenant).first()
    if found is None:
        today = today_in_hong_kong()
        found = ErasureRun.objects.create(
            tenant=w.a.tenant,
            category="former_employees",
            days=2557,
            as_of=today,
            cutoff=today,
            state=ErasureRun.State.FINISHED,
            started_at=now(),
            finished_at=now(),
            started_by_label="matrix",
        )
    return str(found.pk)


ROWS: list[Row] = [
    Row("GET", "/retention/schedules", lambda w: Call("/retention/schedules"), denied=WRITERS, other="own"),
    Row(
        "PATCH",
        "/retention/schedules/{category}",
        lambda w: Call("/retention/schedules/former_employees", {"enabled": True}),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/retention/holds", lambda w: Call("/retention/holds"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/retention/holds",
        lambda w: Call("/retention/holds", {"category": "former_employees", "reason": "Tribunal claim"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/retention/holds/{hold_id}/lift",
        lambda w: Call(f"/retention/holds/{_hold(w)}/lift", {"reason": "claim settled"}),
        denied=WRITERS,
    ),
    Row("GET", "/retention/preview", lambda w: Call("/retention/preview"), denied=WRITERS, other="own"),
    Row("POST", "/retention/run", lambda w: Call("/retention/run", {}), denied=WRITERS, other="own"),
    Row("GET", "/retention/runs", lambda w: Call("/retention/runs"), denied=WRITERS, other="own"),
    Row("GET", "/retention/runs/{run_id}", lambda w: Call(f"/retention/runs/{_run(w)}"), denied=WRITERS),
]
