"""Fixtures of the policy tests: a movable clock, and a conduct policy drafted and published by the test
company's administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from harbour.policies import actions
from harbour.policies.models import PolicyDocument, PolicyKind, PolicyVersion
from tests.factories import Company


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def move(self, **delta: float) -> dt.datetime:
        self.at = self.at + dt.timedelta(**delta)
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Every ``timezone.now()`` (and so ``harbour.core.time.now``, and new rows' ``created_at``) reads this
    clock; it starts on the next whole second (after the company's accounts were made) and only moves on."""
    c = Clock(timezone.now().replace(microsecond=0) + dt.timedelta(seconds=1))
    monkeypatch.setattr(timezone, "now", c.now)
    yield c


TEXT = {
    "title_en": "Employee Conduct Policy",
    "title_zh": "員工行為守則",
    "body_en": "## Rules\n\nDo not forward work chats.\n",
    "body_zh": "## 規則\n\n不得轉發工作聊天內容。\n",
    "change_summary": "First version",
}


def conduct_draft(company: Company, **text: str) -> PolicyVersion:
    assert company.admin is not None
    document = PolicyDocument.objects.for_tenant(company.tenant).filter(kind=PolicyKind.CONDUCT).first()
    if document is None:
        document = actions.create_document(company.admin, kind=PolicyKind.CONDUCT, name="Conduct")
    return actions.draft_version(company.admin, document, **{**TEXT, **text})


def publish(company: Company, version: PolicyVersion, **kwargs: Any) -> PolicyVersion:
    assert company.admin is not None
    kwargs.setdefault("deadline_days", 14)
    return actions.publish_version(company.admin, version, **kwargs)


def published_conduct(company: Company, **kwargs: Any) -> PolicyVersion:
    return publish(company, conduct_draft(company), **kwargs)
