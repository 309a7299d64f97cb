"""Signing in and out, and switching company: the writes behind the login pages."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Forbidden, Invalid, NotFound
from harbour.core.models import Account
from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.directory.models import Member
from harbour.identity import throttle
from harbour.identity.sessions import choose_tenant, member_in, usable_memberships


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _members_with_email(email: str) -> list[Member]:
    """The work accounts an address names, in every company (a failed sign-in is logged in each)."""
    found = [m for qs in Member.objects.in_every_database() for m in qs.filter(email=email)[:10]]
    return home_rows(found)[:10]


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
        for named in _members_with_email(email):
            with tenant_transaction(named.tenant_id):
                record(SystemActor(named.tenant_id, "sign-in"), "login.failed", target=named, email=email)
        raise Invalid(_("the email or password is not right"), field="password")
    member = next(iter(usable_memberships(account)), None)
    if member is None and not account.is_operator:
        raise Forbidden(_("this login has no active work account"), field="email")
    throttle.clear(email)
    login(request, account, backend="harbour.identity.backends.AccountBackend")
    if member is not None:
        choose_tenant(request, member)
        with tenant_transaction(member.tenant_id):
            record(member, "login.succeeded", target=member)
    return account


def sign_out(request: HttpRequest) -> None:
    member = getattr(request, "actor", None)
    if member is not None:
        with tenant_transaction(member.tenant_id):
            record(member, "logout", target=member)
    logout(request)


def switch_tenant(request: HttpRequest, tenant_id: str) -> Member:
    account = request.user
    if not isinstance(account, Account):
        raise Forbidden(_("sign in first"))
    member = member_in(account, tenant_id)
    if member is None:
        raise NotFound(_("no such company"), field="tenant_id")
    choose_tenant(request, member)
    with tenant_transaction(member.tenant_id):
        record(member, "session.tenant_switched", target=member)
    return member
