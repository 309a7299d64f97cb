"""Writes of security training: programmes and their quiz, sessions (the quarter's, opened by the schedule,
and one-off ones), attendance (marked by the officer or trainer, or a member's own check-in with the
session's code), quiz attempts scored on the server, and evidence exports. Every write is audited.

Checking in and taking the quiz need no permission code: the session's audience is the right."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from harbour.audit.actions import Entry, record, record_many
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import HONG_KONG, local, now
from harbour.directory.models import Department, Member, MemberState
from harbour.directory.validation import clean_text
from harbour.training.models import Attempt, Attendance, AttendanceStatus, Programme, Quiz, Session
from harbour.training.notify import my_training_url, tell
from harbour.training.quarters import first_day, quarter_of
from harbour.training.queries import MANAGE, VIEW, audience, in_audience, may_manage
from harbour.training.quiz import clean_questions, score

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
MAX_ATTEMPTS_LIMIT = 10
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LENGTH = 6
MAX_SESSION_HOURS = 12
MAX_DUE_DAYS = 120


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def _by(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ------------------------------------------------------------------------------------------------ checks
def _pass_mark(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise Invalid(_("the pass mark is a percentage from 1 to 100"), field="pass_mark")
    return value


def _max_attempts(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ATTEMPTS_LIMIT:
        raise Invalid(_("allow from 1 to %(n)d attempts") % {"n": MAX_ATTEMPTS_LIMIT}, field="max_attempts")
    return value


def _link(value: str) -> str:
    value = clean_text(value, field="online_link", max_length=500)
    if value:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except ValidationError:
            raise Invalid(_("give the online link as an https:// address"), field="online_link") from None
    return value


def _departments(actor: Actor, audience_all: bool, department_ids: Sequence[Any] | None) -> list[str]:
    if audience_all:
        return []
    wanted: list[str] = []
    for value in department_ids or []:
        try:
            text = str(uuid.UUID(str(value)))
        except ValueError:
            raise Invalid(_("no such department: %(id)s") % {"id": value}, field="department_ids") from None
        if text not in wanted:
            wanted.append(text)
    if not wanted:
        raise Invalid(_("choose the departments that must attend, or everyone"), field="department_ids")
    found = {
        str(pk)
        for pk in Department.objects.for_tenant(actor.tenant_id)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    }
    missing = [value for value in wanted if value not in found]
    if missing:
        raise Invalid(_("no such department: %(id)s") % {"id": missing[0]}, field="department_ids")
    return wanted


def _trainer(actor: Actor, trainer_id: Any) -> Member | None:
    if trainer_id in (None, ""):
        return None
    try:
        trainer = Member.objects.for_tenant(actor.tenant_id).get(pk=str(trainer_id), state=MemberState.ACTIVE)
    except (Member.DoesNotExist, ValueError, ValidationError):
        raise Invalid(_("the trainer must be an active member"), field="trainer_id") from None
    return trainer


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field=field)
    return value


def _quiz_values(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A quiz given as {title, pass_mark, max_attempts, questions}, checked whole."""
    return {
        "title": clean_text(str(spec.get("title") or ""), field="quiz_title", max_length=TITLE_MAX)
        or _("Quiz"),
        "pass_mark": _pass_mark(spec.get("pass_mark", 80)),
        "max_attempts": _max_attempts(spec.get("max_attempts", 3)),
        "questions": clean_questions(spec.get("questions")),
    }


# ----------------------------------------------------------------------------------------------- quizzes
def _create_quiz(actor: Actor, values: Mapping[str, Any]) -> Quiz:
    quiz = Quiz.objects.create(tenant_id=actor.tenant_id, **values)
    record(actor, "training.quiz_changed", target=quiz, after=quiz.snapshot())
    return quiz


def quiz_taken(quiz: Quiz) -> bool:
    return Attempt.objects.for_tenant(quiz.tenant_id).filter(session__quiz=quiz).exists()


@tenant_atomic
def update_quiz(
    actor: Actor,
    quiz: Quiz,
    *,
    title: str | None = None,
    pass_mark: Any = None,
    max_attempts: Any = None,
    questions: Any = None,
) -> Quiz:
    """Change a quiz. Once members have taken it, its questions and pass mark are evidence and stay as
    they were (more attempts may still be allowed)."""
    _require_manage(actor)
    quiz = Quiz.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=quiz.pk)
    before = quiz.snapshot()
    if title is not None:
        quiz.title = clean_text(title, field="title", max_length=TITLE_MAX, required=True)
    new_pass = _pass_mark(pass_mark) if pass_mark is not None else quiz.pass_mark
    new_questions = clean_questions(questions) if questions is not None else quiz.questions
    if max_attempts is not None:
        quiz.max_attempts = _max_attempts(max_attempts)
    if (new_pass != quiz.pass_mark or new_questions != quiz.questions) and quiz_taken(quiz):
        raise Conflict(
            _("members have taken this quiz: its questions and pass mark are kept as evidence"),
            field="questions",
        )
    quiz.pass_mark = new_pass
    quiz.questions = new_questions
    quiz.save()
    record(actor, "training.quiz_changed", target=quiz, before=before, after=quiz.snapshot())
    return quiz


@tenant_atomic
def add_quiz(actor: Actor, owner: Programme | Session, spec: Mapping[str, Any]) -> Quiz:
    """Give a programme or a session that has none a quiz."""
    _require_manage(actor)
    if owner.quiz_id is not None:
        raise Conflict(_("it has a quiz already: edit that one"), field="quiz")
    values = _quiz_values(spec)
    quiz = _create_quiz(actor, values)
    before = owner.snapshot()
    owner.quiz = quiz
    owner.save(update_fields=["quiz", "updated_at"])
    kind = "training.programme_changed" if isinstance(owner, Programme) else "training.quiz_changed"
    record(actor, kind, target=owner, before=before, after=owner.snapshot())
    return quiz


# -------------------------------------------------------------------------------------------- programmes
PROGRAMME_FIELDS = (
    "title",
    "description",
    "audience_all",
    "department_ids",
    "day_of_quarter",
    "start_time",
    "duration_minutes",
    "due_days",
    "place",
    "online_link",
    "trainer_id",
    "active",
)


def _apply_programme(actor: Actor, programme: Programme, changes: Mapping[str, Any]) -> None:
    unknown = [name for name in changes if name not in PROGRAMME_FIELDS]
    if unknown:
        raise Invalid(_("unknown field"), field=unknown[0])
    if "title" in changes:
        programme.title = clean_text(changes["title"], field="title", max_length=TITLE_MAX, required=True)
    if "description" in changes:
        programme.description = clean_text(
            changes["description"], field="description", max_length=DESCRIPTION_MAX
        )
    if "audience_all" in changes or "department_ids" in changes:
        audience_all = bool(changes.get("audience_all", programme.audience_all))
        ids = changes.get("department_ids", programme.audience_departments)
        programme.audience_departments = _departments(actor, audience_all, ids)
        programme.audience_all = audience_all
    if "day_of_quarter" in changes:
        day = changes["day_of_quarter"]
        if not isinstance(day, int) or not 0 <= day <= 80:
            raise Invalid(_("hold it between day 0 and day 80 of the quarter"), field="day_of_quarter")
        programme.day_of_quarter = day
    if "start_time" in changes:
        if not isinstance(changes["start_time"], dt.time):
            raise Invalid(_("give the start time as HH:MM"), field="start_time")
        programme.start_time = changes["start_time"]
    if "duration_minutes" in changes:
        minutes = changes["duration_minutes"]
        if not isinstance(minutes, int) or not 15 <= minutes <= MAX_SESSION_HOURS * 60:
            raise Invalid(
                _("a session lasts from 15 minutes to %(h)d hours") % {"h": MAX_SESSION_HOURS},
                field="duration_minutes",
            )
        programme.duration_minutes = minutes
    if "due_days" in changes:
        days = changes["due_days"]
        if not isinstance(days, int) or not 0 <= days <= MAX_DUE_DAYS:
            raise Invalid(
                _("completion is due 0 to %(n)d days after the session") % {"n": MAX_DUE_DAYS},
                field="due_days",
            )
        programme.due_days = days
    if "place" in changes:
        programme.place = clean_text(changes["place"], field="place", max_length=200)
    if "online_link" in changes:
        programme.online_link = _link(changes["online_link"])
    if "trainer_id" in changes:
        programme.trainer = _trainer(actor, changes["trainer_id"])
    if "active" in changes:
        programme.active = bool(changes["active"])


@tenant_atomic
def create_programme(actor: Actor, *, quiz: Mapping[str, Any] | None = None, **fields: Any) -> Programme:
    """A quarterly programme: the schedule opens its session each quarter for its audience."""
    _require_manage(actor)
    programme = Programme(tenant_id=actor.tenant_id, created_by=_by(actor))
    fields.setdefault("audience_all", True)
    if "title" not in fields:
        raise Invalid(_("title is required"), field="title")
    _apply_programme(actor, programme, fields)
    quiz_values = _quiz_values(quiz) if quiz is not None else None
    if quiz_values is not None:
        programme.quiz = _create_quiz(actor, quiz_values)
    programme.save()
    record(actor, "training.programme_created", target=programme, after=programme.snapshot())
    return programme


@tenant_atomic
def update_programme(actor: Actor, programme: Programme, **changes: Any) -> Programme:
    _require_manage(actor)
    programme = Programme.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=programme.pk)
    before = programme.snapshot()
    _apply_programme(actor, programme, changes)
    programme.save()
    record(actor, "training.programme_changed", target=programme, before=before, after=programme.snapshot())
    return programme


# ---------------------------------------------------------------------------------------------- sessions
def _session_times(starts_at: dt.datetime, ends_at: dt.datetime, due_on: dt.date) -> None:
    _aware(starts_at, "starts_at")
    if _aware(ends_at, "ends_at") <= starts_at:
        raise Invalid(_("the session must end after it starts"), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_SESSION_HOURS):
        raise Invalid(_("a session lasts at most %(h)d hours") % {"h": MAX_SESSION_HOURS}, field="ends_at")
    if due_on < local(starts_at).date():
        raise Invalid(_("completion cannot be due before the session"), field="due_on")


def _copy_quiz(actor: Actor, quiz: Quiz | None) -> Quiz | None:
    if quiz is None or not quiz.questions:
        return None
    return Quiz.objects.create(
        tenant_id=actor.tenant_id,
        title=quiz.title,
        pass_mark=quiz.pass_mark,
        max_attempts=quiz.max_attempts,
        questions=quiz.questions,
    )


def _announce(session: Session) -> None:
    members = list(audience(session.tenant_id, session.audience_all, session.audience_departments))
    starts = local(session.starts_at).strftime("%Y-%m-%d %H:%M")
    where = session.place or session.online_link or _("see the session")
    tell(
        members,
        title=_("Security training: %(title)s on %(when)s") % {"title": session.title, "when": starts},
        body=_(
            "You are expected at %(title)s on %(when)s (Hong Kong time), %(where)s. Complete it by "
            "%(due)s: attend%(quiz)s."
        )
        % {
            "title": session.title,
            "when": starts,
            "where": where,
            "due": session.due_on.isoformat(),
            "quiz": _(" and pass the quiz") if session.quiz_id else "",
        },
        url=my_training_url(),
    )


@tenant_atomic
def create_session(
    actor: Actor,
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    due_on: dt.date,
    place: str = "",
    online_link: str = "",
    trainer_id: Any = None,
    audience_all: bool = True,
    department_ids: Sequence[Any] | None = None,
    description: str = "",
    quiz: Mapping[str, Any] | None = None,
) -> Session:
    """A one-off session; its audience is told."""
    _require_manage(actor)
    title = clean_text(title, field="title", max_length=TITLE_MAX, required=True)
    description = clean_text(description, field="description", max_length=DESCRIPTION_MAX)
    _session_times(starts_at, ends_at, due_on)
    place = clean_text(place, field="place", max_length=200)
    link = _link(online_link)
    if not place and not link:
        raise Invalid(_("say where it takes place, or give the online link"), field="place")
    trainer = _trainer(actor, trainer_id)
    departments = _departments(actor, audience_all, department_ids)
    quiz_values = _quiz_values(quiz) if quiz is not None else None
    session = Session.objects.create(
        tenant_id=actor.tenant_id,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        due_on=due_on,
        place=place,
        online_link=link,
        trainer=trainer,
        audience_all=audience_all,
        audience_departments=departments,
        quiz=_create_quiz(actor, quiz_values) if quiz_values is not None else None,
        checkin_code=new_checkin_code(),
        created_by=_by(actor),
    )
    record(actor, "training.session_created", target=session, after=session.snapshot())
    _announce(session)
    return session


def quarter_session_times(programme: Programme, quarter: str) -> tuple[dt.datetime, dt.datetime, dt.date]:
    day = first_day(quarter) + dt.timedelta(days=programme.day_of_quarter)
    starts_at = dt.datetime.combine(day, programme.start_time, tzinfo=HONG_KONG)
    ends_at = starts_at + dt.timedelta(minutes=programme.duration_minutes)
    return starts_at, ends_at, day + dt.timedelta(days=programme.due_days)


@tenant_atomic
def open_quarter_session(actor: Actor, programme: Programme, *, today: dt.date) -> Session | None:
    """The programme's session for the quarter ``today`` falls in: made once (under the programme's row
    lock, backed by a unique constraint), so running again, or late after downtime, opens nothing twice."""
    _require_manage(actor)
    programme = (
        Programme.objects.for_tenant(actor.tenant_id)
        .select_for_update(of=("self",))
        .select_related("quiz")
        .get(pk=programme.pk)
    )
    if not programme.active:
        return None
    quarter = quarter_of(today)
    if Session.objects.for_tenant(actor.tenant_id).filter(programme=programme, quarter=quarter).exists():
        return None
    starts_at, ends_at, due_on = quarter_session_times(programme, quarter)
    year, number = quarter.split("-")
    session = Session.objects.create(
        tenant_id=actor.tenant_id,
        programme=programme,
        quarter=quarter,
        title=f"{programme.title} ({year} {number})",
        description=programme.description,
        starts_at=starts_at,
        ends_at=ends_at,
        due_on=due_on,
        place=programme.place,
        online_link=programme.online_link,
        trainer=programme.trainer,
        audience_all=programme.audience_all,
        audience_departments=list(programme.audience_departments),
        quiz=_copy_quiz(actor, programme.quiz),
        checkin_code=new_checkin_code(),
    )
    record(actor, "training.session_created", target=session, after=session.snapshot(), quarter=quarter)
    _announce(session)
    return session


# -------------------------------------------------------------------------------------------- attendance
def _may_mark(actor: Actor, session: Session) -> None:
    is_trainer = actor.actor_id is not None and session.trainer_id == actor.actor_id
    if not (is_trainer or may_manage(actor)):
        raise Forbidden(_("only the trainer or a training officer marks attendance"))


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.for_tenant(session.tenant_id)
        .select_for_update(of=("self",))
        .select_related("quiz")
        .get(pk=session.pk)
    )


def _records_kept(session: Session) -> None:
    if session.records_erased_at is not None:
        raise Conflict(
            _("this session's records were erased under the retention schedule"), field="session_id"
        )


@tenant_atomic
def mark_attendance(
    actor: Actor, session: Session, *, member_ids: Sequence[Any], status: str
) -> list[Attendance]:
    """Mark members attended or absent, all or nothing: every id must be a member of the audience."""
    _may_mark(actor, session)
    if status not in AttendanceStatus.values:
        raise Invalid(_("mark 'attended' or 'absent'"), field="status")
    session = _locked_session(session)
    _records_kept(session)
    if session.starts_at > now():
        raise Conflict(_("attendance is marked once the session has started"), field="status")
    wanted: list[str] = []
    for value in member_ids:
        try:
            text = str(uuid.UUID(str(value)))
        except ValueError:
            raise Invalid(_("no such member: %(id)s") % {"id": value}, field="member_ids") from None
        if text not in wanted:
            wanted.append(text)
    if not wanted:
        raise Invalid(_("choose at least one member"), field="member_ids")
    members = {
        str(m.pk): m
        for m in audience(session.tenant_id, session.audience_all, session.audience_departments).filter(
            pk__in=wanted
        )
    }
    missing = [value for value in wanted if value not in members]
    if missing:
        raise Invalid(_("not in this session's audience: %(id)s") % {"id": missing[0]}, field="member_ids")
    existing = {
        str(row.member_id): row
        for row in Attendance.objects.for_tenant(session.tenant_id).filter(
            session=session, member_id__in=wanted
        )
    }
    at = now()
    entries = []
    result = []
    for value in wanted:
        row = existing.get(value)
        before = row.snapshot() if row is not None else None
        if row is None:
            row = Attendance(tenant_id=session.tenant_id, session=session, member=members[value])
        elif row.status == status:
            result.append(row)
            continue
        row.status = status
        row.marked_by = _by(actor)
        row.marked_at = at
        row.self_checked_in = False
        row.save()
        entries.append(
            Entry(row, before, row.snapshot(), {"session": str(session.pk), "member": members[value].name})
        )
        result.append(row)
    if entries:
        record_many(actor, "training.attendance_marked", entries)
    return result


@tenant_atomic
def check_in(actor: Actor, session: Session, *, code: str) -> Attendance:
    """A member of the audience checks themself in with the code given in the room, while it runs."""
    session = _locked_session(session)
    _records_kept(session)
    member = Member.objects.for_tenant(actor.tenant_id).filter(pk=actor.actor_id).first()
    if member is None or not in_audience(session, member.pk):
        raise Forbidden(_("only members of the session's audience check in"))
    if not session.is_open_for_checkin(now()):
        raise Invalid(
            _("check-in is open only while the session runs (%(start)s–%(end)s)")
            % {
                "start": local(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": local(session.ends_at).strftime("%H:%M"),
            },
            field="code",
        )
    if not secrets.compare_digest((code or "").strip().upper().encode(), session.checkin_code.encode()):
        raise Invalid(_("that is not this session's check-in code"), field="code")
    row = Attendance.objects.for_tenant(actor.tenant_id).filter(session=session, member=member).first()
    if row is not None and row.status == AttendanceStatus.ATTENDED:
        return row
    before = row.snapshot() if row is not None else None
    row = row or Attendance(tenant_id=actor.tenant_id, session=session, member=member)
    row.status = AttendanceStatus.ATTENDED
    row.marked_by = member
    row.marked_at = now()
    row.self_checked_in = True
    row.save()
    record(
        actor, "training.checked_in", target=row, before=before, after=row.snapshot(), session=str(session.pk)
    )
    return row


# ---------------------------------------------------------------------------------------------- attempts
@tenant_atomic
def submit_attempt(actor: Actor, session: Session, *, answers: Any) -> Attempt:
    """Score the answers on the server and keep the attempt. No attempt after passing or after the limit;
    the session's row lock keeps two submissions from both being 'the last'."""
    session = _locked_session(session)
    _records_kept(session)
    quiz = session.quiz
    if quiz is None or not quiz.questions:
        raise Conflict(_("this session has no quiz"), field="session_id")
    if actor.actor_id is None or not in_audience(session, actor.actor_id):
        raise Forbidden(_("only members of the session's audience take its quiz"))
    if session.starts_at > now():
        raise Conflict(_("the quiz opens when the session starts"), field="session_id")
    previous = list(
        Attempt.objects.for_tenant(actor.tenant_id).filter(session=session, member_id=actor.actor_id)
    )
    if any(attempt.passed for attempt in previous):
        raise Conflict(_("you have passed this quiz already"), field="answers")
    if len(previous) >= quiz.max_attempts:
        raise Conflict(
            _("you have used all %(n)d attempts at this quiz") % {"n": quiz.max_attempts}, field="answers"
        )
    result = score(quiz.questions, answers)
    attempt = Attempt.objects.create(
        tenant_id=actor.tenant_id,
        session=session,
        member_id=actor.actor_id,
        number=len(previous) + 1,
        answers=result.answers,
        score=result.percent,
        passed=result.passes(quiz.pass_mark),
        submitted_at=now(),
    )
    record(
        actor,
        "training.quiz_attempted",
        target=attempt,
        after=attempt.snapshot(),
        session=str(session.pk),
        pass_mark=quiz.pass_mark,
    )
    return attempt


# ----------------------------------------------------------------------------------------------- exports
@tenant_atomic
def record_export(actor: Actor, target: Session | None, *, what: str, rows: int, fmt: str) -> None:
    """An evidence download is itself logged (who took a copy, of what, when)."""
    require_permission(actor, VIEW, Tenant.objects.get(pk=actor.tenant_id))
    record(actor, "training.evidence_exported", target=target, what=what, rows=rows, format=fmt)
