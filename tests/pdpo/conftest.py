"""Fixtures of the PDPO register tests: a second approver and a clock the register reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from harbour.directory.models import BuiltinRole, Member
from tests.api.helpers import ApiClient, api_as
from tests.factories import Company, make_member


@pytest.fixture
def approver(company: Company) -> Member:
    """A second administrator: may approve what Ada wrote."""
    assert company.admin is not None
    domain = company.admin.email.split("@")[1]
    return make_member(company, name="Olive Officer", email=f"olive@{domain}", role=BuiltinRole.ADMINISTRATOR)


@pytest.fixture
def approver_api(approver: Member) -> ApiClient:
    return api_as(approver)


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Move the register's Hong Kong calendar to a given day."""

    def move(day: dt.date) -> None:
        for module in ("queries", "actions", "compliance_checks"):
            monkeypatch.setattr(f"harbour.pdpo.{module}.today_in_hong_kong", lambda: day)

    return move
