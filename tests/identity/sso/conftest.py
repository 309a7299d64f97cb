"""Fixtures of the single sign-on tests: the test identity providers, and a company with a verified domain."""

from __future__ import annotations

from typing import Any

import pytest

from tests.idp.fixtures import oidc_provider, saml_idp  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def other_admin_api(other_company):  # type: ignore[no-untyped-def]
    from tests.api.helpers import api_as

    return api_as(other_company.admin)
