"""Login rate limiting: failed attempts are counted per address and per client IP in a window."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, ip: str | None) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:email:{digest}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(email: str, ip: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    email_key, *ip_key = _keys(email, ip)
    if (cache.get(email_key) or 0) >= limit:
        return True
    # An address trying many accounts is allowed a few times more than one account is.
    return bool(ip_key) and (cache.get(ip_key[0]) or 0) >= limit * 4


def note_failure(email: str, ip: str | None) -> None:
    for key in _keys(email, ip):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear(email: str) -> None:
    cache.delete(_keys(email, None)[0])


def lockout_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
