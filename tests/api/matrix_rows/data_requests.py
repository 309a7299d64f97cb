"""Permission-matrix rows for the data_requests routes: the handlers' routes need ``datarequest.view`` /
``datarequest.manage`` (the Administrator); "mine" is open to every member."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.core.time import now, today_in_hong_kong
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row


def _request(w: World, kind: str = "access", name: str = "Matrix Requester") -> str:
    """An open request of company A from an outside person (made on first use)."""
    from harbour.data_requests.actions import record_request
    from harbour.data_requests.models import OPEN_STATES, DataRequest

    found = (
        DataRequest.objects.for_tenant(w.a.tenant)
        .filter(kind=kind, requester_name=name, state__in=OPEN_STATES)
        .first()
    )
    if found is None:
        found = record_request(
            w.a.system,
            kind=kind,
            received_on=today_in_hong_kong() - dt.timedelta(days=3),
            description="Matrix: my file",
            language="en",
            requester_name=name,
            requester_contact="matrix@example.com",
        )
    return str(found.pk)


def _fresh(w: World, route: str) -> str:
    """An open request of its own for a route that closes it (made on first use, so a refused call
    writes nothing)."""
    return _request(w, name=f"Matrix {route}")


def _new_request(w: World) -> dict[str, Any]:
    return {
        "kind": "access",
        "received_on": today_in_hong_kong().isoformat(),
        "description": "A copy of my personnel file",
        "language": "en",
        "requester_name": "Olive Outsider",
        "requester_contact": "olive@example.com",
    }


ROWS: list[Row] = [
    Row("GET", "/data-requests", lambda w: Call("/data-requests"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/data-requests",
        lambda w: Call("/data-requests", _new_request(w)),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/data-requests/mine", lambda w: Call("/data-requests/mine"), denied=(), other="own"),
    Row(
        "POST",
        "/data-requests/mine",
        lambda w: Call(
            "/data-requests/mine", {"description": "Everything you hold about me", "language": "en"}
        ),
        ok=201,
        denied=(),
        other="own",
    ),
    Row(
        "GET",
        "/data-requests/disclosures",
        lambda w: Call("/data-requests/disclosures"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/data-requests/disclosures",
        lambda w: Call(
            "/data-requests/disclosures",
            {
                "subject_name": "Olive Outsider",
                "recipient": "Payroll bureau",
                "data_disclosed": "Name and salary",
                "disclosed_at": (now() - dt.timedelta(days=2)).isoformat(),
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/data-requests/log-book",
        lambda w: Call("/data-requests/log-book"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/data-requests/log-book.csv",
        lambda w: Call("/data-requests/log-book.csv"),
        denied=WRITERS,
        other="own",
        content_type="text/csv",
    ),
    Row(
        "GET", "/data-requests/{request_id}", lambda w: Call(f"/data-requests/{_request(w)}"), denied=WRITERS
    ),
    Row(
        "POST",
        "/data-requests/{request_id}/delay-notice",
        lambda w: Call(
            f"/data-requests/{_fresh(w, 'delay-notice')}/delay-notice", {"reasons": "Archive in storage"}
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/data-requests/{request_id}/complete",
        lambda w: Call(
            f"/data-requests/{_fresh(w, 'complete')}/complete",
            {
                "data_held": True,
                "supplied": "Personnel file",
                "supplied_on": today_in_hong_kong().isoformat(),
            },
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/data-requests/{request_id}/refuse",
        lambda w: Call(
            f"/data-requests/{_fresh(w, 'refuse')}/refuse",
            {"ground": "s20_3_a_language", "reasons": "Written in French"},
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/data-requests/{request_id}/withdraw",
        lambda w: Call(f"/data-requests/{_fresh(w, 'withdraw')}/withdraw", {"note": "by phone"}),
        denied=WRITERS,
    ),
]
