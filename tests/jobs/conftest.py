"""Fixtures of the jobs tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.jobs.tasks import FIXED, RUNS


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_task_state() -> None:
    FIXED.clear()
    RUNS.clear()
