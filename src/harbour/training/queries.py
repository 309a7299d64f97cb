"""Reads of security training: the gates for programmes, sessions and quizzes, who is in a session's
audience, and each member's standing (attended, attempts, best score, passed, completed, overdue)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import Department, Member, Membership, MemberState
from harbour.training.models import Attempt, Attendance, AttendanceStatus, Programme, Quiz, Session
from harbour.training.quarters import quarter_bounds

VIEW, MANAGE = "training.view", "training.manage"
SESSION_VIEW, SESSION_MARK, SESSION_SELF = "view", "mark", "self"


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def may_view(actor: Actor) -> bool:
    return actor.access().tenant_wide(VIEW)


def may_manage(actor: Actor) -> bool:
    return actor.access().tenant_wide(MANAGE)


# ------------------------------------------------------------------------------------------------ gates
def programmes_for(actor: Actor) -> QuerySet[Programme]:
    require_permission(actor, VIEW, _tenant(actor))
    return Programme.objects.for_tenant(actor.tenant_id).select_related("quiz", "trainer")


def get_programme_for(actor: Actor, programme_id: uuid.UUID | str) -> Programme:
    if not may_view(actor):
        raise NotFound(_("no such training programme"), field="programme_id")
    try:
        return programmes_for(actor).get(pk=programme_id)
    except (Programme.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such training programme"), field="programme_id") from None


def sessions_for(actor: Actor) -> QuerySet[Session]:
    require_permission(actor, VIEW, _tenant(actor))
    return Session.objects.for_tenant(actor.tenant_id).select_related("trainer", "quiz", "programme")


def get_session_for(actor: Actor, session_id: uuid.UUID | str, action: str = SESSION_VIEW) -> Session:
    """``view``: training officers and the session's trainer; ``mark`` (attendance): those who manage
    training and the trainer; ``self`` (check in, take the quiz): members of the audience too. Anyone
    else gets NotFound, as for a missing session."""
    try:
        session = (
            Session.objects.for_tenant(actor.tenant_id)
            .select_related("trainer", "quiz", "programme")
            .get(pk=session_id)
        )
    except (Session.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such training session"), field="session_id") from None
    is_trainer = actor.actor_id is not None and session.trainer_id == actor.actor_id
    if action == SESSION_MARK:
        allowed = is_trainer or may_manage(actor)
    elif action == SESSION_SELF:
        allowed = is_trainer or may_view(actor) or in_audience(session, actor.actor_id)
    else:
        allowed = is_trainer or may_view(actor)
    if not allowed:
        raise NotFound(_("no such training session"), field="session_id")
    return session


def get_quiz_for(actor: Actor, quiz_id: uuid.UUID | str) -> Quiz:
    if not may_manage(actor):
        raise NotFound(_("no such quiz"), field="quiz_id")
    try:
        return Quiz.objects.for_tenant(actor.tenant_id).get(pk=quiz_id)
    except (Quiz.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such quiz"), field="quiz_id") from None


# --------------------------------------------------------------------------------------------- audience
def department_paths(tenant_id: uuid.UUID, ids: Iterable[str]) -> list[str]:
    wanted = [value for value in ids]
    if not wanted:
        return []
    return list(Department.objects.for_tenant(tenant_id).filter(pk__in=wanted).values_list("path", flat=True))


def audience(tenant_id: uuid.UUID, audience_all: bool, department_ids: Sequence[str]) -> QuerySet[Member]:
    """Active members who must take the training: everyone, or those in the chosen departments' subtrees."""
    members = Member.objects.for_tenant(tenant_id).filter(state=MemberState.ACTIVE)
    if audience_all:
        return members
    paths = department_paths(tenant_id, department_ids)
    if not paths:
        return members.none()
    where = Q()
    for path in paths:
        where |= Q(memberships__department__path__startswith=path)
    return members.filter(where).distinct()


def session_audience(session: Session) -> QuerySet[Member]:
    return audience(session.tenant_id, session.audience_all, session.audience_departments)


def in_audience(session: Session, member_id: uuid.UUID | None) -> bool:
    if member_id is None:
        return False
    return session_audience(session).filter(pk=member_id).exists()


# ------------------------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class Standing:
    """One member's evidence for a session."""

    member: Member
    department: str
    department_paths: tuple[str, ...]
    in_audience: bool
    attendance: str  # "attended", "absent" or "" (not recorded)
    attempts: int
    best_score: int | None
    passed: bool
    completed_at: dt.datetime | None
    overdue: bool
    attempts_left: int

    @property
    def attended(self) -> bool:
        return self.attendance == AttendanceStatus.ATTENDED

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    @property
    def outcome(self) -> str:
        """Which bar of the results chart the member falls in."""
        if self.complete:
            return "complete"
        if self.overdue:
            return "overdue"
        if self.attended:
            return "attended_not_passed"
        return "not_attended"


def standings(
    session: Session, *, at: dt.datetime | None = None, member_ids: Iterable[uuid.UUID] | None = None
) -> list[Standing]:
    """Every member of the audience (and anyone with a record though no longer in it), by name. Complete =
    attended and, when the session has a quiz, passed it; overdue = in the audience, not complete, after
    the due date."""
    at = at or now()
    tenant_id = session.tenant_id
    members_qs = session_audience(session)
    if member_ids is not None:
        members_qs = members_qs.filter(pk__in=list(member_ids))
    members = {m.pk: m for m in members_qs}
    audience_ids = set(members)
    attendance = {
        row.member_id: row for row in Attendance.objects.for_tenant(tenant_id).filter(session=session)
    }
    attempts: dict[uuid.UUID, list[Attempt]] = defaultdict(list)
    for attempt in Attempt.objects.for_tenant(tenant_id).filter(session=session).order_by("number"):
        attempts[attempt.member_id].append(attempt)
    if member_ids is None:
        extra = (set(attendance) | set(attempts)) - audience_ids
        if extra:
            members.update({m.pk: m for m in Member.objects.for_tenant(tenant_id).filter(pk__in=extra)})
    places: dict[uuid.UUID, list[tuple[bool, str, str]]] = defaultdict(list)
    for member_id, name, path, primary in (
        Membership.objects.for_tenant(tenant_id)
        .filter(member_id__in=list(members))
        .values_list("member_id", "department__name", "department__path", "is_primary")
    ):
        places[member_id].append((not primary, name, path))
    has_quiz = session.quiz is not None and bool(session.quiz.questions)
    limit = session.quiz.max_attempts if session.quiz is not None else 0
    result = []
    for member in sorted(members.values(), key=lambda m: (m.name.lower(), str(m.pk))):
        mark = attendance.get(member.pk)
        theirs = attempts.get(member.pk, [])
        passed_at = next((a.submitted_at for a in theirs if a.passed), None)
        attended = mark is not None and mark.status == AttendanceStatus.ATTENDED
        completed_at = None
        if attended and mark is not None:
            if not has_quiz:
                completed_at = mark.marked_at
            elif passed_at is not None:
                completed_at = max(mark.marked_at, passed_at)
        in_it = member.pk in audience_ids
        own = sorted(places.get(member.pk, []))
        result.append(
            Standing(
                member=member,
                department=own[0][1] if own else "",
                department_paths=tuple(p for _, _, p in own),
                in_audience=in_it,
                attendance=mark.status if mark is not None else "",
                attempts=len(theirs),
                best_score=max((a.score for a in theirs), default=None),
                passed=passed_at is not None,
                completed_at=completed_at,
                overdue=in_it and completed_at is None and at >= session.due_at,
                attempts_left=0 if passed_at is not None else max(limit - len(theirs), 0),
            )
        )
    return result


OUTCOMES = ("complete", "attended_not_passed", "not_attended", "overdue")


def counts(rows: Sequence[Standing], due_at: dt.datetime) -> dict[str, int]:
    """The summary: members in the audience, and how many fall in each bar (complete / attended but not
    passed / not attended / overdue: overdue wins over the last two once the due date has passed)."""
    in_it = [row for row in rows if row.in_audience]
    result = {outcome: 0 for outcome in OUTCOMES}
    for row in in_it:
        result[row.outcome] += 1
    result["audience"] = len(in_it)
    result["attended"] = sum(1 for row in in_it if row.attended)
    result["passed"] = sum(1 for row in in_it if row.passed)
    result["completed_by_due"] = sum(
        1 for row in in_it if row.completed_at is not None and row.completed_at < due_at
    )
    return result


def overdue(rows: Sequence[Standing], department: Department | None = None) -> list[Standing]:
    """Overdue members, optionally only those in a department's subtree."""
    found = [row for row in rows if row.overdue]
    if department is not None:
        found = [row for row in found if any(p.startswith(department.path) for p in row.department_paths)]
    return found


# ------------------------------------------------------------------------------------------ my training
def my_sessions(actor: Actor, *, limit: int = 100) -> list[Session]:
    """Sessions whose audience includes the member, newest first (records erased by retention left out)."""
    if actor.actor_id is None:
        return []
    member = (
        Member.objects.for_tenant(actor.tenant_id).filter(pk=actor.actor_id, state=MemberState.ACTIVE).first()
    )
    if member is None:
        return []
    own_paths = [place.path for place in member.places()]
    sessions = list(
        Session.objects.for_tenant(actor.tenant_id)
        .filter(records_erased_at__isnull=True)
        .select_related("quiz", "trainer")
        .order_by("-starts_at", "id")[: limit * 3]
    )
    wanted_ids = {d for s in sessions if not s.audience_all for d in s.audience_departments}
    paths = dict(
        Department.objects.for_tenant(actor.tenant_id)
        .filter(pk__in=list(wanted_ids))
        .values_list("pk", "path")
    )
    by_id = {str(key): value for key, value in paths.items()}
    mine = []
    for session in sessions:
        if session.audience_all or any(
            own.startswith(by_id[d]) for d in session.audience_departments if d in by_id for own in own_paths
        ):
            mine.append(session)
    return mine[:limit]


def attempts_of(session: Session, member_id: uuid.UUID) -> list[Attempt]:
    return list(Attempt.objects.for_tenant(session.tenant_id).filter(session=session, member_id=member_id))


def quarter_sessions(actor: Actor, quarter: str) -> list[Session]:
    """Every session held in the quarter (Hong Kong time): the programmes' and the one-off ones."""
    start, end = quarter_bounds(quarter)
    return list(
        sessions_for(actor).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")
    )


def department_for(actor: Actor, department_id: uuid.UUID | str | None) -> Department | None:
    """The department a list is filtered by (none when not given)."""
    if not department_id:
        return None
    try:
        return Department.objects.for_tenant(actor.tenant_id).get(pk=department_id)
    except (Department.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such department"), field="department_id") from None


def my_standings(actor: Actor, *, limit: int = 50) -> list[tuple[Session, Standing]]:
    """The member's own training, newest first, with where they stand in each."""
    result = []
    for session in my_sessions(actor, limit=limit):
        rows = standings(session, member_ids=[actor.actor_id]) if actor.actor_id else []
        if rows:
            result.append((session, rows[0]))
    return result


def sessions_trained_by(actor: Actor, *, limit: int = 20) -> list[Session]:
    """Sessions the member trains (they mark attendance there), newest first."""
    if actor.actor_id is None:
        return []
    return list(
        Session.objects.for_tenant(actor.tenant_id)
        .filter(trainer_id=actor.actor_id)
        .order_by("-starts_at", "id")[:limit]
    )
