"""Fixtures of the temporary collaborator tests: a company whose accounts are not bound to its own email
domains (collaborators come from other organisations), a movable clock, and helpers that walk a request
through the API as its people would."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from harbour.directory.actions import accept_invitation
from harbour.directory.models import Member
from tests.api.helpers import ApiClient, api_as, body
from tests.factories import PASSWORD, Company, make_company


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def company(db: Any) -> Company:
    """Acme without domain binding: its collaborators write from their own organisations' addresses."""
    return make_company("acme")


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def move(self, **delta: float) -> dt.datetime:
        self.at = self.at + dt.timedelta(**delta)
        return self.at

    def set(self, at: dt.datetime) -> dt.datetime:
        self.at = at
        return at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Every ``timezone.now()`` (actions, sign-in, sessions, the jobs, the operation log) reads this clock. It
    starts at the real time (the company's subscription and tokens date from then) and only moves on."""
    c = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", c.now)
    yield c


@pytest.fixture
def helen_api(company: Company) -> ApiClient:
    """Helen, a General Member of Human Resources: neither sponsor nor approver of Finance's requests."""
    assert company.outsider is not None
    return api_as(company.outsider)


Ask = Callable[..., dict[str, Any]]


@pytest.fixture
def ask(company: Company, member_api: ApiClient) -> Ask:
    """Gary asks for a collaborator in Accounts Payable; answers the request as the API shows it."""

    def _ask(
        email: str = "pat@partner.example", client: ApiClient | None = None, **fields: Any
    ) -> dict[str, Any]:
        payload = {
            "email": email,
            "name": "Pat Partner",
            "organisation": "Partner Audit Ltd",
            "purpose": "Year-end audit of accounts payable",
            "department_id": str(company.departments["accounts"].id),
            **fields,
        }
        response = (client or member_api).post("/collaborators", payload)
        assert response.status_code == 201, response.content
        return body(response)  # type: ignore[no-any-return]

    return _ask


def invitation_token(email: str) -> str:
    """The invitation link sent to ``email`` (the last one), as its token."""
    for message in reversed(mail.outbox):
        if email in message.to and "/invite/" in message.body:
            found = re.search(r"/invite/([^/\s]+)/", message.body)
            assert found is not None
            return found.group(1)
    raise AssertionError(f"no invitation was sent to {email}")


def join(email: str) -> Member:
    """The collaborator accepts the invitation and sets a password."""
    return accept_invitation(invitation_token(email), PASSWORD)
