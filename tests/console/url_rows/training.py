"""Console URL-matrix rows for the training pages: officers' pages need ``training.view`` or
``training.manage``; "My training", check-in and the quiz are for any member of the session's audience."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from harbour.core.time import now, today_in_hong_kong
from harbour.training import actions
from harbour.training.models import Programme, Session
from tests.console.test_url_matrix import Row
from tests.factories import Company

QUIZ = {
    "title": "Matrix quiz",
    "pass_mark": 50,
    "questions": [
        {"text": "Report phishing?", "options": [{"text": "Yes", "correct": True}, {"text": "No"}]}
    ],
}


def _programme(c: Company) -> Any:
    found = Programme.objects.for_tenant(c.tenant).filter(title="Matrix programme").first()
    return (found or actions.create_programme(c.system, title="Matrix programme", quiz=QUIZ)).pk


def _session(c: Company) -> Session:
    found = Session.objects.for_tenant(c.tenant).filter(title="Matrix session").first()
    return found or actions.create_session(
        c.system,
        title="Matrix session",
        starts_at=now() - dt.timedelta(hours=1),
        ends_at=now() + dt.timedelta(hours=1),
        due_on=today_in_hong_kong() + dt.timedelta(days=7),
        place="Room 1",
        quiz=QUIZ,
    )


def _sid(c: Company) -> Any:
    return _session(c).pk


def _quarter() -> str:
    day = today_in_hong_kong()
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


ROWS: dict[str, Row] = {
    "training:programmes": Row(lambda c: reverse("training:programmes")),
    "training:programme_new": Row(lambda c: reverse("training:programme_new")),
    "training:programme_edit": Row(
        lambda c: reverse("training:programme_edit", args=[_programme(c)]), foreign_object=True
    ),
    "training:programme_quiz": Row(
        lambda c: reverse("training:programme_quiz", args=[_programme(c)]), foreign_object=True
    ),
    "training:session_new": Row(lambda c: reverse("training:session_new")),
    "training:session": Row(lambda c: reverse("training:session", args=[_sid(c)]), foreign_object=True),
    "training:session_quiz": Row(
        lambda c: reverse("training:session_quiz", args=[_sid(c)]), foreign_object=True
    ),
    "training:attendance": Row(
        lambda c: reverse("training:attendance", args=[_sid(c)]),
        "post",
        data=lambda c: {"members": [str(c.admin.pk)], "status": "attended"},  # type: ignore[union-attr]
        foreign_object=True,
    ),
    "training:session_csv": Row(
        lambda c: reverse("training:session_csv", args=[_sid(c)]), foreign_object=True
    ),
    "training:session_pdf": Row(
        lambda c: reverse("training:session_pdf", args=[_sid(c)]), foreign_object=True
    ),
    "training:quarter_csv": Row(lambda c: reverse("training:quarter_csv", args=[_quarter()])),
    "training:quarter_pdf": Row(lambda c: reverse("training:quarter_pdf", args=[_quarter()])),
    "training:mine": Row(lambda c: reverse("training:mine"), self_service=True),
    "training:check_in": Row(
        lambda c: reverse("training:check_in", args=[_sid(c)]),
        "post",
        data=lambda c: {"code": _session(c).checkin_code},
        self_service=True,
        foreign_object=True,
    ),
    "training:take": Row(
        lambda c: reverse("training:take", args=[_sid(c)]), self_service=True, foreign_object=True
    ),
}
