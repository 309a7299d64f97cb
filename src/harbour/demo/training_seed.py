"""Demo data of security training: a quarterly programme for everyone with a five-question quiz (phishing,
device rules, reporting a suspicious sign-in within 24 hours), and this quarter's session, trained by the IT
Manager, where most people attended — most of them passed the quiz, some failed it (one used every attempt)
— and the rest did not attend (a few marked absent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.core.permissions import SystemActor
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.models import Member, MemberState
from harbour.training.actions import create_programme, mark_attendance, open_quarter_session, submit_attempt
from harbour.training.models import Session

QUIZ: dict[str, Any] = {
    "title": "Security awareness check",
    "pass_mark": 80,
    "max_attempts": 3,
    "questions": [
        {
            "text": (
                "An email from “IT Support” asks you to sign in on a new page to keep your mailbox. "
                "What do you do?"
            ),
            "options": [
                {"text": "Use the Report phishing button and delete it", "correct": True},
                {"text": "Sign in quickly so the mailbox is not closed"},
                {"text": "Forward it to your team to ask if it is real"},
            ],
        },
        {
            "text": "Which devices may hold company files?",
            "options": [
                {"text": "A company laptop registered with IT", "correct": True},
                {"text": "A company phone registered with IT", "correct": True},
                {"text": "A personal USB stick"},
                {"text": "A family computer at home"},
            ],
        },
        {
            "text": (
                "You receive a sign-in alert for a login you did not make. By when must you report it to IT?"
            ),
            "options": [
                {"text": "Within 24 hours", "correct": True},
                {"text": "Within 7 days"},
                {"text": "At the next quarterly training"},
            ],
        },
        {
            "text": (
                "Someone on the phone says they are from IT and asks for your one-time code. What do you do?"
            ),
            "options": [
                {"text": "Refuse and report the call to IT", "correct": True},
                {"text": "Read the code out if they know your staff number"},
            ],
        },
        {
            "text": "You leave your desk for lunch. What do you do with your laptop?",
            "options": [
                {"text": "Lock the screen (Windows key + L)", "correct": True},
                {"text": "Leave it open: the office is secure"},
            ],
        },
    ],
}


def _answers(session: Session, right: int) -> dict[str, list[str]]:
    assert session.quiz is not None
    chosen: dict[str, list[str]] = {}
    for index, question in enumerate(session.quiz.questions):
        good = [o["id"] for o in question["options"] if o["correct"]]
        bad = [o["id"] for o in question["options"] if not o["correct"]]
        chosen[question["id"]] = good if index < right else bad[:1]
    return chosen


def seed_training(system: SystemActor, it_head: Member) -> Session | None:
    """The programme and this quarter's session with its results. Returns the session (``None`` only if the
    quarter's session has not started yet, e.g. seeding in the first hours of a quarter: then it is opened
    but holds no attendance)."""
    programme = create_programme(
        it_head,
        title="Quarterly security awareness",
        description=(
            "Thirty minutes every quarter: spotting phishing, the company's device rules, and reporting a "
            "suspicious sign-in to IT within 24 hours. Attend (in the Training Room or online) and pass the "
            "five-question check by the due date."
        ),
        audience_all=True,
        day_of_quarter=0,
        start_time=dt.time(9, 30),
        duration_minutes=45,
        due_days=45,
        place="Training Room, 18/F Harbour Centre",
        online_link="https://meet.harbour-demo.example/security-awareness",
        trainer_id=str(it_head.pk),
        quiz=QUIZ,
    )
    session = open_quarter_session(system, programme, today=today_in_hong_kong())
    if session is None or session.starts_at > now():
        return None
    people = list(
        Member.objects.for_tenant(system.tenant_id)
        .filter(state=MemberState.ACTIVE, is_external=False)
        .order_by("employee_number", "id")
    )
    attended = [m for i, m in enumerate(people) if i % 10 < 7]  # seven in ten attended
    absent = [m for i, m in enumerate(people) if i % 10 == 7]  # one in ten marked absent; the rest unrecorded
    mark_attendance(it_head, session, member_ids=[str(m.pk) for m in attended], status="attended")
    mark_attendance(it_head, session, member_ids=[str(m.pk) for m in absent], status="absent")
    for index, member in enumerate(attended):
        kind = index % 8
        if kind < 5:  # passed first time (all right, or four of five)
            submit_attempt(member, session, answers=_answers(session, 5 if kind % 2 == 0 else 4))
        elif kind == 5:  # failed once, passed the second time
            submit_attempt(member, session, answers=_answers(session, 2))
            submit_attempt(member, session, answers=_answers(session, 5))
        elif kind == 6:  # failed every attempt
            for right in (1, 3, 3):
                submit_attempt(member, session, answers=_answers(session, right))
        # kind 7: attended but has not taken the quiz yet
    return session
