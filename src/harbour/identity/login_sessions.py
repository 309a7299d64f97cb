"""Signed-in sessions as people see them: listed, ended one by one or everywhere at once.

Each Django session that passed the sign-in gate has a LoginSession row (found by a hash of the session
key). The row is checked on every request, so ending it signs that browser out at its next click.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from harbour.core.models import Account
from harbour.core.time import now
from harbour.identity.models import LoginSession

TOUCH_EVERY = dt.timedelta(minutes=5)


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def start(
    request: HttpRequest,
    account: Account,
    *,
    tenant_id: uuid.UUID | None,
    method: str,
    factors: list[str],
    lifetime: dt.timedelta,
    sso_connection: uuid.UUID | None = None,
    device_credential: uuid.UUID | None = None,
    browser_id: str = "",
) -> LoginSession:
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    assert key is not None
    at = now()
    return LoginSession.objects.create(
        account=account,
        tenant_id=tenant_id,
        session_key_hash=key_hash(key),
        method=method,
        factors=factors,
        sso_connection=sso_connection,
        device_credential=device_credential,
        browser_id=browser_id,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
        last_seen_at=at,
        expires_at=at + lifetime,
    )


def current(request: HttpRequest) -> LoginSession | None:
    key = request.session.session_key
    if not key:
        return None
    return LoginSession.objects.filter(session_key_hash=key_hash(key)).first()


def touch(login_session: LoginSession, request: HttpRequest) -> None:
    at = now()
    if at - login_session.last_seen_at >= TOUCH_EVERY:
        LoginSession.objects.filter(pk=login_session.pk).update(last_seen_at=at, ip=client_ip(request))


def end(sessions: QuerySet[LoginSession], *, reason: str) -> int:
    """End these sessions. The rows are kept for the record; the browser holding one is signed out at its
    next request (the gate in the middleware finds the row ended and flushes the Django session)."""
    return sessions.filter(ended_at__isnull=True).update(ended_at=now(), end_reason=reason)
