"""REST API v1 of security training: programmes, sessions, attendance, check-in, the quiz (fetched without
its answers) and attempts, results, the overdue list, evidence CSV, and the member's own training."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from harbour.core.errors import NotFound
from harbour.training import actions
from harbour.training.evidence import csv_text, session_evidence
from harbour.training.quarters import first_day
from harbour.training.queries import (
    SESSION_MARK,
    SESSION_SELF,
    attempts_of,
    department_for,
    get_programme_for,
    get_quiz_for,
    get_session_for,
    my_standings,
    overdue,
    programmes_for,
    quarter_sessions,
    sessions_for,
    standings,
)
from harbour.training.quiz import shown_to_member
from harbour.training.schemas import (
    AttemptIn,
    AttemptOut,
    AttendanceIn,
    AttendanceOut,
    CheckInIn,
    MyTrainingOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    QuizForMemberOut,
    QuizOut,
    QuizPatch,
    SessionDetailOut,
    SessionIn,
    SessionOut,
    StandingOut,
)

router = Router(tags=["Security training"])
LISTED = 200


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _csv(text: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(iter([text]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------------------------------- programmes
@router.get("/training/programmes", response=list[ProgrammeOut], summary="Training programmes")
def list_programmes(request: HttpRequest) -> list[ProgrammeOut]:
    return [ProgrammeOut.of(p) for p in programmes_for(_actor(request))[:LISTED]]


@router.post("/training/programmes", response={201: ProgrammeOut}, summary="Create a quarterly programme")
def create_programme(request: HttpRequest, body: ProgrammeIn) -> tuple[int, ProgrammeOut]:
    data = body.dict()
    quiz = data.pop("quiz")
    programme = actions.create_programme(_actor(request), quiz=quiz, **data)
    return 201, ProgrammeOut.of(programme)


@router.get("/training/programmes/{programme_id}", response=ProgrammeOut, summary="A programme")
def get_programme(request: HttpRequest, programme_id: str) -> ProgrammeOut:
    return ProgrammeOut.of(get_programme_for(_actor(request), programme_id))


@router.patch("/training/programmes/{programme_id}", response=ProgrammeOut, summary="Change a programme")
def update_programme(request: HttpRequest, programme_id: str, body: ProgrammePatch) -> ProgrammeOut:
    actor = _actor(request)
    programme = get_programme_for(actor, programme_id)
    return ProgrammeOut.of(actions.update_programme(actor, programme, **body.dict(exclude_unset=True)))


@router.patch("/training/quizzes/{quiz_id}", response=QuizOut, summary="Change a quiz")
def update_quiz(request: HttpRequest, quiz_id: str, body: QuizPatch) -> QuizOut | None:
    actor = _actor(request)
    quiz = actions.update_quiz(actor, get_quiz_for(actor, quiz_id), **body.dict(exclude_unset=True))
    return QuizOut.of(quiz)


# --------------------------------------------------------------------------------------------- sessions
@router.get("/training/sessions", response=list[SessionOut], summary="Training sessions, newest first")
def list_sessions(request: HttpRequest, quarter: str = "") -> list[SessionOut]:
    actor = _actor(request)
    if quarter:
        first_day(quarter)  # names the field when malformed
        return [SessionOut.of(s) for s in quarter_sessions(actor, quarter)]
    return [SessionOut.of(s) for s in sessions_for(actor)[:LISTED]]


@router.post("/training/sessions", response={201: SessionOut}, summary="Create a one-off session")
def create_session(request: HttpRequest, body: SessionIn) -> tuple[int, SessionOut]:
    data = body.dict()
    session = actions.create_session(_actor(request), **data)
    return 201, SessionOut.of(session)


@router.get("/training/sessions/{session_id}", response=SessionDetailOut, summary="A session and its counts")
def get_session(request: HttpRequest, session_id: str) -> SessionDetailOut:
    session = get_session_for(_actor(request), session_id)
    return SessionDetailOut(
        **SessionOut.fields_of(session),
        description=session.description,
        checkin_code=session.checkin_code,
        quiz=QuizOut.of(session.quiz),
        counts=session_evidence(session).counts,
        summary=session.summary,
    )


@router.post(
    "/training/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="Mark members attended or absent",
)
def mark_attendance(request: HttpRequest, session_id: str, body: AttendanceIn) -> list[AttendanceOut]:
    actor = _actor(request)
    session = get_session_for(actor, session_id, SESSION_MARK)
    rows = actions.mark_attendance(actor, session, member_ids=body.member_ids, status=body.status)
    return [AttendanceOut.of(row) for row in rows]


@router.post(
    "/training/sessions/{session_id}/check-in",
    response=AttendanceOut,
    summary="Check myself in with the code",
)
def check_in(request: HttpRequest, session_id: str, body: CheckInIn) -> AttendanceOut:
    actor = _actor(request)
    session = get_session_for(actor, session_id, SESSION_SELF)
    return AttendanceOut.of(actions.check_in(actor, session, code=body.code))


@router.get(
    "/training/sessions/{session_id}/quiz",
    response=QuizForMemberOut,
    summary="The session's quiz to take (without its answers)",
)
def get_quiz(request: HttpRequest, session_id: str) -> QuizForMemberOut:
    actor = _actor(request)
    session = get_session_for(actor, session_id, SESSION_SELF)
    quiz = session.quiz
    if quiz is None:
        raise NotFound(_("this session has no quiz"), field="session_id")
    mine = attempts_of(session, actor.actor_id) if actor.actor_id else []
    return QuizForMemberOut(
        session_id=session.pk,
        title=quiz.title,
        pass_mark=quiz.pass_mark,
        max_attempts=quiz.max_attempts,
        attempts_used=len(mine),
        passed=any(a.passed for a in mine),
        questions=shown_to_member(quiz.questions),  # type: ignore[arg-type]
    )


@router.post(
    "/training/sessions/{session_id}/attempts",
    response={201: AttemptOut},
    summary="Submit answers: scored on the server",
)
def submit_attempt(request: HttpRequest, session_id: str, body: AttemptIn) -> tuple[int, AttemptOut]:
    actor = _actor(request)
    session = get_session_for(actor, session_id, SESSION_SELF)
    attempt = actions.submit_attempt(actor, session, answers=body.answers)
    left = 0 if attempt.passed or session.quiz is None else max(session.quiz.max_attempts - attempt.number, 0)
    return 201, AttemptOut.of(attempt, left)


@router.get(
    "/training/sessions/{session_id}/results", response=list[StandingOut], summary="Each member's standing"
)
def results(request: HttpRequest, session_id: str) -> list[StandingOut]:
    session = get_session_for(_actor(request), session_id)
    return [StandingOut.of(row) for row in standings(session)]


@router.get(
    "/training/sessions/{session_id}/overdue",
    response=list[StandingOut],
    summary="Members not complete after the due date",
)
def overdue_list(request: HttpRequest, session_id: str, department_id: str = "") -> list[StandingOut]:
    actor = _actor(request)
    session = get_session_for(actor, session_id)
    department = department_for(actor, department_id)
    return [StandingOut.of(row) for row in overdue(standings(session), department)]


@router.get("/training/sessions/{session_id}/report.csv", summary="A session's evidence (CSV)")
def session_csv(request: HttpRequest, session_id: str) -> StreamingHttpResponse:
    actor = _actor(request)
    session = get_session_for(actor, session_id)
    text, rows = csv_text([session_evidence(session)], with_session=False)
    actions.record_export(actor, session, what="session", rows=rows, fmt="csv")
    return _csv(text, f"training-{session.pk}.csv")


@router.get("/training/quarters/{quarter}/report.csv", summary="A quarter's training evidence (CSV)")
def quarter_csv(request: HttpRequest, quarter: str) -> StreamingHttpResponse:
    actor = _actor(request)
    first_day(quarter)
    evidence = [session_evidence(s) for s in quarter_sessions(actor, quarter)]
    text, rows = csv_text(evidence, with_session=True)
    actions.record_export(actor, None, what=f"quarter {quarter}", rows=rows, fmt="csv")
    return _csv(text, f"training-{quarter}.csv")


# ----------------------------------------------------------------------------------------- my training
@router.get("/training/mine", response=list[MyTrainingOut], summary="My training: sessions I must complete")
def my_training(request: HttpRequest) -> list[MyTrainingOut]:
    return [
        MyTrainingOut(
            session=SessionOut.of(session),
            attendance=row.attendance,
            attempts=row.attempts,
            attempts_left=row.attempts_left,
            best_score=row.best_score,
            passed=row.passed,
            completed_at=row.completed_at,
            overdue=row.overdue,
        )
        for session, row in my_standings(_actor(request))
    ]
