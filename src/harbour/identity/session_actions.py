"""Ending signed-in sessions and lifting lockouts: a member's own, or an administrator's for a member."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import NotFound
from harbour.core.models import Account
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.identity import login_sessions, throttle
from harbour.identity.models import LoginSession


def sessions_of_member(actor: Actor, member: Member) -> QuerySet[LoginSession]:
    """The sessions of a member's login started in (or switched into) the member's company."""
    if actor.actor_id != member.pk:
        require_permission(actor, "session.manage", member)
    return _in_company(member)


def _in_company(member: Member) -> QuerySet[LoginSession]:
    if member.account_id is None:  # invited, never signed in
        return LoginSession.objects.none()
    return LoginSession.objects.filter(account_id=member.account_id, tenant_id=member.tenant_id)


def own_sessions(account: Account) -> QuerySet[LoginSession]:
    return LoginSession.objects.filter(account=account)


@tenant_atomic
def end_own_session(member: Member, session_id: uuid.UUID | str) -> int:
    found = own_sessions(member.account).filter(pk=session_id) if member.account else None
    if not found or not found.exists():
        raise NotFound(_("no such session"), field="session_id")
    ended = login_sessions.end(found, reason="ended by its holder")
    record(member, "session.ended", target=member, sessions=ended, by="self")
    return ended


@tenant_atomic
def sign_out_everywhere(member: Member) -> int:
    """End every session of the member's own login, in every company (this browser's too)."""
    assert member.account is not None
    ended = login_sessions.end(own_sessions(member.account), reason="signed out everywhere")
    member.sessions_revoked_at = now()
    member.save(update_fields=["sessions_revoked_at", "updated_at"])
    record(member, "session.ended", target=member, sessions=ended, by="self", everywhere=True)
    return ended


@tenant_atomic
def sign_member_out_everywhere(actor: Actor, member: Member, *, reason: str = "") -> int:
    """An administrator ends a member's sessions in this company; any older session that later tries to
    act as this member is refused too (``Member.sessions_revoked_at``)."""
    require_permission(actor, "session.manage", member)
    ended = login_sessions.end(_in_company(member), reason="ended by an administrator")
    member.sessions_revoked_at = now()
    member.save(update_fields=["sessions_revoked_at", "updated_at"])
    record(actor, "session.ended", target=member, sessions=ended, by="administrator", reason=reason)
    return ended


def lockout_failures(member: Member) -> int:
    return throttle.failures_for(member.email)


@tenant_atomic
def unlock_sign_in(actor: Actor, member: Member) -> int:
    """Lift a lockout early (the person proved who they are another way)."""
    require_permission(actor, "session.manage", member)
    cleared = throttle.clear(member.email)
    record(actor, "login.unlocked", target=member, failures_cleared=cleared)
    return cleared
