"""Console test helpers: a browser-like client signed in as a given member."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from harbour.directory.models import Member
from tests.factories import Company, make_member


@pytest.fixture
def admin_client(company: Company, as_member: Callable[[Member], Client]) -> Client:
    assert company.admin is not None
    return as_member(company.admin)


@pytest.fixture
def nobody(company: Company) -> Member:
    """An active member holding no role at all: every directory page is hidden from them."""
    return make_member(
        company,
        name="Nora Nobody",
        email="nora@acme.com.hk",
        departments=[company.departments["hr"]],
        role=None,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Argon2 is deliberately slow; console tests sign in with force_login and need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
