"""Security training through the API and the actions: the quarterly schedule, attendance and check-in,
quiz scoring and limits, overdue members at the due date, evidence exports, erasure, the compliance check,
bad input, permissions and isolation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from harbour.audit.models import AuditEvent
from harbour.core.compliance import Status, checks_for
from harbour.core.erasure import category
from harbour.core.time import HONG_KONG, now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.training import actions
from harbour.training.erasure import TRAINING_RECORDS
from harbour.training.evidence import pdf_bytes, session_evidence
from harbour.training.models import Attempt, Attendance, Programme, Quiz, Session
from harbour.training.quarters import quarter_of
from harbour.training.queries import overdue, standings
from harbour.training.tasks import open_due_sessions, open_quarterly_training_task
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.training.conftest import answers, quiz_spec, running_session


def _events(company: Company, kind: str) -> int:
    return AuditEvent.objects.for_tenant(company.tenant).filter(kind=kind).count()


def _programme(company: Company, **kwargs: object) -> Programme:
    assert company.admin is not None
    return actions.create_programme(
        company.admin, title="Quarterly security awareness", quiz=quiz_spec(), place="Room 18A", **kwargs
    )


def _member(company: Company, key: str) -> Member:
    found = getattr(company, key)
    assert found is not None
    return found


# -------------------------------------------------------------------------------------------- schedule
def test_schedule_opens_exactly_one_session_per_quarter(company: Company) -> None:
    programme = _programme(company, day_of_quarter=14, due_days=30)
    assert open_due_sessions(today=dt.date(2026, 10, 1)) == {"programmes": 1, "opened": 1}
    assert open_due_sessions(today=dt.date(2026, 10, 1)) == {"programmes": 1, "opened": 0}
    assert open_due_sessions(today=dt.date(2026, 12, 31)) == {"programmes": 1, "opened": 0}
    sessions = Session.objects.for_tenant(company.tenant).filter(programme=programme)
    assert [s.quarter for s in sessions] == ["2026-Q4"]
    q4 = sessions.get()
    assert q4.starts_at == dt.datetime(2026, 10, 15, 10, 0, tzinfo=HONG_KONG)
    assert q4.due_on == dt.date(2026, 11, 14)
    # the session has its own copy of the quiz: editing the programme's never changes this quarter's evidence
    assert q4.quiz is not None and programme.quiz is not None
    assert q4.quiz.pk != programme.quiz.pk and q4.quiz.questions == programme.quiz.questions
    # after downtime over the new year, the first run of the quarter opens the next one, once
    assert open_due_sessions(today=dt.date(2027, 1, 9)) == {"programmes": 1, "opened": 1}
    assert open_due_sessions(today=dt.date(2027, 1, 10)) == {"programmes": 1, "opened": 0}
    assert sorted(sessions.values_list("quarter", flat=True)) == ["2026-Q4", "2027-Q1"]
    assert _events(company, "training.session_created") == 2


def test_the_periodic_task_is_idempotent_and_skips_inactive_programmes(company: Company) -> None:
    _programme(company)
    paused = _programme(company)
    assert company.admin is not None
    actions.update_programme(company.admin, paused, active=False)
    assert open_quarterly_training_task.call() == {"programmes": 1, "opened": 1}
    assert open_quarterly_training_task.call() == {"programmes": 1, "opened": 0}
    assert Session.objects.for_tenant(company.tenant).get().quarter == quarter_of(today_in_hong_kong())


def test_opening_a_session_tells_its_audience(company: Company) -> None:
    from harbour.security.models import Notice

    finance = company.departments["finance"]
    running_session(company, audience_all=False, department_ids=[str(finance.pk)])
    told = sorted(
        n.member.name for n in Notice.objects.for_tenant(company.tenant).filter(title__contains="training")
    )
    assert told == ["Fiona Finance", "Gary General"]  # Finance and its Accounts Payable subtree


# ------------------------------------------------------------------------------------------ attendance
def test_officer_marks_attendance_in_bulk(company: Company, admin_api: ApiClient, session: Session) -> None:
    gary, helen = _member(company, "member"), _member(company, "outsider")
    response = admin_api.post(
        f"/training/sessions/{session.pk}/attendance",
        {"member_ids": [str(gary.pk), str(helen.pk)], "status": "attended"},
    )
    assert response.status_code == 200, response.content
    assert {row["status"] for row in body(response)} == {"attended"}
    admin_api.post(
        f"/training/sessions/{session.pk}/attendance", {"member_ids": [str(helen.pk)], "status": "absent"}
    )
    marks = dict(
        Attendance.objects.for_tenant(company.tenant)
        .filter(session=session)
        .values_list("member__name", "status")
    )
    assert marks == {"Gary General": "attended", "Helen HR": "absent"}
    assert _events(company, "training.attendance_marked") == 3


def test_the_trainer_marks_attendance_without_an_officer_role(
    company: Company, member_api: ApiClient
) -> None:
    helen, gary = _member(company, "outsider"), _member(company, "member")
    session = running_session(company, trainer_id=str(helen.pk))
    trainer = api_as(helen)
    response = trainer.post(
        f"/training/sessions/{session.pk}/attendance", {"member_ids": [str(gary.pk)], "status": "attended"}
    )
    assert response.status_code == 200
    assert trainer.get(f"/training/sessions/{session.pk}/results").status_code == 200
    # Gary is neither the trainer nor an officer
    refused = member_api.post(
        f"/training/sessions/{session.pk}/attendance", {"member_ids": [str(gary.pk)], "status": "absent"}
    )
    assert_problem(refused, 404)


def test_marking_someone_outside_the_audience_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    finance = company.departments["finance"]
    session = running_session(company, audience_all=False, department_ids=[str(finance.pk)])
    gary, helen = _member(company, "member"), _member(company, "outsider")
    response = admin_api.post(
        f"/training/sessions/{session.pk}/attendance",
        {"member_ids": [str(gary.pk), str(helen.pk)], "status": "attended"},
    )
    assert_problem(response, 422, "member_ids")
    bad_status = admin_api.post(
        f"/training/sessions/{session.pk}/attendance", {"member_ids": [str(gary.pk)], "status": "maybe"}
    )
    assert_problem(bad_status, 422, "status")
    assert not Attendance.objects.for_tenant(company.tenant).exists()


def test_member_checks_in_with_the_code_during_the_session(
    company: Company, member_api: ApiClient, session: Session
) -> None:
    wrong = member_api.post(f"/training/sessions/{session.pk}/check-in", {"code": "WRONG1"})
    assert_problem(wrong, 422, "code")
    response = member_api.post(
        f"/training/sessions/{session.pk}/check-in", {"code": session.checkin_code.lower()}
    )
    assert response.status_code == 200, response.content
    assert body(response)["self_checked_in"] is True
    row = Attendance.objects.for_tenant(company.tenant).get(session=session)
    assert row.member == company.member and row.status == "attended"
    assert _events(company, "training.checked_in") == 1


@pytest.mark.parametrize("hours", [3, -3])
def test_check_in_is_refused_outside_the_session_window(
    company: Company, member_api: ApiClient, hours: int
) -> None:
    starts = now() + dt.timedelta(hours=hours)
    session = running_session(
        company,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        due_on=today_in_hong_kong() + dt.timedelta(days=7),
    )
    response = member_api.post(f"/training/sessions/{session.pk}/check-in", {"code": session.checkin_code})
    assert_problem(response, 422, "code")
    assert not Attendance.objects.for_tenant(company.tenant).exists()


def test_members_outside_the_audience_do_not_see_the_session(company: Company) -> None:
    hr = company.departments["hr"]
    session = running_session(company, audience_all=False, department_ids=[str(hr.pk)])
    gary = api_as(_member(company, "member"))
    assert_problem(
        gary.post(f"/training/sessions/{session.pk}/check-in", {"code": session.checkin_code}), 404
    )
    assert_problem(gary.get(f"/training/sessions/{session.pk}/quiz"), 404)
    assert body(gary.get("/training/mine")) == []
    helen = api_as(_member(company, "outsider"))
    assert [row["session"]["id"] for row in body(helen.get("/training/mine"))] == [str(session.pk)]


# ----------------------------------------------------------------------------------------------- quiz
def test_the_quiz_is_sent_without_its_answers(member_api: ApiClient, session: Session) -> None:
    response = member_api.get(f"/training/sessions/{session.pk}/quiz")
    assert response.status_code == 200
    data = body(response)
    assert len(data["questions"]) == 5 and data["pass_mark"] == 80
    assert "correct" not in response.content.decode()
    assert [q["multiple"] for q in data["questions"]] == [False, True, False, False, False]


def test_exactly_the_pass_mark_passes(company: Company, member_api: ApiClient, session: Session) -> None:
    failed = member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 3)})
    assert failed.status_code == 201
    assert body(failed) | {"submitted_at": ""} == {
        "number": 1,
        "score": 60,
        "passed": False,
        "submitted_at": "",
        "attempts_left": 2,
    }
    passed = member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 4)})
    assert body(passed)["score"] == 80 and body(passed)["passed"] is True
    stored = list(Attempt.objects.for_tenant(company.tenant).filter(session=session).order_by("number"))
    assert [(a.number, a.score, a.passed) for a in stored] == [(1, 60, False), (2, 80, True)]
    assert stored[1].answers == {k: sorted(v) for k, v in answers(session, 4).items()}
    assert _events(company, "training.quiz_attempted") == 2
    # after passing, no further attempt
    again = member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 5)})
    assert_problem(again, 409, "answers")
    assert Attempt.objects.for_tenant(company.tenant).count() == 2


def test_a_question_with_several_correct_options_needs_all_of_them(
    member_api: ApiClient, session: Session
) -> None:
    assert session.quiz is not None
    chosen = answers(session, 5)
    second = session.quiz.questions[1]
    chosen[second["id"]] = [second["options"][0]["id"]]  # one of the two correct devices only
    response = member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": chosen})
    assert body(response)["score"] == 80


def test_no_attempt_after_the_maximum(company: Company, member_api: ApiClient, session: Session) -> None:
    for _ in range(3):
        assert (
            member_api.post(
                f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 0)}
            ).status_code
            == 201
        )
    fourth = member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 5)})
    assert_problem(fourth, 409, "answers")
    assert Attempt.objects.for_tenant(company.tenant).count() == 3


def test_answers_to_unknown_options_or_questions_change_nothing(
    company: Company, member_api: ApiClient, session: Session
) -> None:
    chosen = answers(session, 5)
    first = next(iter(chosen))
    chosen[first] = ["not-an-option"]
    assert_problem(
        member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": chosen}),
        422,
        f"answers.{first}",
    )
    extra = answers(session, 5) | {"no-such-question": ["x"]}
    assert_problem(
        member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": extra}), 422, "answers"
    )
    missing = answers(session, 5)
    missing.pop(first)
    assert_problem(
        member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": missing}),
        422,
        f"answers.{first}",
    )
    assert not Attempt.objects.for_tenant(company.tenant).exists()


@pytest.mark.parametrize("mark", [0, 101, -5])
def test_a_pass_mark_outside_1_to_100_is_refused(company: Company, admin_api: ApiClient, mark: int) -> None:
    response = admin_api.post(
        "/training/programmes", {"title": "Awareness", "quiz": quiz_spec(pass_mark=mark)}
    )
    assert_problem(response, 422, "pass_mark")
    assert not Programme.objects.for_tenant(company.tenant).exists()
    assert not Quiz.objects.for_tenant(company.tenant).exists()


def test_a_taken_quiz_keeps_its_questions(
    company: Company, admin_api: ApiClient, member_api: ApiClient, session: Session
) -> None:
    assert session.quiz is not None
    ok = admin_api.patch(f"/training/quizzes/{session.quiz.pk}", {"max_attempts": 4})
    assert ok.status_code == 200 and body(ok)["max_attempts"] == 4
    member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": answers(session, 1)})
    refused = admin_api.patch(f"/training/quizzes/{session.quiz.pk}", {"pass_mark": 50})
    assert_problem(refused, 409, "questions")
    session.quiz.refresh_from_db()
    assert session.quiz.pass_mark == 80
    assert_problem(
        admin_api.patch(f"/training/quizzes/{session.quiz.pk}", {"pass_mark": 150}), 422, "pass_mark"
    )


def test_a_quiz_question_needs_a_correct_option(admin_api: ApiClient) -> None:
    spec = quiz_spec(questions=[{"text": "Is this safe?", "options": [{"text": "Yes"}, {"text": "No"}]}])
    assert_problem(admin_api.post("/training/programmes", {"title": "T", "quiz": spec}), 422, "questions")


def test_session_input_is_checked(company: Company, admin_api: ApiClient) -> None:
    start = now() + dt.timedelta(days=1)
    base = {
        "title": "One-off",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        "due_on": (today_in_hong_kong() + dt.timedelta(days=10)).isoformat(),
        "place": "Room 1",
    }
    assert_problem(
        admin_api.post("/training/sessions", base | {"ends_at": start.isoformat()}), 422, "ends_at"
    )
    assert_problem(admin_api.post("/training/sessions", base | {"place": ""}), 422, "place")
    assert_problem(
        admin_api.post("/training/sessions", base | {"online_link": "javascript:alert(1)"}),
        422,
        "online_link",
    )
    assert_problem(
        admin_api.post("/training/sessions", base | {"audience_all": False, "department_ids": []}),
        422,
        "department_ids",
    )
    assert not Session.objects.for_tenant(company.tenant).exists()
    created = admin_api.post("/training/sessions", base)
    assert created.status_code == 201


# --------------------------------------------------------------------------------- completion, overdue
def _overdue_session(company: Company) -> Session:
    """A session held three days ago whose completion was due yesterday."""
    starts = now() - dt.timedelta(days=3)
    return running_session(
        company,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        due_on=today_in_hong_kong() - dt.timedelta(days=1),
    )


def test_overdue_starts_at_the_end_of_the_due_day(company: Company) -> None:
    session = running_session(company)
    assert company.admin is not None
    ada = company.admin
    actions.mark_attendance(ada, session, member_ids=[str(ada.pk)], status="attended")
    actions.submit_attempt(ada, session, answers=answers(session, 5))
    due_end = dt.datetime.combine(session.due_on + dt.timedelta(days=1), dt.time(0, 0), tzinfo=HONG_KONG)
    assert session.due_at == due_end
    just_before = standings(session, at=due_end - dt.timedelta(microseconds=1))
    assert overdue(just_before) == []
    at_due = overdue(standings(session, at=due_end))
    assert sorted(row.member.name for row in at_due) == ["Fiona Finance", "Gary General", "Helen HR"]


def test_the_overdue_list_filters_by_department(company: Company, admin_api: ApiClient) -> None:
    session = _overdue_session(company)
    everyone = body(admin_api.get(f"/training/sessions/{session.pk}/overdue"))
    assert len(everyone) == 4
    finance = company.departments["finance"]
    in_finance = body(
        admin_api.get(f"/training/sessions/{session.pk}/overdue", department_id=str(finance.pk))
    )
    assert sorted(row["name"] for row in in_finance) == ["Fiona Finance", "Gary General"]
    assert_problem(
        admin_api.get(f"/training/sessions/{session.pk}/overdue", department_id="nope"), 404, "department_id"
    )


def test_completion_is_attendance_and_a_pass(company: Company, admin_api: ApiClient) -> None:
    session = _overdue_session(company)
    gary, helen, fiona = _member(company, "member"), _member(company, "outsider"), _member(company, "manager")
    assert company.admin is not None
    actions.mark_attendance(
        company.admin, session, member_ids=[str(gary.pk), str(helen.pk)], status="attended"
    )
    actions.submit_attempt(gary, session, answers=answers(session, 5))
    actions.submit_attempt(helen, session, answers=answers(session, 1))
    actions.submit_attempt(fiona, session, answers=answers(session, 5))  # passed, never attended
    rows = {row["name"]: row for row in body(admin_api.get(f"/training/sessions/{session.pk}/results"))}
    assert rows["Gary General"]["completed_at"] and not rows["Gary General"]["overdue"]
    assert rows["Helen HR"]["completed_at"] is None and rows["Helen HR"]["overdue"]
    assert rows["Fiona Finance"]["passed"] and rows["Fiona Finance"]["overdue"]
    counts = body(admin_api.get(f"/training/sessions/{session.pk}"))["counts"]
    assert (counts["audience"], counts["complete"], counts["overdue"]) == (4, 1, 3)
    mine = body(api_as(helen).get("/training/mine"))
    assert mine[0]["overdue"] is True and mine[0]["attempts_left"] == 2


def test_a_session_without_a_quiz_is_complete_on_attendance(company: Company) -> None:
    session = running_session(company, quiz=None)
    gary = _member(company, "member")
    actions.check_in(gary, session, code=session.checkin_code)
    row = standings(session, member_ids=[gary.pk])[0]
    assert row.complete and row.completed_at is not None


# ----------------------------------------------------------------------------------------------- evidence
def test_session_csv_holds_every_member_and_is_logged(
    company: Company, admin_api: ApiClient, session: Session
) -> None:
    gary = _member(company, "member")
    actions.check_in(gary, session, code=session.checkin_code)
    actions.submit_attempt(gary, session, answers=answers(session, 2))
    actions.submit_attempt(gary, session, answers=answers(session, 4))
    response = admin_api.get(f"/training/sessions/{session.pk}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Member",
        "Email",
        "Department",
        "Attended",
        "Attempts",
        "Best score",
        "Passed",
        "Completed at",
        "Overdue",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Ada Admin", "Fiona Finance", "Gary General", "Helen HR"}
    assert by_name["Gary General"][2:7] == ["Accounts Payable", "yes", "2", "80", "yes"]
    assert by_name["Gary General"][7]  # completed at
    assert by_name["Helen HR"][3:7] == ["no (not recorded)", "0", "", "no"]
    assert _events(company, "training.evidence_exported") == 1


def test_quarter_csv_names_the_session(company: Company, admin_api: ApiClient, session: Session) -> None:
    quarter = quarter_of(today_in_hong_kong())
    response = admin_api.get(f"/training/quarters/{quarter}/report.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Session" and len(rows) == 5
    assert {row[0] for row in rows[1:]} == {session.title}
    assert_problem(admin_api.get("/training/quarters/2026-Q9/report.csv"), 422, "quarter")


def test_the_pdf_holds_the_session_and_its_table(company: Company, session: Session) -> None:
    data = pdf_bytes([session_evidence(session)], title="Training evidence", company="Acme")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Phishing and devices" in text
    assert "Attendance and quiz results" in text
    assert "gary@acme.com.hk" in text


# -------------------------------------------------------------------------------------------- retention
def test_training_records_are_an_erasable_category(company: Company, other_company: Company) -> None:
    found = category(TRAINING_RECORDS)
    assert found is not None and found.default_days == 3 * 365
    old = running_session(company)
    gary = _member(company, "member")
    actions.check_in(gary, old, code=old.checkin_code)
    actions.submit_attempt(gary, old, answers=answers(old, 5))
    other = running_session(other_company)
    assert other_company.member is not None
    actions.check_in(other_company.member, other, code=other.checkin_code)
    ended = old.ends_at.astimezone(HONG_KONG).date()
    assert (
        list(
            found.find_due(
                company.tenant.pk, ended + dt.timedelta(days=found.default_days - 1), found.default_days
            )
        )
        == []
    )
    due = list(
        found.find_due(company.tenant.pk, ended + dt.timedelta(days=found.default_days), found.default_days)
    )
    assert due == [old.pk]
    assert found.erase(company.tenant.pk, due) == 2
    old.refresh_from_db()
    assert old.records_erased_at is not None and old.summary["complete"] == 1 and old.summary["audience"] == 4
    assert not Attendance.objects.for_tenant(company.tenant).exists()
    assert not Attempt.objects.for_tenant(company.tenant).exists()
    assert Attendance.objects.for_tenant(other_company.tenant).count() == 1  # the other company untouched


# ---------------------------------------------------------------------------------------------- compliance
def _finding(company: Company):  # type: ignore[no-untyped-def]
    (check,) = checks_for("HB-GOV-TRAINING")
    return check(company.tenant.pk)


def test_compliance_gap_when_no_training_this_quarter(company: Company) -> None:
    finding = _finding(company)
    assert finding.status == Status.GAP and quarter_of(today_in_hong_kong()) in finding.summary


def test_compliance_met_while_nobody_is_overdue_and_gap_once_someone_is(company: Company) -> None:
    programme = _programme(company, day_of_quarter=0, due_days=120)  # due after the quarter ends
    open_due_sessions(today=today_in_hong_kong())
    session = Session.objects.for_tenant(company.tenant).get(programme=programme)
    assert session.due_on >= today_in_hong_kong()
    finding = _finding(company)
    assert finding.status == Status.MET
    assert finding.evidence[0].count == 4 and finding.evidence[0].path.endswith(f"{session.pk}/")
    # the due date passes with nobody complete
    Session.objects.for_tenant(company.tenant).filter(pk=session.pk).update(
        starts_at=now() - dt.timedelta(days=3),
        ends_at=now() - dt.timedelta(days=3) + dt.timedelta(hours=1),
        due_on=today_in_hong_kong() - dt.timedelta(days=1),
    )
    finding = _finding(company)
    assert finding.status == Status.GAP and "4 of 4" in finding.summary
    assert [e.count for e in finding.evidence] == [4, 0, 4]


# -------------------------------------------------------------------------------- permissions, isolation
def test_general_members_do_not_run_training(
    company: Company, member_api: ApiClient, session: Session
) -> None:
    assert_problem(member_api.get("/training/sessions"), 403)
    assert_problem(member_api.post("/training/programmes", {"title": "Mine"}), 403)
    assert_problem(member_api.get(f"/training/sessions/{session.pk}/results"), 404)
    assert_problem(member_api.get(f"/training/sessions/{session.pk}/report.csv"), 404)
    assert not Programme.objects.for_tenant(company.tenant).exists()


def test_another_company_sees_nothing(company: Company, other_company: Company, session: Session) -> None:
    assert other_company.admin is not None
    other = api_as(other_company.admin)
    for path in ("", "/results", "/overdue", "/quiz", "/report.csv"):
        assert_problem(other.get(f"/training/sessions/{session.pk}{path}"), 404)
    assert_problem(
        other.post(f"/training/sessions/{session.pk}/check-in", {"code": session.checkin_code}), 404
    )
    assert body(other.get("/training/sessions")) == []
    assert body(other.get("/training/mine")) == []
    assert json.dumps(body(other.get("/training/programmes"))) == "[]"


def test_a_session_without_a_quiz_has_none_to_fetch_or_submit(
    company: Company, member_api: ApiClient
) -> None:
    session = running_session(company, quiz=None)
    assert_problem(member_api.get(f"/training/sessions/{session.pk}/quiz"), 404, "session_id")
    assert_problem(
        member_api.post(f"/training/sessions/{session.pk}/attempts", {"answers": {}}), 409, "session_id"
    )


def test_results_take_the_same_queries_whatever_the_audience_size(company: Company) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_member

    session = running_session(company)

    def queries() -> int:
        fresh = Session.objects.for_tenant(company.tenant).select_related("quiz").get(pk=session.pk)
        with CaptureQueriesContext(connection) as captured:
            standings(fresh)
        return len(captured)

    few = queries()
    for n in range(6):
        member = make_member(company, name=f"Extra {n}", email=f"extra{n}@acme.com.hk", with_login=False)
        actions.mark_attendance(company.admin, session, member_ids=[str(member.pk)], status="attended")  # type: ignore[arg-type]
    assert queries() == few
