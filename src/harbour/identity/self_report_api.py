"""REST API v1: a member reports their own account as compromised (any member may)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from harbour.directory.models import Member
from harbour.identity.self_report import report_compromise

router = Router(tags=["security incidents"])


class SelfReportIn(Schema):
    description: str = Field(min_length=1, max_length=5000, description="what happened, as far as you know")


class SelfReportOut(Schema):
    incident_id: uuid.UUID
    reference: str
    report_due_at: dt.datetime
    sessions_ended: int = Field(description="your other signed-in sessions, ended at once")


@router.post(
    "/me/report-compromise",
    response={201: SelfReportOut},
    summary="Report your own account as compromised (opens a security incident)",
)
def report_own_compromise(request: HttpRequest, body: SelfReportIn) -> tuple[int, SelfReportOut]:
    member: Member = request.actor  # type: ignore[attr-defined]
    done = report_compromise(member, description=body.description, request=request)
    return 201, SelfReportOut(
        incident_id=done.incident.pk,
        reference=done.incident.reference,
        report_due_at=done.incident.report_due_at,
        sessions_ended=done.sessions_ended,
    )
