"""Fixtures of the operation-log tests: API clients acting as the company's members."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import ApiClient, api_as
from tests.factories import Company


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_api(company: Company) -> ApiClient:
    assert company.admin is not None
    return api_as(company.admin)


@pytest.fixture
def member_api(company: Company) -> ApiClient:
    assert company.member is not None
    return api_as(company.member)
