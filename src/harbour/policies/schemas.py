"""API shapes of policies."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from harbour.directory.models import Member
from harbour.policies.models import (
    DEFAULT_DEADLINE_DAYS,
    Acknowledgement,
    PolicyDocument,
    PolicyVersion,
)
from harbour.policies.queries import Pending, Progress


class DocumentIn(Schema):
    kind: str  # conduct, monitoring or other
    name: str


class ProgressOut(Schema):
    in_scope: int
    acknowledged: int
    outstanding: int
    overdue: int

    @classmethod
    def of(cls, p: Progress) -> ProgressOut:
        return cls(
            in_scope=p.in_scope, acknowledged=p.acknowledged, outstanding=p.outstanding, overdue=p.overdue
        )


class DepartmentRef(Schema):
    id: str
    name: str


class VersionOut(Schema):
    id: uuid.UUID
    document_id: uuid.UUID
    number: int
    state: str
    title_en: str
    title_zh: str
    body_en: str
    body_zh: str
    change_summary: str
    published_at: dt.datetime | None
    deadline_days: int
    scope_all: bool
    scope_departments: list[DepartmentRef]
    superseded_at: dt.datetime | None
    progress: ProgressOut | None

    @classmethod
    def of(cls, v: PolicyVersion, progress: Progress | None = None) -> VersionOut:
        return cls(
            id=v.pk,
            document_id=v.document_id,
            number=v.number,
            state=v.state,
            title_en=v.title_en,
            title_zh=v.title_zh,
            body_en=v.body_en,
            body_zh=v.body_zh,
            change_summary=v.change_summary,
            published_at=v.published_at,
            deadline_days=v.deadline_days,
            scope_all=v.scope_all,
            scope_departments=[
                DepartmentRef(id=str(d.get("id", "")), name=str(d.get("name", "")))
                for d in v.scope_departments
            ],
            superseded_at=v.superseded_at,
            progress=ProgressOut.of(progress) if progress is not None else None,
        )


class DocumentOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    created_at: dt.datetime
    versions: list[VersionOut]

    @classmethod
    def of(cls, d: PolicyDocument, versions: list[VersionOut]) -> DocumentOut:
        return cls(id=d.pk, kind=d.kind, name=d.name, created_at=d.created_at, versions=versions)


class VersionIn(Schema):
    title_en: str | None = None
    title_zh: str | None = None
    body_en: str | None = None
    body_zh: str | None = None
    change_summary: str | None = None


class PublishIn(Schema):
    deadline_days: int = DEFAULT_DEADLINE_DAYS
    scope_all: bool = True
    department_ids: list[str] = []


class AcknowledgementOut(Schema):
    id: uuid.UUID
    version_id: uuid.UUID
    member_id: uuid.UUID | None
    member_name: str
    member_email: str
    acknowledged_at: dt.datetime
    ip_address: str | None
    user_agent: str

    @classmethod
    def of(cls, a: Acknowledgement) -> AcknowledgementOut:
        return cls(
            id=a.pk,
            version_id=a.version_id,
            member_id=a.member_id,
            member_name=a.member_name,
            member_email=a.member_email,
            acknowledged_at=a.acknowledged_at,
            ip_address=a.ip_address,
            user_agent=a.user_agent,
        )


class OutstandingOut(Schema):
    member_id: uuid.UUID
    name: str
    email: str
    state: str
    joined_scope_at: dt.datetime
    deadline: dt.datetime
    overdue: bool

    @classmethod
    def of(cls, m: Member, deadline: dt.datetime, overdue: bool) -> OutstandingOut:
        return cls(
            member_id=m.pk,
            name=m.name,
            email=m.email,
            state=m.state,
            joined_scope_at=m.joined_at,  # type: ignore[attr-defined]
            deadline=deadline,
            overdue=overdue,
        )


class PendingOut(Schema):
    version_id: uuid.UUID
    document_id: uuid.UUID
    kind: str
    number: int
    title: str
    change_summary: str
    assigned_at: dt.datetime
    deadline: dt.datetime
    overdue: bool

    @classmethod
    def of(cls, p: Pending, language: str) -> PendingOut:
        v = p.version
        return cls(
            version_id=v.pk,
            document_id=v.document_id,
            kind=v.document.kind,
            number=v.number,
            title=v.title_in(language),
            change_summary=v.change_summary,
            assigned_at=p.assigned_at,
            deadline=p.deadline,
            overdue=p.is_overdue,
        )
