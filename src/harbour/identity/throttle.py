"""Login lockout: refused passwords counted per address and per client IP inside a window.

Failures are rows in the registry database (not a per-process cache), so every worker agrees on the count;
an administrator (or the CLI) can lift a lockout early.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings

from harbour.core.time import now
from harbour.identity.models import LoginFailure


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _window_start() -> dt.datetime:
    return now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def failures_for(email: str, *, since: dt.datetime | None = None) -> int:
    since = since or _window_start()
    return LoginFailure.objects.filter(email_digest=email_digest(email), at__gte=since).count()


def is_locked(email: str, ip: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(email_digest=email_digest(email)).count() >= limit:
        return True
    # An address trying many accounts is allowed a few times more than one account is.
    return bool(ip) and recent.filter(ip=ip).count() >= limit * 4


def note_failure(email: str, ip: str | None) -> int:
    """Count one refused password; answers the address's failures inside the window, this one included."""
    LoginFailure.objects.create(email_digest=email_digest(email), ip=ip or None, at=now())
    return failures_for(email)


def clear(email: str) -> int:
    """Forget the address's failures (a successful sign-in, or an administrator's unlock). Reads first:
    most sign-ins have none, and a read costs less than a write transaction."""
    failures = LoginFailure.objects.filter(email_digest=email_digest(email))
    if not failures.exists():
        return 0
    deleted, _ = failures.delete()
    return deleted


def forget_old(before: dt.datetime) -> int:
    deleted, _ = LoginFailure.objects.filter(at__lt=before).delete()
    return deleted


def lockout_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
