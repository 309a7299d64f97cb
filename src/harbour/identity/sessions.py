"""Which company a signed-in account is working in, and the actor that follows from it."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from harbour.core.databases import database_for
from harbour.core.models import Account, Tenant
from harbour.core.time import now
from harbour.directory.models import Member, MemberState

SESSION_TENANT_KEY = "harbour_tenant"


def _usable(qs: QuerySet[Member], account: Account) -> QuerySet[Member]:
    return qs.filter(account_id=account.pk, state=MemberState.ACTIVE).filter(
        Q(access_expires_at__isnull=True) | Q(access_expires_at__gt=now())
    )


def _with_tenants(members: list[Member]) -> list[Member]:
    """Attach each member's company from the registry (the default database), dropping leftovers."""
    tenants = {t.pk: t for t in Tenant.objects.filter(pk__in={m.tenant_id for m in members})}
    kept = []
    for member in members:
        tenant = tenants.get(member.tenant_id)
        if tenant is not None and database_for(tenant) == member._state.db:
            member.tenant = tenant
            kept.append(member)
    return kept


def usable_memberships(account: Account) -> list[Member]:
    """Active, unexpired work accounts of this login, across the companies (and databases) it belongs to,
    by company name."""
    found = [m for qs in Member.objects.in_every_database() for m in _usable(qs, account)]
    return sorted(_with_tenants(found), key=lambda m: (m.tenant.display_name, str(m.tenant_id)))


def member_in(account: Account, tenant_id: uuid.UUID | str | None) -> Member | None:
    if not tenant_id:
        return None
    try:
        tenant = Tenant.objects.filter(pk=tenant_id).first()
    except (ValueError, ValidationError):  # a malformed id in the session is simply no membership
        return None
    if tenant is None:
        return None
    member = _usable(Member.objects.for_tenant(tenant), account).first()
    if member is not None:
        member.tenant = tenant
    return member


def choose_tenant(request: HttpRequest, member: Member) -> None:
    request.session[SESSION_TENANT_KEY] = str(member.tenant_id)


def resolve_actor(request: HttpRequest) -> Member | None:
    account = request.user
    if not isinstance(account, Account):
        return None
    member = member_in(account, request.session.get(SESSION_TENANT_KEY))
    if member is None:
        member = next(iter(usable_memberships(account)), None)
        if member is not None:
            choose_tenant(request, member)
        else:
            request.session.pop(SESSION_TENANT_KEY, None)
    return member
