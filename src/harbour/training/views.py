"""Console pages of security training: for training officers the programmes (list, form, quiz editor),
sessions (one-off form; the session page with attendance, the results chart, the overdue list and the
evidence exports) and quarter exports; for every member "My training", check-in and taking a quiz."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid, NotFound
from harbour.core.time import local, now, today_in_hong_kong
from harbour.directory.models import Department, Member, MemberState
from harbour.directory.views.base import ConsoleRequest, require_tenant_wide
from harbour.training import actions
from harbour.training.evidence import csv_text, pdf_bytes, session_evidence
from harbour.training.forms import AttendanceForm, CheckInForm, ProgrammeForm, QuizForm, SessionForm
from harbour.training.models import Programme, Quiz, Session
from harbour.training.quarters import first_day, quarter_of
from harbour.training.queries import (
    MANAGE,
    SESSION_MARK,
    SESSION_SELF,
    VIEW,
    attempts_of,
    department_for,
    get_programme_for,
    get_session_for,
    in_audience,
    my_standings,
    overdue,
    programmes_for,
    quarter_sessions,
    sessions_for,
    sessions_trained_by,
)
from harbour.training.quiz import as_text, parse_text, shown_to_member

SESSIONS_SHOWN = 50
ROWS_PER_PAGE = 100


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _departments(request: ConsoleRequest) -> list[tuple[str, str]]:
    return [
        (str(d.pk), ("· " * d.depth) + d.name)
        for d in Department.objects.for_tenant(request.actor.tenant_id).order_by("path")
    ]


def _trainers(request: ConsoleRequest) -> list[tuple[str, str]]:
    members = Member.objects.for_tenant(request.actor.tenant_id).filter(state=MemberState.ACTIVE)
    return [(str(m.pk), m.name) for m in members.order_by("name")[:1000]]


def _choices(request: ConsoleRequest) -> dict[str, Any]:
    return {"departments": _departments(request), "trainers": _trainers(request)}


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -------------------------------------------------------------------------------------------- programmes
@member_required
def programmes(request: ConsoleRequest) -> HttpResponse:
    """Programmes and recent sessions."""
    _require(request, VIEW)
    actor = request.actor
    context = {
        "programmes": list(programmes_for(actor)),
        "sessions": list(sessions_for(actor)[:SESSIONS_SHOWN]),
        "may_manage": actor.access().tenant_wide(MANAGE),
        "quarter": quarter_of(today_in_hong_kong()),
    }
    return render(request, "training/programmes.html", context)


def _programme_initial(programme: Programme | None) -> dict[str, Any]:
    if programme is None:
        return {
            "audience_all": True,
            "day_of_quarter": 14,
            "start_time": "10:00",
            "duration_minutes": 60,
            "due_days": 30,
            "active": True,
        }
    return {
        "title": programme.title,
        "description": programme.description,
        "audience_all": programme.audience_all,
        "departments": list(programme.audience_departments),
        "day_of_quarter": programme.day_of_quarter,
        "start_time": programme.start_time,
        "duration_minutes": programme.duration_minutes,
        "due_days": programme.due_days,
        "place": programme.place,
        "online_link": programme.online_link,
        "trainer": str(programme.trainer_id or ""),
        "active": programme.active,
    }


def _programme_form(request: ConsoleRequest, programme: Programme | None) -> HttpResponse:
    _require(request, MANAGE)
    if request.method == "POST":
        form = ProgrammeForm(request.POST, **_choices(request))
        if form.is_valid():
            try:
                if programme is None:
                    saved = actions.create_programme(request.actor, **form.changes())
                else:
                    saved = actions.update_programme(request.actor, programme, **form.changes())
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved the programme %(title)s.") % {"title": saved.title})
                return redirect("training:programme_edit", saved.pk)
        status = 400
    else:
        form = ProgrammeForm(initial=_programme_initial(programme), **_choices(request))
        status = 200
    context = {"form": form, "programme": programme}
    return render(request, "training/programme_form.html", context, status=status)


@member_required
def programme_new(request: ConsoleRequest) -> HttpResponse:
    return _programme_form(request, None)


@member_required
def programme_edit(request: ConsoleRequest, programme_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    return _programme_form(request, get_programme_for(request.actor, programme_id))


# ---------------------------------------------------------------------------------------------- quizzes
def _quiz_editor(request: ConsoleRequest, owner: Programme | Session, back: str) -> HttpResponse:
    """Edit the quiz of a programme (the template each quarter's session copies) or of one session; a
    programme or session without one gets it on the first save."""
    actor = request.actor
    quiz: Quiz | None = owner.quiz
    taken = quiz is not None and actions.quiz_taken(quiz)
    if request.method == "POST":
        form = QuizForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                questions = parse_text(data["questions"])
                if quiz is None:
                    spec = {
                        "title": data["title"],
                        "pass_mark": data["pass_mark"],
                        "max_attempts": data["max_attempts"],
                        "questions": questions,
                    }
                    actions.add_quiz(actor, owner, spec)
                else:
                    same = as_text(questions) == as_text(quiz.questions)
                    actions.update_quiz(
                        actor,
                        quiz,
                        title=data["title"],
                        pass_mark=data["pass_mark"],
                        max_attempts=data["max_attempts"],
                        questions=None if same else questions,
                    )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved the quiz."))
                return redirect(back)
        status = 400
    else:
        initial = {"title": owner.title, "pass_mark": 80, "max_attempts": 3, "questions": ""}
        if quiz is not None:
            initial = {
                "title": quiz.title,
                "pass_mark": quiz.pass_mark,
                "max_attempts": quiz.max_attempts,
                "questions": as_text(quiz.questions),
            }
        form = QuizForm(initial=initial)
        status = 200
    context = {"form": form, "owner": owner, "back": back, "taken": taken, "quiz": quiz}
    return render(request, "training/quiz_form.html", context, status=status)


@member_required
def programme_quiz(request: ConsoleRequest, programme_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    programme = get_programme_for(request.actor, programme_id)
    return _quiz_editor(request, programme, reverse("training:programme_edit", args=[programme.pk]))


@member_required
def session_quiz(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    session = get_session_for(request.actor, session_id)
    return _quiz_editor(request, session, reverse("training:session", args=[session.pk]))


# --------------------------------------------------------------------------------------------- sessions
@member_required
def session_new(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    if request.method == "POST":
        form = SessionForm(request.POST, **_choices(request))
        if form.is_valid():
            try:
                created = actions.create_session(request.actor, **form.values())
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Created the session; its audience was told."))
                return redirect("training:session", created.pk)
        status = 400
    else:
        form = SessionForm(initial={"audience_all": True}, **_choices(request))
        status = 200
    return render(request, "training/session_form.html", {"form": form}, status=status)


def _session_context(request: ConsoleRequest, session: Session, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    evidence = session_evidence(session)
    department = None
    try:
        department = department_for(actor, request.GET.get("department") or None)
    except NotFound:
        department = None
    late = overdue(evidence.rows, department)
    labels = {
        "complete": _("Complete"),
        "attended_not_passed": _("Attended, not passed"),
        "not_attended": _("Not attended"),
        "overdue": _("Overdue"),
    }
    chart = bar_chart([(str(labels[key]), evidence.counts[key]) for key in labels])
    pages = max((len(evidence.rows) - 1) // ROWS_PER_PAGE + 1, 1)
    try:
        page = min(max(int(request.GET.get("page") or 1), 1), pages)
    except ValueError:
        page = 1
    return {
        "session": session,
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "rows": evidence.rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE],
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "counts": evidence.counts,
        "chart": chart,
        "overdue_rows": late,
        "department": department,
        "departments": _departments(request),
        "may_mark": actor.access().tenant_wide(MANAGE) or session.trainer_id == actor.pk,
        "may_manage": actor.access().tenant_wide(MANAGE),
        "may_view": actor.access().tenant_wide(VIEW),
        "started": session.starts_at <= now(),
        "quarter": quarter_of(local(session.starts_at).date()),
        "page_errors": extra.pop("page_errors", []),
        **extra,
    }


@member_required
def session(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    found = get_session_for(request.actor, session_id)
    return render(request, "training/session.html", _session_context(request, found))


@require_POST
@member_required
def attendance(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    found = get_session_for(actor, session_id, SESSION_MARK)
    form = AttendanceForm(request.POST, member_ids=request.POST.getlist("members"))
    if form.is_valid():
        try:
            rows = actions.mark_attendance(
                actor, found, member_ids=form.cleaned_data["members"], status=form.cleaned_data["status"]
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Marked %(n)d member(s).") % {"n": len(rows)})
            return redirect("training:session", found.pk)
    errors = [str(e) for errs in form.errors.values() for e in errs]
    context = _session_context(request, found, page_errors=errors)
    return render(request, "training/session.html", context, status=400)


@member_required
def session_csv(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_session_for(request.actor, session_id)
    text, rows = csv_text([session_evidence(found)], with_session=False)
    actions.record_export(request.actor, found, what="session", rows=rows, fmt="csv")
    return _download(text, "text/csv; charset=utf-8", f"training-{found.pk}.csv")


@member_required
def session_pdf(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_session_for(request.actor, session_id)
    evidence = session_evidence(found)
    data = pdf_bytes(
        [evidence],
        title=_("Security training evidence: %(title)s") % {"title": found.title},
        company=request.tenant.display_name,
    )
    actions.record_export(request.actor, found, what="session", rows=len(evidence.rows), fmt="pdf")
    return _download(data, "application/pdf", f"training-{found.pk}.pdf")


def _quarter(request: ConsoleRequest, quarter: str) -> list[Any]:
    _require(request, VIEW)
    try:
        first_day(quarter)
    except Invalid:
        raise Http404 from None
    return [session_evidence(s) for s in quarter_sessions(request.actor, quarter)]


@member_required
def quarter_csv(request: ConsoleRequest, quarter: str) -> HttpResponse:
    evidence = _quarter(request, quarter)
    text, rows = csv_text(evidence, with_session=True)
    actions.record_export(request.actor, None, what=f"quarter {quarter}", rows=rows, fmt="csv")
    return _download(text, "text/csv; charset=utf-8", f"training-{quarter}.csv")


@member_required
def quarter_pdf(request: ConsoleRequest, quarter: str) -> HttpResponse:
    evidence = _quarter(request, quarter)
    data = pdf_bytes(
        evidence,
        title=_("Security training evidence: %(quarter)s") % {"quarter": quarter},
        company=request.tenant.display_name,
    )
    rows = sum(len(item.rows) for item in evidence)
    actions.record_export(request.actor, None, what=f"quarter {quarter}", rows=rows, fmt="pdf")
    return _download(data, "application/pdf", f"training-{quarter}.pdf")


# ------------------------------------------------------------------------------------------ my training
@member_required
def mine(request: ConsoleRequest) -> HttpResponse:
    """The member's own training: what is outstanding, check-in while a session runs, the quiz."""
    at = now()
    rows = [
        {
            "session": s,
            "row": row,
            "starts_at": local(s.starts_at),
            "checkin_open": s.is_open_for_checkin(at) and not row.attended,
            "quiz_open": s.quiz_id is not None and s.starts_at <= at and row.attempts_left > 0,
        }
        for s, row in my_standings(request.actor)
    ]
    outstanding = [item for item in rows if item["row"].completed_at is None]  # type: ignore[attr-defined]
    done = [item for item in rows if item["row"].completed_at is not None]  # type: ignore[attr-defined]
    context = {
        "outstanding": outstanding,
        "done": done,
        "training": sessions_trained_by(request.actor),
        "form": CheckInForm(),
    }
    return render(request, "training/mine.html", context)


@require_POST
@member_required
def check_in(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    found = get_session_for(request.actor, session_id, SESSION_SELF)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            actions.check_in(request.actor, found, code=form.cleaned_data["code"])
        except HarbourError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Checked in to %(title)s.") % {"title": found.title})
    else:
        messages.error(request, _("Enter the check-in code given in the session."))
    return redirect("training:mine")


@member_required
def take(request: ConsoleRequest, session_id: uuid.UUID) -> HttpResponse:
    """Take the session's quiz: the page never holds the correct answers; the server scores the answers."""
    actor = request.actor
    found = get_session_for(actor, session_id, SESSION_SELF)
    if found.quiz is None or not in_audience(found, actor.pk):
        raise Http404
    error = ""
    result = None
    chosen: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = {q["id"]: request.POST.getlist(q["id"]) for q in found.quiz.questions}
        try:
            result = actions.submit_attempt(actor, found, answers=chosen)
        except HarbourError as exc:
            error = exc.message
    previous = attempts_of(found, actor.pk)
    passed = any(a.passed for a in previous)
    left = 0 if passed else max(found.quiz.max_attempts - len(previous), 0)
    context = {
        "session": found,
        "quiz": found.quiz,
        "questions": shown_to_member(found.quiz.questions),
        "chosen": chosen,
        "attempts": previous,
        "result": result,
        "passed": passed,
        "left": left,
        "error": error,
        "started": found.starts_at <= now(),
    }
    return render(request, "training/take.html", context, status=400 if error else 200)
