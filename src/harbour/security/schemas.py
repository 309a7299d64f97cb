"""API shapes of security settings, domains and the baseline report."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from harbour.security.baseline import Report, report_rows
from harbour.security.domains import DomainStatus
from harbour.security.models import BaselineException, SecuritySettings


class SettingsOut(Schema):
    sso_only: bool
    mfa_for_admins: bool
    domain_binding: bool
    company_devices_only: bool
    allowed_networks: list[str]
    refuse_outside_networks: bool
    working_hours_start: dt.time
    working_hours_end: dt.time
    working_days: list[int]
    session_lifetime_minutes: int
    external_auto_join: bool
    temporary_max_days: int
    break_glass_member_id: uuid.UUID | None
    audit_retention_days: int

    @classmethod
    def of(cls, settings: SecuritySettings, retention_days: int) -> SettingsOut:
        values: dict[str, Any] = {
            n: getattr(settings, n) for n in settings.FIELDS if n != "break_glass_member"
        }
        return cls(
            **values,
            break_glass_member_id=settings.break_glass_member_id,
            audit_retention_days=retention_days,
        )


class SettingsPatch(Schema):
    """Only the fields sent are changed; all of them or none."""

    sso_only: bool | None = None
    mfa_for_admins: bool | None = None
    domain_binding: bool | None = None
    company_devices_only: bool | None = None
    allowed_networks: list[str] | None = None
    refuse_outside_networks: bool | None = None
    working_hours_start: str | None = Field(None, description="HH:MM, company time")
    working_hours_end: str | None = Field(None, description="HH:MM, company time")
    working_days: list[int] | None = Field(None, description="0 = Monday … 6 = Sunday")
    session_lifetime_minutes: int | None = None
    external_auto_join: bool | None = None
    temporary_max_days: int | None = None
    break_glass_member_id: uuid.UUID | None = None
    audit_retention_days: int | None = None


class DomainOut(Schema):
    name: str
    verified: bool
    method: str
    verified_at: dt.datetime | None
    txt_record_name: str | None
    txt_record_value: str | None
    last_checked_at: dt.datetime | None
    last_check_result: str

    @classmethod
    def of(cls, status: DomainStatus) -> DomainOut:
        row = status.record
        pending = row is not None and not row.is_verified
        return cls(
            name=status.name,
            verified=status.verified,
            method=row.method if row else "",
            verified_at=row.verified_at if row else None,
            txt_record_name=f"_harbour-verification.{status.name}" if pending else None,
            txt_record_value=row.txt_value if row is not None and pending else None,
            last_checked_at=row.last_checked_at if row else None,
            last_check_result=row.last_check_result if row else "",
        )


class DomainIn(Schema):
    name: str = Field(..., max_length=253)


class OverrideIn(Schema):
    reason: str = Field(..., max_length=500)


class OutsideMemberOut(Schema):
    id: uuid.UUID
    name: str
    email: str
    state: str


class BaselineRuleOut(Schema):
    rule_id: str
    level: str
    title: str
    result: str
    actual: str
    expected: str
    note: str
    exception: str
    exception_rationale: str
    exception_expires_at: str


class BaselineOut(Schema):
    score: int
    tally: dict[str, int]
    generated_at: dt.datetime
    rules: list[BaselineRuleOut]

    @classmethod
    def of(cls, report: Report, at: dt.datetime) -> BaselineOut:
        return cls(
            score=report.score,
            tally=report.tally(),
            generated_at=at,
            rules=[BaselineRuleOut(**row) for row in report_rows(report)],
        )


class ExceptionIn(Schema):
    rule_id: str = Field(..., max_length=40)
    rationale: str = Field(..., max_length=2000)
    expires_at: dt.datetime


class ExceptionOut(Schema):
    id: uuid.UUID
    rule_id: str
    rationale: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    granted_by_id: uuid.UUID | None

    @classmethod
    def of(cls, e: BaselineException) -> ExceptionOut:
        return cls(
            id=e.pk,
            rule_id=e.rule_id,
            rationale=e.rationale,
            expires_at=e.expires_at,
            revoked_at=e.revoked_at,
            granted_by_id=e.granted_by_id,
        )
