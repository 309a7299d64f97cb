"""A member reports their own account as compromised: a security incident with the usual 24-hour
reporting clock is opened about them, and every other signed-in session of their login is ended at once
(the one they report from stays, so they can change their password)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.directory.models import Member
from harbour.identity import login_sessions
from harbour.identity.models import LoginSession
from harbour.security.incidents import report_own_account_compromised
from harbour.security.models import Incident

END_REASON = "reported compromised"


@dataclass(frozen=True)
class SelfReport:
    incident: Incident
    sessions_ended: int


def report_compromise(member: Member, *, description: str, request: HttpRequest | None = None) -> SelfReport:
    """Open the incident and end the member's other sessions in one transaction (all or nothing)."""
    keep = login_sessions.current(request) if request is not None else None
    with tenant_transaction(member.tenant_id):
        incident = report_own_account_compromised(member, description=description)
        ended = 0
        if member.account_id is not None:
            others = LoginSession.objects.filter(account_id=member.account_id, ended_at__isnull=True)
            if keep is not None:
                others = others.exclude(pk=keep.pk)
            ended = login_sessions.end(others, reason=END_REASON)
        if ended:
            record(member, "session.ended", target=member, sessions=ended, reason=END_REASON)
    return SelfReport(incident, ended)
