"""Announcements of a test company, made on first use and found again by title."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.announcements import actions
from harbour.announcements.models import Announcement
from harbour.core.time import now
from tests.factories import Company

FOUR_PARTS: dict[str, Any] = {
    "title_zh": "只限公司裝置",
    "background_en": "Company data must stay on devices the company manages.",
    "background_zh": "公司資料必須保存在公司管理的裝置上。",
    "effective_date": dt.date(2027, 1, 1),
    "consequences_en": "Access from other devices is blocked and reported to IT compliance.",
    "consequences_zh": "其他裝置的存取會被封鎖並報告資訊科技合規部。",
    "it_contact_en": "IT Service Desk, ext. 2100, it@example.com",
    "it_contact_zh": "資訊科技服務台，內線 2100，it@example.com",
}


def complete(**overrides: Any) -> dict[str, Any]:
    return {**FOUR_PARTS, **overrides}


def _find(company: Company, title: str) -> Announcement | None:
    return Announcement.objects.for_tenant(company.tenant).filter(title=title).first()


def draft(company: Company, title: str = "Matrix draft", *, full: bool = False) -> Announcement:
    found = _find(company, title)
    if found is None:
        values = complete() if full else {}
        found = actions.create_announcement(company.system, title=title, **values)
    return found


def sent(company: Company, title: str = "Matrix sent") -> Announcement:
    found = _find(company, title)
    if found is None:
        found = actions.send_announcement(company.system, draft(company, title, full=True))
    return found


def scheduled(company: Company, title: str = "Matrix scheduled") -> Announcement:
    found = _find(company, title)
    if found is None or found.state != Announcement.State.SCHEDULED:
        found = actions.schedule_announcement(
            company.system, draft(company, title, full=True), at=now() + dt.timedelta(days=2)
        )
    return found
