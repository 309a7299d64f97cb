"""Signing in and out, and switching company: the writes behind the login pages.

A sign-in runs in steps. The first proves who the person is (a password, the company's identity
provider, or the break-glass path); ``begin`` then picks the work account and keeps a pending sign-in in
the session; each second factor the company asks for (``policy.required_factors``) is a page that calls
``satisfy``; ``complete`` starts the real session. Nothing is signed in until every step passed.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Forbidden, Invalid, NotFound
from harbour.core.models import Account
from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.directory.models import Member
from harbour.identity import login_sessions, policy, throttle
from harbour.identity.models import LoginMethod, LoginSession
from harbour.identity.sessions import choose_tenant, member_in, usable_memberships
from harbour.identity.signals import sign_in_refused, signed_in
from harbour.security.queries import settings_of

BROWSER_COOKIE = "harbour_browser"  # a long-lived random id per browser: "new device" detection
PENDING_KEY = "harbour_pending_sign_in"
PROOF_KEY = "harbour_proof"
PENDING_SECONDS = 10 * 60
BACKEND = "harbour.identity.backends.AccountBackend"

# factor → URL name of the page that asks for it (the pages register themselves).
STEP_PAGES: dict[str, str] = {}


def register_step(factor: str, url_name: str) -> None:
    STEP_PAGES[factor] = url_name


@dataclass
class Pending:
    account_id: str
    member_id: str | None
    tenant_id: str | None
    method: str
    factors: list[str] = field(default_factory=list)
    sso_tenant_id: str | None = None
    sso_connection: str | None = None
    device_credential: str | None = None
    next_url: str = "/"
    started: float = 0.0
    fresh_key: bool = False  # the session key was renewed when a second step was first asked

    def proof(self, ip: str | None) -> policy.Proof:
        return policy.Proof(
            method=self.method, factors=frozenset(self.factors), sso_tenant_id=self.sso_tenant_id, ip=ip
        )


def _members_with_email(email: str) -> list[Member]:
    """The work accounts an address names, in every company (a failed sign-in is logged in each)."""
    found = [m for qs in Member.objects.in_every_database() for m in qs.filter(email=email)[:10]]
    return home_rows(found)[:10]


def _refuse_password(request: HttpRequest, email: str) -> None:
    ip = login_sessions.client_ip(request)
    failures = throttle.note_failure(email, ip)
    named = _members_with_email(email)
    for member in named:
        with tenant_transaction(member.tenant_id):
            record(SystemActor(member.tenant_id, "sign-in"), "login.failed", target=member, email=email)
    sign_in_refused.send(None, request=request, email=email, ip=ip, failures=failures, members=named)


def sign_in(
    request: HttpRequest, email: str, password: str, *, break_glass: bool = False, next_url: str = "/"
) -> str:
    """Check the password under the lockout; answers where the browser goes next (a second step, or in)."""
    email = (email or "").strip().lower()
    if not email or not password:
        raise Invalid(_("enter your work email and password"), field="email" if not email else "password")
    ip = login_sessions.client_ip(request)
    if throttle.is_locked(email, ip):
        raise Forbidden(lockout_message(), field="email")
    account = authenticate(request, email=email, password=password)
    if not isinstance(account, Account):
        _refuse_password(request, email)
        raise Invalid(_("the email or password is not right"), field="password")
    throttle.clear(email)
    method = LoginMethod.BREAK_GLASS if break_glass else LoginMethod.PASSWORD
    return begin(request, account, method=method, next_url=next_url)


def _admitted(account: Account, proof: policy.Proof) -> tuple[list[Member], policy.Refusal | None]:
    """The account's work accounts that accept this kind of sign-in (perhaps after second steps), and
    the first refusal met, to explain a sign-in no company accepts."""
    admitted: list[Member] = []
    first_refusal: policy.Refusal | None = None
    for member in usable_memberships(account):
        refused = policy.refusal(proof, member)
        if refused is None or refused.code == "factors":
            admitted.append(member)
        elif first_refusal is None:
            first_refusal = refused
    return admitted, first_refusal


def begin(
    request: HttpRequest,
    account: Account,
    *,
    method: str,
    sso_tenant_id: uuid.UUID | None = None,
    sso_connection: uuid.UUID | None = None,
    next_url: str = "/",
) -> str:
    """The person is known: pick the work account this sign-in may open and start the second steps."""
    ip = login_sessions.client_ip(request)
    proof = policy.Proof(method=method, sso_tenant_id=str(sso_tenant_id) if sso_tenant_id else None, ip=ip)
    admitted, refused = _admitted(account, proof)
    if not admitted and not (account.is_operator and method == LoginMethod.PASSWORD):
        if refused is not None:
            raise Forbidden(refused.message, field="email")
        raise Forbidden(_("this login has no active work account"), field="email")
    member = next((m for m in admitted if sso_tenant_id and m.tenant_id == sso_tenant_id), None)
    member = member or (admitted[0] if admitted else None)
    pending = Pending(
        account_id=str(account.pk),
        member_id=str(member.pk) if member else None,
        tenant_id=str(member.tenant_id) if member else None,
        method=method,
        sso_tenant_id=proof.sso_tenant_id,
        sso_connection=str(sso_connection) if sso_connection else None,
        next_url=next_url,
        started=time.time(),
    )
    request.session[PENDING_KEY] = pending.__dict__
    setattr(request, _OBJECTS, (account, member))  # what the next steps of this request would reload
    return next_step(request)


def note_step_failure(request: HttpRequest, member: Member, step: str) -> None:
    """A wrong second step (a code, a device answer) counts towards the sign-in lockout like a wrong
    password, is logged, and is seen by risk detection."""
    email = member.account.email if member.account else member.email
    ip = login_sessions.client_ip(request)
    failures = throttle.note_failure(email, ip)
    with tenant_transaction(member.tenant_id):
        record(
            SystemActor(member.tenant_id, "sign-in"), "login.failed", target=member, email=email, step=step
        )
    sign_in_refused.send(None, request=request, email=email, ip=ip, failures=failures, members=[member])


def step_locked(request: HttpRequest, member: Member) -> bool:
    email = member.account.email if member.account else member.email
    return throttle.is_locked(email, login_sessions.client_ip(request))


def lockout_message() -> str:
    return _("too many failed sign-in attempts; try again in %(minutes)d minutes") % {
        "minutes": throttle.lockout_minutes()
    }


def pending_sign_in(request: HttpRequest) -> Pending | None:
    data = request.session.get(PENDING_KEY)
    if not data:
        return None
    pending = Pending(**data)
    if time.time() - pending.started > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


_OBJECTS = "_harbour_sign_in_objects"


def pending_member(pending: Pending, request: HttpRequest | None = None) -> Member | None:
    if pending.member_id is None or pending.tenant_id is None:
        return None
    known = getattr(request, _OBJECTS, None)
    if known is not None and known[1] is not None and str(known[1].pk) == pending.member_id:
        return known[1]
    account = Account.objects.filter(pk=pending.account_id, is_active=True).first()
    return member_in(account, pending.tenant_id) if account else None


def missing_steps(request: HttpRequest, pending: Pending) -> frozenset[str]:
    member = pending_member(pending, request)
    if member is None:
        return frozenset()
    refused = policy.refusal(pending.proof(login_sessions.client_ip(request)), member)
    if refused is None:
        return frozenset()
    if refused.code != "factors":
        raise Forbidden(refused.message)
    return refused.missing


def satisfy(request: HttpRequest, factor: str, **detail: Any) -> str:
    """A second step passed (``detail`` may name the device credential); answers where to go next."""
    pending = pending_sign_in(request)
    if pending is None:
        raise Forbidden(_("the sign-in took too long; start again"))
    if factor == policy.FACTOR_TOTP_ENROLMENT:
        factor = policy.FACTOR_TOTP  # setting up the authenticator proves it at once
    if factor not in pending.factors:
        pending.factors.append(factor)
    if detail.get("device_credential"):
        pending.device_credential = str(detail["device_credential"])
    request.session[PENDING_KEY] = pending.__dict__
    return next_step(request)


# Steps are asked in this order (enrolment before the code it produces).
_STEP_ORDER = (policy.FACTOR_TOTP_ENROLMENT, policy.FACTOR_TOTP, policy.FACTOR_DEVICE)


def next_step(request: HttpRequest) -> str:
    pending = pending_sign_in(request)
    if pending is None:
        raise Forbidden(_("the sign-in took too long; start again"))
    missing = missing_steps(request, pending)
    for factor in _STEP_ORDER:
        if factor in missing:
            if factor not in STEP_PAGES:
                raise Forbidden(_("this sign-in needs a step Harbour cannot offer here"))
            if not pending.fresh_key:  # a half-done sign-in is never kept under a key someone else chose
                request.session.cycle_key()
                pending.fresh_key = True
                request.session[PENDING_KEY] = pending.__dict__
            return reverse(STEP_PAGES[factor])
    complete(request, pending)
    return pending.next_url


def complete(request: HttpRequest, pending: Pending) -> Account:
    """Every step passed: start the session, list it, log it, and let risk detection look at it."""
    known = getattr(request, _OBJECTS, None)
    account = known[0] if known is not None else Account.objects.get(pk=pending.account_id)
    member = pending_member(pending, request)
    request.session.pop(PENDING_KEY, None)
    # One transaction (one commit) for the session row, the last sign-in time, the listed session and the
    # log entry; risk detection runs after it and writes its own.
    with transaction.atomic():
        login_session, proof = _start_session(request, account, member, pending)
    if member is not None:
        signed_in.send(None, request=request, member=member, login_session=login_session, proof=proof)
    return account


def _start_session(
    request: HttpRequest, account: Account, member: Member | None, pending: Pending
) -> tuple[LoginSession, policy.Proof]:
    login(request, account, backend=BACKEND)
    ip = login_sessions.client_ip(request)
    lifetime_minutes = (
        settings_of(member.tenant_id).session_lifetime_minutes
        if member is not None
        else settings.SESSION_COOKIE_AGE // 60
    )
    login_session = login_sessions.start(
        request,
        account,
        tenant_id=member.tenant_id if member else None,
        method=pending.method,
        factors=sorted(pending.factors),
        lifetime=dt.timedelta(minutes=lifetime_minutes),
        sso_connection=uuid.UUID(pending.sso_connection) if pending.sso_connection else None,
        device_credential=uuid.UUID(pending.device_credential) if pending.device_credential else None,
        browser_id=request.COOKIES.get(BROWSER_COOKIE, "")[:64],
    )
    proof = policy.Proof(
        method=pending.method,
        factors=frozenset(pending.factors),
        sso_tenant_id=pending.sso_tenant_id,
        ip=ip,
        at=time.time(),
        login_session_id=str(login_session.pk),
    )
    request.session[PROOF_KEY] = proof.to_session()
    if member is not None:
        choose_tenant(request, member)
        with tenant_transaction(member.tenant_id):
            record(
                member,
                "login.break_glass" if pending.method == LoginMethod.BREAK_GLASS else "login.succeeded",
                target=member,
                method=pending.method,
                factors=sorted(pending.factors),
                ip=ip,
            )
    return login_session, proof


def proof_of(request: HttpRequest) -> policy.Proof:
    return policy.Proof.from_session(request.session.get(PROOF_KEY))


def sign_out(request: HttpRequest) -> None:
    member = getattr(request, "actor", None)
    current = login_sessions.current(request)
    if current is not None:
        login_sessions.end(type(current).objects.filter(pk=current.pk), reason="signed out")
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
    refused = policy.refusal(proof_of(request), member, at_sign_in=False)
    if refused is not None:
        raise Forbidden(
            _("%(company)s asks for a different sign-in: %(reason)s. Sign out and sign in again.")
            % {"company": member.tenant.display_name, "reason": refused.message},
            field="tenant_id",
        )
    choose_tenant(request, member)
    current = login_sessions.current(request)
    if current is not None:  # listed (and ended by administrators) under the company it now works in
        type(current).objects.filter(pk=current.pk).update(tenant_id=member.tenant_id)
    with tenant_transaction(member.tenant_id):
        record(member, "session.tenant_switched", target=member)
    return member
