"""Signing in and out, and switching company: the writes behind the login pages."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.errors import Forbidden, Invalid, NotFound
from harbour.core.models import Account
from harbour.core.permissions import SystemActor
from harbour.directory.models import Member
from harbour.identity import throttle
from harbour.identity.sessions import choose_tenant, member_in, usable_memberships


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@transaction.atomic
def sign_in(request: HttpRequest, email: str, password: str) -> Account:
    """Check the password under the rate limit; on success start a session in a company."""
    email = (email or "").strip().lower()
    if not email or not password:
        raise Invalid(_("enter your work email and password"), field="email" if not email else "password")
    ip = _client_ip(request)
    if throttle.is_locked(email, ip):
        raise Forbidden(
            _("too many failed sign-in attempts; try again in %(minutes)d minutes")
            % {"minutes": throttle.lockout_minutes()},
            field="email",
        )
    account = authenticate(request, email=email, password=password)
    if not isinstance(account, Account):
        throttle.note_failure(email, ip)
        for member in Member.objects.across_tenants().filter(email=email).only("tenant_id")[:10]:
            record(SystemActor(member.tenant_id, "sign-in"), "login.failed", target=member, email=email)
        raise Invalid(_("the email or password is not right"), field="password")
    member = usable_memberships(account).first()
    if member is None and not account.is_operator:
        raise Forbidden(_("this login has no active work account"), field="email")
    throttle.clear(email)
    login(request, account, backend="harbour.identity.backends.AccountBackend")
    if member is not None:
        choose_tenant(request, member)
        record(member, "login.succeeded", target=member)
    return account


def sign_out(request: HttpRequest) -> None:
    member = getattr(request, "actor", None)
    if member is not None:
        with transaction.atomic():
            record(member, "logout", target=member)
    logout(request)


@transaction.atomic
def switch_tenant(request: HttpRequest, tenant_id: str) -> Member:
    account = request.user
    if not isinstance(account, Account):
        raise Forbidden(_("sign in first"))
    member = member_in(account, tenant_id)
    if member is None:
        raise NotFound(_("no such company"), field="tenant_id")
    choose_tenant(request, member)
    record(member, "session.tenant_switched", target=member)
    return member
