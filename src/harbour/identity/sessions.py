"""Which company a signed-in account is working in, and the actor that follows from it."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from harbour.core.models import Account
from harbour.core.time import now
from harbour.directory.models import Member, MemberState

SESSION_TENANT_KEY = "harbour_tenant"


def usable_memberships(account: Account) -> QuerySet[Member]:
    """Active, unexpired work accounts of this login, across the companies it belongs to."""
    return (
        Member.objects.across_tenants()
        .filter(account=account, state=MemberState.ACTIVE)
        .filter(Q(access_expires_at__isnull=True) | Q(access_expires_at__gt=now()))
        .select_related("tenant")
        .order_by("tenant__display_name")
    )


def member_in(account: Account, tenant_id: uuid.UUID | str | None) -> Member | None:
    if not tenant_id:
        return None
    try:
        return usable_memberships(account).filter(tenant_id=tenant_id).first()
    except (ValueError, ValidationError):  # a malformed id in the session is simply no membership
        return None


def choose_tenant(request: HttpRequest, member: Member) -> None:
    request.session[SESSION_TENANT_KEY] = str(member.tenant_id)


def resolve_actor(request: HttpRequest) -> Member | None:
    account = request.user
    if not isinstance(account, Account):
        return None
    member = member_in(account, request.session.get(SESSION_TENANT_KEY))
    if member is None:
        member = usable_memberships(account).first()
        if member is not None:
            choose_tenant(request, member)
        else:
            request.session.pop(SESSION_TENANT_KEY, None)
    return member
