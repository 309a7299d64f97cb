"""API shapes of announcements."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from harbour.announcements.models import Announcement, Delivery
from harbour.announcements.queries import ReadStats


class AnnouncementIn(Schema):
    """A draft may leave any part empty except the English title; sending needs them all."""

    title: str
    title_zh: str = ""
    background_en: str = ""
    background_zh: str = ""
    effective_date: dt.date | None = None
    consequences_en: str = ""
    consequences_zh: str = ""
    it_contact_en: str = ""
    it_contact_zh: str = ""
    audience: str = "all"  # "all" or "departments"
    department_ids: list[str] = []


class AnnouncementPatch(Schema):
    """Only the fields given change."""

    title: str | None = None
    title_zh: str | None = None
    background_en: str | None = None
    background_zh: str | None = None
    effective_date: dt.date | None = None
    consequences_en: str | None = None
    consequences_zh: str | None = None
    it_contact_en: str | None = None
    it_contact_zh: str | None = None
    audience: str | None = None
    department_ids: list[str] | None = None


class ScheduleIn(Schema):
    scheduled_for: dt.datetime  # with its offset, e.g. 2027-01-01T09:00:00+08:00


class DepartmentRef(Schema):
    id: str
    name: str


class AnnouncementOut(Schema):
    id: uuid.UUID
    title: str
    title_zh: str
    background_en: str
    background_zh: str
    effective_date: dt.date | None
    consequences_en: str
    consequences_zh: str
    it_contact_en: str
    it_contact_zh: str
    audience: str
    departments: list[DepartmentRef]
    state: str
    missing: list[str]
    scheduled_for: dt.datetime | None
    sent_at: dt.datetime | None
    recipient_count: int
    created_at: dt.datetime

    @staticmethod
    def of(a: Announcement) -> AnnouncementOut:
        return AnnouncementOut(
            id=a.pk,
            title=a.title,
            title_zh=a.title_zh,
            background_en=a.background_en,
            background_zh=a.background_zh,
            effective_date=a.effective_date,
            consequences_en=a.consequences_en,
            consequences_zh=a.consequences_zh,
            it_contact_en=a.it_contact_en,
            it_contact_zh=a.it_contact_zh,
            audience=a.audience,
            departments=[DepartmentRef(id=d["id"], name=d["name"]) for d in a.departments],
            state=a.state,
            missing=a.missing_parts(),
            scheduled_for=a.scheduled_for,
            sent_at=a.sent_at,
            recipient_count=a.recipient_count,
            created_at=a.created_at,
        )


class ReceiptOut(Schema):
    member_id: uuid.UUID | None
    name: str
    email: str
    department: str
    language: str
    delivered_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def of(d: Delivery) -> ReceiptOut:
        return ReceiptOut(
            member_id=d.member_id,
            name=d.member_name,
            email=d.member_email,
            department=d.department_name,
            language=d.language,
            delivered_at=d.delivered_at,
            read_at=d.read_at,
        )


class DepartmentStatsOut(Schema):
    department: str
    recipients: int
    read: int
    unread: int


class StatsOut(Schema):
    recipients: int
    read: int
    unread: int
    percent_read: int
    departments: list[DepartmentStatsOut]

    @staticmethod
    def of(stats: ReadStats) -> StatsOut:
        return StatsOut(
            recipients=stats.total,
            read=stats.read,
            unread=stats.unread,
            percent_read=stats.percent_read,
            departments=[
                DepartmentStatsOut(department=d.name, recipients=d.total, read=d.read, unread=d.unread)
                for d in stats.departments
            ],
        )


class InboxItemOut(Schema):
    """One announcement the caller received, in the language they read announcements in (English and
    Chinese side by side when they never chose)."""

    id: uuid.UUID
    language: str
    title: str
    title_zh: str
    background_en: str
    background_zh: str
    effective_date: dt.date | None
    consequences_en: str
    consequences_zh: str
    it_contact_en: str
    it_contact_zh: str
    delivered_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def of(d: Delivery) -> InboxItemOut:
        a = d.announcement
        return InboxItemOut(
            id=a.pk,
            language=d.language,
            title=a.title,
            title_zh=a.title_zh,
            background_en=a.background_en,
            background_zh=a.background_zh,
            effective_date=a.effective_date,
            consequences_en=a.consequences_en,
            consequences_zh=a.consequences_zh,
            it_contact_en=a.it_contact_en,
            it_contact_zh=a.it_contact_zh,
            delivered_at=d.delivered_at,
            read_at=d.read_at,
        )


class LanguageIn(Schema):
    language: str  # "en", "zh-hant" or "both"


class LanguageOut(Schema):
    language: str
