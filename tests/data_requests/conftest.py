"""Fixtures of the data request tests: a movable clock, API clients for the handler (Ada, the
Administrator) and two members, and a helper recording a request received some days ago."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.data_requests.actions import record_request
from harbour.data_requests.models import DataRequest
from tests.api.helpers import ApiClient, api_as
from tests.factories import Company


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime) -> dt.datetime:
        self.at = at
        return at

    def hong_kong(self, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        """Set the clock to a Hong Kong wall-clock time."""
        return self.set(dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=HONG_KONG))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Every ``timezone.now()`` reads this clock; it starts at the real time (tokens and the subscription
    date from then), and tests only move it within today and tomorrow."""
    c = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", c.now)
    yield c


@pytest.fixture
def helen_api(company: Company) -> ApiClient:
    """Helen, a General Member of Human Resources."""
    assert company.outsider is not None
    return api_as(company.outsider)


Received = Callable[..., DataRequest]


@pytest.fixture
def received(company: Company) -> Received:
    """An open request from an outside person received ``days_ago`` Hong Kong days ago."""

    def make(
        days_ago: int = 0, *, kind: str = "access", name: str = "Olive Outsider", **fields: Any
    ) -> DataRequest:
        values: dict[str, Any] = {
            "description": "A copy of everything you hold about me",
            "language": "en",
            "requester_name": name,
            "requester_contact": "olive@example.com",
            **fields,
        }
        return record_request(
            company.system,
            kind=kind,
            received_on=today_in_hong_kong() - dt.timedelta(days=days_ago),
            **values,
        )

    return make


@pytest.fixture
def other_admin_api(other_company: Company) -> ApiClient:
    """The administrator of another company."""
    assert other_company.admin is not None
    return api_as(other_company.admin)
