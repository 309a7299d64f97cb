"""API authentication: a personal bearer token, or the console session (with its CSRF token)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from harbour.core.entitlements import Feature, require
from harbour.identity.tokens import member_for_token


class PersonalToken(HttpBearer):
    """``Authorization: Bearer hbr_…`` — the acting member is the token's owner while it is active."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        member = member_for_token(token)
        if member is None:
            return None
        # A company whose plan has no API access is refused with a problem naming the plan that has it.
        require(member.tenant, Feature.API_ACCESS)
        request.actor = member  # type: ignore[attr-defined]
        request.tenant = member.tenant  # type: ignore[attr-defined]
        return member


class ConsoleSession(APIKeyCookie):
    """The signed-in console session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or "Authorization" in request.headers:
            return None
        return getattr(request, "actor", None)


AUTH = [PersonalToken(), ConsoleSession()]
