"""Procurement test fixtures: fast password hashing, uploads in a temporary directory, signatories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import Company
from tests.procurement.builders import Signatories, signatories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> Path:
    """SLA documents are written under a temporary MEDIA_ROOT, not the shared data directory."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def signers(company: Company) -> Signatories:
    return signatories(company)
