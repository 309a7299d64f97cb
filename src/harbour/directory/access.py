"""Turn a member's live role grants into the AccessSet that ``core.permissions.can`` evaluates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from harbour.core.permissions import AccessSet
from harbour.core.time import now

if TYPE_CHECKING:
    from harbour.directory.models import Member


def access_for(member: Member) -> AccessSet:
    """One query. Only members who may sign in hold any permission; expired grants are ignored."""
    from harbour.directory.models import RoleGrant

    if not member.can_sign_in:
        return AccessSet()
    rows = (
        RoleGrant.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
        .values_list("role__permissions", "scope__path", "role__requires_scope")
    )
    entries: list[tuple[str, str | None]] = []
    for permissions, scope_path, requires_scope in rows:
        if requires_scope and scope_path is None:
            continue  # a scoped role granted without a scope gives nothing rather than everything
        entries.extend((code, scope_path) for code in permissions)
    return AccessSet.build(entries)
