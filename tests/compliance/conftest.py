"""Compliance fixtures: checks swapped in for a test (and the real ones put back), and a movable clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from harbour.core import compliance
from harbour.core.compliance import Check, Evidence, Finding, Status

SetChecks = Callable[..., None]


@pytest.fixture(autouse=True)
def _only_the_tests_checks(set_checks: SetChecks) -> None:
    """Other apps' checks answer from their own data; these tests set the findings they are about."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def set_checks() -> Iterator[SetChecks]:
    """No rule has a check but those the test sets with ``set_checks(rule_id, check, …)``; afterwards every
    rule gets back exactly the checks the apps registered."""
    saved = {rule_id: list(checks) for rule_id, checks in compliance._CHECKS.items()}
    compliance._CHECKS.clear()

    def swap(rule_id: str, *checks: Check) -> None:
        compliance._CHECKS[rule_id] = list(checks)

    yield swap
    compliance._CHECKS.clear()
    compliance._CHECKS.update(saved)


@pytest.fixture
def no_checks(set_checks: SetChecks) -> None:
    """No rule has a check (the apps' own checks are put back after the test)."""


def answer(status: Status, summary: str, *evidence: Evidence) -> Check:
    def check(tenant_id: object) -> Finding:
        return Finding(status, summary, list(evidence))

    return check


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime) -> dt.datetime:
        self.at = at
        return at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", c.now)
    yield c
