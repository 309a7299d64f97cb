"""Permission-matrix rows for the training routes: officers' routes need ``training.view`` or
``training.manage``; check-in, the quiz and "my training" answer any member of the session's audience."""

from __future__ import annotations

import datetime as dt

from harbour.core.time import now, today_in_hong_kong
from harbour.training import actions
from harbour.training.models import Programme, Session
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row

QUIZ = {
    "title": "Matrix quiz",
    "pass_mark": 50,
    "questions": [
        {"text": "Report phishing?", "options": [{"text": "Yes", "correct": True}, {"text": "No"}]}
    ],
}


def _programme(w: World) -> Programme:
    found = Programme.objects.for_tenant(w.a.tenant).filter(title="Matrix programme").first()
    return found or actions.create_programme(w.a.system, title="Matrix programme", quiz=QUIZ)


def _session(w: World) -> Session:
    """A session of company A running now, for everyone, with a one-question quiz (made on first use)."""
    found = Session.objects.for_tenant(w.a.tenant).filter(title="Matrix session").first()
    return found or actions.create_session(
        w.a.system,
        title="Matrix session",
        starts_at=now() - dt.timedelta(hours=1),
        ends_at=now() + dt.timedelta(hours=1),
        due_on=today_in_hong_kong() + dt.timedelta(days=7),
        place="Room 1",
        quiz=QUIZ,
    )


def _sid(w: World) -> str:
    return str(_session(w).pk)


def _right_answers(w: World) -> dict[str, list[str]]:
    quiz = _session(w).quiz
    assert quiz is not None
    return {q["id"]: [o["id"] for o in q["options"] if o["correct"]] for q in quiz.questions}


def _quiz_id(w: World) -> str:
    return str(_programme(w).quiz_id)


def _quarter() -> str:
    day = today_in_hong_kong()
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


BASE = "/training"
SESSION = f"{BASE}/sessions/{{session_id}}"

ROWS: list[Row] = [
    Row("GET", f"{BASE}/programmes", lambda w: Call(f"{BASE}/programmes"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{BASE}/programmes",
        lambda w: Call(f"{BASE}/programmes", {"title": "Matrix new programme"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        f"{BASE}/programmes/{{programme_id}}",
        lambda w: Call(f"{BASE}/programmes/{_programme(w).pk}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        f"{BASE}/programmes/{{programme_id}}",
        lambda w: Call(f"{BASE}/programmes/{_programme(w).pk}", {"due_days": 21}),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        f"{BASE}/quizzes/{{quiz_id}}",
        lambda w: Call(f"{BASE}/quizzes/{_quiz_id(w)}", {"max_attempts": 4}),
        denied=WRITERS,
    ),
    Row("GET", f"{BASE}/sessions", lambda w: Call(f"{BASE}/sessions"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{BASE}/sessions",
        lambda w: Call(
            f"{BASE}/sessions",
            {
                "title": "Matrix one-off",
                "starts_at": (now() + dt.timedelta(days=1)).isoformat(),
                "ends_at": (now() + dt.timedelta(days=1, hours=1)).isoformat(),
                "due_on": (today_in_hong_kong() + dt.timedelta(days=14)).isoformat(),
                "online_link": "https://meet.example.com/matrix",
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", SESSION, lambda w: Call(f"{BASE}/sessions/{_sid(w)}"), denied=WRITERS),
    Row(
        "POST",
        f"{SESSION}/attendance",
        lambda w: Call(
            f"{BASE}/sessions/{_sid(w)}/attendance",
            {"member_ids": [str(w.a.admin.pk)], "status": "attended"},  # type: ignore[union-attr]
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{SESSION}/check-in",
        lambda w: Call(f"{BASE}/sessions/{_sid(w)}/check-in", {"code": _session(w).checkin_code}),
        denied=(),
    ),
    Row("GET", f"{SESSION}/quiz", lambda w: Call(f"{BASE}/sessions/{_sid(w)}/quiz"), denied=()),
    Row(
        "POST",
        f"{SESSION}/attempts",
        lambda w: Call(f"{BASE}/sessions/{_sid(w)}/attempts", {"answers": _right_answers(w)}),
        ok=201,
        denied=(),
    ),
    Row("GET", f"{SESSION}/results", lambda w: Call(f"{BASE}/sessions/{_sid(w)}/results"), denied=WRITERS),
    Row("GET", f"{SESSION}/overdue", lambda w: Call(f"{BASE}/sessions/{_sid(w)}/overdue"), denied=WRITERS),
    Row(
        "GET",
        f"{SESSION}/report.csv",
        lambda w: Call(f"{BASE}/sessions/{_sid(w)}/report.csv"),
        denied=WRITERS,
        content_type="text/csv",
    ),
    Row(
        "GET",
        f"{BASE}/quarters/{{quarter}}/report.csv",
        lambda w: Call(f"{BASE}/quarters/{_quarter()}/report.csv"),
        denied=WRITERS,
        other="own",
        content_type="text/csv",
    ),
    Row("GET", f"{BASE}/mine", lambda w: Call(f"{BASE}/mine"), denied=(), other="own"),
]
