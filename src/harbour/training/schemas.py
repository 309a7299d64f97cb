"""API shapes of security training. The quiz a member fetches (``QuizForMemberOut``) has no correct
answers; only officers' views of a quiz (``QuizOut``) carry them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema

from harbour.training.models import Attempt, Attendance, Programme, Quiz, Session
from harbour.training.queries import Standing


class OptionIn(Schema):
    id: str | None = None
    text: str
    correct: bool = False


class QuestionIn(Schema):
    id: str | None = None
    text: str
    options: list[OptionIn]


class QuizIn(Schema):
    title: str = ""
    pass_mark: int = 80
    max_attempts: int = 3
    questions: list[QuestionIn]

    def spec(self) -> dict[str, Any]:
        return self.dict()


class QuizPatch(Schema):
    title: str | None = None
    pass_mark: int | None = None
    max_attempts: int | None = None
    questions: list[QuestionIn] | None = None


class QuizOut(Schema):
    id: uuid.UUID
    title: str
    pass_mark: int
    max_attempts: int
    questions: list[dict[str, Any]]

    @classmethod
    def of(cls, quiz: Quiz | None) -> QuizOut | None:
        if quiz is None:
            return None
        return cls(
            id=quiz.pk,
            title=quiz.title,
            pass_mark=quiz.pass_mark,
            max_attempts=quiz.max_attempts,
            questions=quiz.questions,
        )


class MemberQuestionOut(Schema):
    id: str
    text: str
    options: list[dict[str, str]]
    multiple: bool


class QuizForMemberOut(Schema):
    session_id: uuid.UUID
    title: str
    pass_mark: int
    max_attempts: int
    attempts_used: int
    passed: bool
    questions: list[MemberQuestionOut]


class ProgrammeIn(Schema):
    title: str
    description: str = ""
    audience_all: bool = True
    department_ids: list[str] = []
    day_of_quarter: int = 14
    start_time: dt.time = dt.time(10, 0)
    duration_minutes: int = 60
    due_days: int = 30
    place: str = ""
    online_link: str = ""
    trainer_id: str | None = None
    quiz: QuizIn | None = None


class ProgrammePatch(Schema):
    title: str | None = None
    description: str | None = None
    audience_all: bool | None = None
    department_ids: list[str] | None = None
    day_of_quarter: int | None = None
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    due_days: int | None = None
    place: str | None = None
    online_link: str | None = None
    trainer_id: str | None = None
    active: bool | None = None


class ProgrammeOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    audience_all: bool
    department_ids: list[str]
    active: bool
    day_of_quarter: int
    start_time: dt.time
    duration_minutes: int
    due_days: int
    place: str
    online_link: str
    trainer_id: uuid.UUID | None
    quiz: QuizOut | None

    @classmethod
    def of(cls, programme: Programme) -> ProgrammeOut:
        return cls(
            id=programme.pk,
            title=programme.title,
            description=programme.description,
            audience_all=programme.audience_all,
            department_ids=list(programme.audience_departments),
            active=programme.active,
            day_of_quarter=programme.day_of_quarter,
            start_time=programme.start_time,
            duration_minutes=programme.duration_minutes,
            due_days=programme.due_days,
            place=programme.place,
            online_link=programme.online_link,
            trainer_id=programme.trainer_id,
            quiz=QuizOut.of(programme.quiz),
        )


class SessionIn(Schema):
    title: str
    description: str = ""
    starts_at: dt.datetime
    ends_at: dt.datetime
    due_on: dt.date
    place: str = ""
    online_link: str = ""
    trainer_id: str | None = None
    audience_all: bool = True
    department_ids: list[str] = []
    quiz: QuizIn | None = None


class SessionOut(Schema):
    id: uuid.UUID
    title: str
    programme_id: uuid.UUID | None
    quarter: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online_link: str
    trainer_id: uuid.UUID | None
    audience_all: bool
    department_ids: list[str]
    due_on: dt.date
    has_quiz: bool
    records_erased: bool

    @classmethod
    def of(cls, session: Session) -> SessionOut:
        return cls(**cls.fields_of(session))

    @staticmethod
    def fields_of(session: Session) -> dict[str, Any]:
        return {
            "id": session.pk,
            "title": session.title,
            "programme_id": session.programme_id,
            "quarter": session.quarter,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "place": session.place,
            "online_link": session.online_link,
            "trainer_id": session.trainer_id,
            "audience_all": session.audience_all,
            "department_ids": list(session.audience_departments),
            "due_on": session.due_on,
            "has_quiz": session.quiz_id is not None,
            "records_erased": session.records_erased_at is not None,
        }


class SessionDetailOut(SessionOut):
    description: str
    checkin_code: str
    quiz: QuizOut | None
    counts: dict[str, int]
    summary: dict[str, Any]


class AttendanceIn(Schema):
    member_ids: list[str]
    status: str


class AttendanceOut(Schema):
    member_id: uuid.UUID
    status: str
    marked_by_id: uuid.UUID | None
    marked_at: dt.datetime
    self_checked_in: bool

    @classmethod
    def of(cls, row: Attendance) -> AttendanceOut:
        return cls(
            member_id=row.member_id,
            status=row.status,
            marked_by_id=row.marked_by_id,
            marked_at=row.marked_at,
            self_checked_in=row.self_checked_in,
        )


class CheckInIn(Schema):
    code: str


class AttemptIn(Schema):
    answers: dict[str, list[str]]


class AttemptOut(Schema):
    number: int
    score: int
    passed: bool
    submitted_at: dt.datetime
    attempts_left: int

    @classmethod
    def of(cls, attempt: Attempt, attempts_left: int) -> AttemptOut:
        return cls(
            number=attempt.number,
            score=attempt.score,
            passed=attempt.passed,
            submitted_at=attempt.submitted_at,
            attempts_left=attempts_left,
        )


class StandingOut(Schema):
    member_id: uuid.UUID
    name: str
    email: str
    department: str
    in_audience: bool
    attendance: str
    attempts: int
    best_score: int | None
    passed: bool
    completed_at: dt.datetime | None
    overdue: bool

    @classmethod
    def of(cls, row: Standing) -> StandingOut:
        return cls(
            member_id=row.member.pk,
            name=row.member.name,
            email=row.member.email,
            department=row.department,
            in_audience=row.in_audience,
            attendance=row.attendance,
            attempts=row.attempts,
            best_score=row.best_score,
            passed=row.passed,
            completed_at=row.completed_at,
            overdue=row.overdue,
        )


class MyTrainingOut(Schema):
    session: SessionOut
    attendance: str
    attempts: int
    attempts_left: int
    best_score: int | None
    passed: bool
    completed_at: dt.datetime | None
    overdue: bool
