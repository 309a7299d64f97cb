"""Training fixtures: the test company (Ada the administrator, Fiona in Finance, Gary in Accounts Payable
under Finance, Helen in HR) and a session running now with a five-question quiz (pass mark 80%)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from harbour.core.time import now, today_in_hong_kong
from harbour.training import actions
from harbour.training.models import Session
from tests.factories import Company


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


QUESTIONS: list[dict[str, Any]] = [
    {
        "text": "An email asks you to confirm your password on a new page. What do you do?",
        "options": [
            {"text": "Report it as phishing", "correct": True},
            {"text": "Enter the password to check"},
        ],
    },
    {
        "text": "Which devices may hold company data?",
        "options": [
            {"text": "A registered company laptop", "correct": True},
            {"text": "A registered company phone", "correct": True},
            {"text": "A personal USB stick"},
        ],
    },
    {
        "text": "You see a sign-in you did not make. Report it within…",
        "options": [{"text": "24 hours", "correct": True}, {"text": "a week"}, {"text": "the next quarter"}],
    },
    {
        "text": "May you share your one-time code with IT support on the phone?",
        "options": [{"text": "No", "correct": True}, {"text": "Yes"}],
    },
    {
        "text": "A USB stick lies in the car park. What do you do?",
        "options": [
            {"text": "Hand it to IT unopened", "correct": True},
            {"text": "Plug it in to find the owner"},
        ],
    },
]


def quiz_spec(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Security basics quiz",
        "pass_mark": 80,
        "max_attempts": 3,
        "questions": QUESTIONS,
        **overrides,
    }


def answers(session: Session, right: int) -> dict[str, list[str]]:
    """Answers with the first ``right`` questions exactly right and the rest wrong."""
    assert session.quiz is not None
    result: dict[str, list[str]] = {}
    for index, question in enumerate(session.quiz.questions):
        correct = [o["id"] for o in question["options"] if o["correct"]]
        wrong = [o["id"] for o in question["options"] if not o["correct"]]
        result[question["id"]] = correct if index < right else wrong[:1]
    return result


def running_session(company: Company, *, due_in_days: int = 7, **kwargs: Any) -> Session:
    """A session that started an hour ago and ends in an hour, for everyone, with the quiz."""
    assert company.admin is not None
    values: dict[str, Any] = {
        "title": "Phishing and devices",
        "starts_at": now() - dt.timedelta(hours=1),
        "ends_at": now() + dt.timedelta(hours=1),
        "due_on": today_in_hong_kong() + dt.timedelta(days=due_in_days),
        "place": "Room 18A",
        "quiz": quiz_spec(),
        **kwargs,
    }
    return actions.create_session(company.admin, **values)


@pytest.fixture
def session(company: Company) -> Session:
    return running_session(company)
