"""Training console pages as members use them: officers create a programme and write its quiz, mark
attendance in bulk on the session page and download the evidence; members check in and take the quiz on
"My training" — the quiz page never holds the correct answers."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from harbour.audit.models import AuditEvent
from harbour.directory.models import Member
from harbour.training.models import Attempt, Attendance, Programme, Session
from tests.factories import Company
from tests.training.conftest import answers, running_session

Login = Callable[[Member], Client]


def test_officer_creates_a_programme_and_writes_its_quiz(company: Company, as_member: Login) -> None:
    assert company.admin is not None
    browser = as_member(company.admin)
    finance = company.departments["finance"]
    response = browser.post(
        reverse("training:programme_new"),
        {
            "title": "Quarterly awareness",
            "departments": [str(finance.pk)],
            "day_of_quarter": "10",
            "start_time": "14:30",
            "duration_minutes": "45",
            "due_days": "21",
            "place": "Board room",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.for_tenant(company.tenant).get()
    assert not programme.audience_all and programme.audience_departments == [str(finance.pk)]
    text = (
        "Is this email safe?\n* Report it\n- Click the link\n\n"
        "Report a strange sign-in within\n* 24 hours\n- a week\n"
    )
    quiz_url = reverse("training:programme_quiz", args=[programme.pk])
    bad = browser.post(quiz_url, {"title": "Q", "pass_mark": "0", "max_attempts": "3", "questions": text})
    assert bad.status_code == 400 and "from 1 to 100" in bad.content.decode()
    ok = browser.post(quiz_url, {"title": "Q", "pass_mark": "100", "max_attempts": "2", "questions": text})
    assert ok.status_code == 302
    programme.refresh_from_db()
    assert programme.quiz is not None and programme.quiz.pass_mark == 100
    assert [len(q["options"]) for q in programme.quiz.questions] == [2, 2]
    no_correct = browser.post(
        quiz_url, {"title": "Q", "pass_mark": "80", "max_attempts": "2", "questions": "Safe?\n- Yes\n- No"}
    )
    assert no_correct.status_code == 400 and "at least one correct option" in no_correct.content.decode()


def test_session_page_marks_attendance_in_bulk_and_draws_the_chart(
    company: Company, as_member: Login
) -> None:
    assert company.admin is not None and company.member is not None and company.outsider is not None
    session = running_session(company)
    browser = as_member(company.admin)
    url = reverse("training:session", args=[session.pk])
    page = browser.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Attended, not passed" in html and session.checkin_code in html
    response = browser.post(
        reverse("training:attendance", args=[session.pk]),
        {"members": [str(company.member.pk), str(company.outsider.pk)], "status": "attended"},
    )
    assert response.status_code == 302
    assert (
        Attendance.objects.for_tenant(company.tenant).filter(session=session, status="attended").count() == 2
    )
    nothing = browser.post(reverse("training:attendance", args=[session.pk]), {"status": "attended"})
    assert nothing.status_code == 400 and "tick at least one member" in nothing.content.decode()


def test_session_pdf_download_holds_the_title_and_table(company: Company, as_member: Login) -> None:
    assert company.admin is not None
    session = running_session(company)
    response = as_member(company.admin).get(reverse("training:session_pdf", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert session.title in text and "Attendance and quiz results" in text
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="training.evidence_exported")
    assert event.data["format"] == "pdf"


def test_member_checks_in_and_takes_the_quiz(company: Company, as_member: Login) -> None:
    assert company.member is not None
    session = running_session(company)
    browser = as_member(company.member)
    mine = browser.get(reverse("training:mine"))
    assert mine.status_code == 200 and session.title in mine.content.decode()
    browser.post(reverse("training:check_in", args=[session.pk]), {"code": "NOPE42"})
    assert not Attendance.objects.for_tenant(company.tenant).exists()
    browser.post(reverse("training:check_in", args=[session.pk]), {"code": session.checkin_code})
    assert Attendance.objects.for_tenant(company.tenant).get().member == company.member

    take_url = reverse("training:take", args=[session.pk])
    page = browser.get(take_url).content.decode()
    assert session.quiz is not None
    for question in session.quiz.questions:
        assert question["text"] in page
    assert "correct" not in page.lower().replace("tick every right answer", "")
    chosen = answers(session, 5)
    result = browser.post(take_url, chosen)
    assert result.status_code == 200 and "Passed with 100%" in result.content.decode()
    attempt = Attempt.objects.for_tenant(company.tenant).get()
    assert attempt.passed and attempt.score == 100
    done = browser.get(reverse("training:mine")).content.decode()
    assert "Nothing outstanding." in done


def test_unanswered_question_is_refused_on_the_quiz_page(company: Company, as_member: Login) -> None:
    assert company.member is not None
    session = running_session(company)
    chosen = answers(session, 5)
    chosen.pop(next(iter(chosen)))
    response = as_member(company.member).post(reverse("training:take", args=[session.pk]), chosen)
    assert response.status_code == 400 and "answer the question" in response.content.decode()
    assert not Attempt.objects.for_tenant(company.tenant).exists()


def test_members_outside_the_audience_get_404(company: Company, as_member: Login) -> None:
    assert company.member is not None
    hr = company.departments["hr"]
    session = running_session(company, audience_all=False, department_ids=[str(hr.pk)])
    browser = as_member(company.member)
    assert browser.get(reverse("training:take", args=[session.pk])).status_code == 404
    assert browser.get(reverse("training:session", args=[session.pk])).status_code == 404
    assert Session.objects.for_tenant(company.tenant).count() == 1


def test_quarter_pdf_lists_every_session_of_the_quarter(company: Company, as_member: Login) -> None:
    from harbour.core.time import today_in_hong_kong
    from harbour.training.quarters import quarter_of

    assert company.admin is not None
    first = running_session(company, title="Morning briefing")
    second = running_session(company, title="Evening briefing", quiz=None)
    quarter = quarter_of(today_in_hong_kong())
    response = as_member(company.admin).get(reverse("training:quarter_pdf", args=[quarter]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert first.title in text and second.title in text
    assert as_member(company.admin).get(reverse("training:quarter_pdf", args=["2026-Q7"])).status_code == 404


def test_the_trainer_finds_and_marks_their_session(company: Company, as_member: Login) -> None:
    assert company.outsider is not None and company.member is not None
    session = running_session(company, trainer_id=str(company.outsider.pk))
    browser = as_member(company.outsider)  # Helen: no training role, but she trains this session
    mine = browser.get(reverse("training:mine")).content.decode()
    assert "Sessions I train" in mine and reverse("training:session", args=[session.pk]) in mine
    page = browser.get(reverse("training:session", args=[session.pk]))
    assert page.status_code == 200 and session.checkin_code in page.content.decode()
    response = browser.post(
        reverse("training:attendance", args=[session.pk]),
        {"members": [str(company.member.pk)], "status": "absent"},
    )
    assert response.status_code == 302
    assert Attendance.objects.for_tenant(company.tenant).get().status == "absent"
    assert (
        browser.get(reverse("training:session_csv", args=[session.pk])).status_code == 404
    )  # evidence: officers


def test_officer_creates_a_one_off_session_in_hong_kong_time(company: Company, as_member: Login) -> None:
    import datetime as dt

    from harbour.core.time import HONG_KONG, today_in_hong_kong

    assert company.admin is not None
    browser = as_member(company.admin)
    day = today_in_hong_kong() + dt.timedelta(days=3)
    response = browser.post(
        reverse("training:session_new"),
        {
            "title": "Phishing drill debrief",
            "starts_at": f"{day.isoformat()}T15:00",
            "ends_at": f"{day.isoformat()}T16:00",
            "due_on": (day + dt.timedelta(days=14)).isoformat(),
            "online_link": "https://meet.example.com/debrief",
            "audience_all": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.for_tenant(company.tenant).get()
    assert session.starts_at == dt.datetime.combine(day, dt.time(15, 0), tzinfo=HONG_KONG)
    listing = browser.get(reverse("training:programmes")).content.decode()
    assert "Phishing drill debrief" in listing
    bad = browser.post(
        reverse("training:session_new"),
        {
            "title": "Backwards",
            "starts_at": f"{day.isoformat()}T15:00",
            "ends_at": f"{day.isoformat()}T14:00",
            "due_on": day.isoformat(),
            "place": "Room 2",
            "audience_all": "on",
        },
    )
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()
    assert Session.objects.for_tenant(company.tenant).count() == 1
