"""Permission-matrix rows for the announcements routes: officers' routes need ``announcement.view`` or
``announcement.manage``; the inbox answers any member about what they received."""

from __future__ import annotations

import datetime as dt

from harbour.core.time import now
from tests.announcements import builders
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row


def _draft(w: World, title: str = "Matrix draft", *, full: bool = False) -> str:
    return str(builders.draft(w.a, title, full=full).pk)


def _sent(w: World) -> str:
    return str(builders.sent(w.a).pk)


def _scheduled(w: World) -> str:
    return str(builders.scheduled(w.a).pk)


BASE = "/announcements"

ROWS: list[Row] = [
    Row("GET", BASE, lambda w: Call(BASE), denied=WRITERS, other="own"),
    Row("POST", BASE, lambda w: Call(BASE, {"title": "Matrix new"}), ok=201, denied=WRITERS, other="own"),
    Row(
        "GET",
        f"{BASE}/{{announcement_id}}",
        lambda w: Call(f"{BASE}/{_draft(w)}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        f"{BASE}/{{announcement_id}}",
        lambda w: Call(f"{BASE}/{_draft(w)}", {"title_zh": "矩陣"}),
        denied=WRITERS,
    ),
    Row(
        "DELETE",
        f"{BASE}/{{announcement_id}}",
        lambda w: Call(f"{BASE}/{_draft(w, 'Matrix doomed')}"),
        ok=204,
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{announcement_id}}/send",
        lambda w: Call(f"{BASE}/{_draft(w, 'Matrix to send', full=True)}/send"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{announcement_id}}/schedule",
        lambda w: Call(
            f"{BASE}/{_draft(w, 'Matrix to schedule', full=True)}/schedule",
            {"scheduled_for": (now() + dt.timedelta(days=1)).isoformat()},
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{announcement_id}}/cancel",
        lambda w: Call(f"{BASE}/{_scheduled(w)}/cancel"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        f"{BASE}/{{announcement_id}}/receipts",
        lambda w: Call(f"{BASE}/{_sent(w)}/receipts"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        f"{BASE}/{{announcement_id}}/receipts.csv",
        lambda w: Call(f"{BASE}/{_sent(w)}/receipts.csv"),
        denied=WRITERS,
        content_type="text/csv",
    ),
    Row(
        "GET", f"{BASE}/{{announcement_id}}/stats", lambda w: Call(f"{BASE}/{_sent(w)}/stats"), denied=WRITERS
    ),
    Row("GET", f"{BASE}/inbox", lambda w: Call(f"{BASE}/inbox"), denied=(), other="own"),
    Row("GET", f"{BASE}/inbox/language", lambda w: Call(f"{BASE}/inbox/language"), denied=(), other="own"),
    Row(
        "PUT",
        f"{BASE}/inbox/language",
        lambda w: Call(f"{BASE}/inbox/language", {"language": "zh-hant"}),
        denied=(),
        other="own",
    ),
    Row("GET", f"{BASE}/inbox/{{announcement_id}}", lambda w: Call(f"{BASE}/inbox/{_sent(w)}"), denied=()),
    Row(
        "POST",
        f"{BASE}/inbox/{{announcement_id}}/read",
        lambda w: Call(f"{BASE}/inbox/{_sent(w)}/read"),
        denied=(),
    ),
]
