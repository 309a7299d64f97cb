"""Invariants shared by member and role actions."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from harbour.core.errors import Conflict
from harbour.core.time import now
from harbour.directory.models import BuiltinRole, Member, MemberState, RoleGrant


def ensure_other_administrator(member: Member, *, excluding_grant: RoleGrant | None = None) -> None:
    """Refuse a change that would leave the company without an active tenant-wide Administrator."""
    grants = (
        RoleGrant.objects.for_tenant(member.tenant_id)
        .filter(role__builtin=BuiltinRole.ADMINISTRATOR, scope__isnull=True, member__state=MemberState.ACTIVE)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
    )
    if excluding_grant is not None:
        if excluding_grant.role.builtin != BuiltinRole.ADMINISTRATOR or excluding_grant.scope_id is not None:
            return
        grants = grants.exclude(pk=excluding_grant.pk)
    else:
        if not grants.filter(member=member).exists():
            return
        grants = grants.exclude(member=member)
    if not grants.exists():
        raise Conflict(_("this would leave the company without an active administrator"), field="member_id")
