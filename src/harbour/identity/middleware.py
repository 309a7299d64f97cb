"""Request → tenant: a signed-in account works as one of its memberships at a time, and only while its
sign-in still satisfies that company's security settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.core.databases import forget_placements
from harbour.core.models import Account
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.identity import login_sessions, policy
from harbour.identity.login import proof_of
from harbour.identity.models import LoginSession
from harbour.identity.sessions import choose_tenant, resolve_actor, usable_memberships
from harbour.security.queries import settings_of


def _signed_out(request: HttpRequest, message: str) -> None:
    logout(request)
    messages.warning(request, message)


def _login_session(request: HttpRequest, account: Account) -> LoginSession | None:
    """The listed session of this browser; a session from before the list existed is listed now."""
    current = login_sessions.current(request)
    if current is None:
        proof = proof_of(request)
        return login_sessions.start(
            request,
            account,
            tenant_id=None,
            method=proof.method,
            factors=sorted(proof.factors),
            lifetime=dt.timedelta(minutes=24 * 60),
        )
    if not current.is_live:
        reason = current.end_reason or _("the session expired")
        _signed_out(request, _("You were signed out: %(reason)s.") % {"reason": reason})
        return None
    login_sessions.touch(current, request)
    return current


def _admitted_member(request: HttpRequest, current: LoginSession) -> Member | None:
    """The member this request acts as, if the company still accepts how this browser signed in."""
    member = resolve_actor(request)
    if member is None:
        return None
    proof = proof_of(request)
    if member.sessions_revoked_at is not None and current.created_at < member.sessions_revoked_at:
        login_sessions.end(LoginSession.objects.filter(pk=current.pk), reason="ended by an administrator")
        _signed_out(
            request, _("You were signed out of %(company)s.") % {"company": member.tenant.display_name}
        )
        return None
    settings = settings_of(member.tenant_id)
    if now() - current.created_at > dt.timedelta(minutes=settings.session_lifetime_minutes):
        login_sessions.end(LoginSession.objects.filter(pk=current.pk), reason="lifetime reached")
        _signed_out(request, _("Your company signs people out after a while; please sign in again."))
        return None
    refused = policy.refusal(proof, member, settings, at_sign_in=False)
    if refused is None:
        return member
    account = request.user
    assert isinstance(account, Account)
    for other in usable_memberships(account):
        if other.pk != member.pk and policy.refusal(proof, other, at_sign_in=False) is None:
            choose_tenant(request, other)
            return other
    login_sessions.end(LoginSession.objects.filter(pk=current.pk), reason="security settings changed")
    _signed_out(request, _("You were signed out: %(reason)s.") % {"reason": refused.message})
    return None


class ActorMiddleware:
    """Sets ``request.actor`` (the Member acting, or None) and ``request.tenant``.

    The member's state and the company's security settings are read on every request, so suspending an
    account, ending a session or switching on a stricter setting takes effect at the next click.
    Times on the pages are shown in the company's time zone (Asia/Hong_Kong unless it says otherwise).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.tenant = None  # type: ignore[attr-defined]
        forget_placements()  # where each company's data lives is read afresh by every request
        account = request.user
        if isinstance(account, Account) and not request.path.startswith("/static/"):
            current = _login_session(request, account)
            member = _admitted_member(request, current) if current is not None else None
            if member is not None:
                request.actor = member  # type: ignore[attr-defined]
                request.tenant = member.tenant  # type: ignore[attr-defined]
                timezone.activate(ZoneInfo(member.tenant.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
