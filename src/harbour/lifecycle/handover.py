"""Who a leaver's successor is, and the directory's part of the handover: the leaver's roles.

The hooks are registered in ``core.handover`` (where every app, whatever its layer, registers what it hands
over); this module registers the "roles" hook there.

The successor is the leaver's manager unless HR or the administrator names someone; with neither, the
acting administrator.
"""

from __future__ import annotations

from django.db.models import Q

from harbour.core.handover import register_handover
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.directory.actions import grant_role, revoke_grant
from harbour.directory.models import BuiltinRole, Member, MemberState, RoleGrant

# Roles that carry rights over others: handed to the successor. Other grants simply end with the account.
HANDED_OVER = (BuiltinRole.ADMINISTRATOR, BuiltinRole.DEPARTMENT_MANAGER)


def successor_for(actor: Actor, leaver: Member, named: Member | None = None) -> Member | None:
    for candidate in (named, leaver.manager):
        if candidate is not None and candidate.pk != leaver.pk and candidate.state == MemberState.ACTIVE:
            return candidate
    return actor if isinstance(actor, Member) and actor.pk != leaver.pk else None


def _roles(actor: Actor, leaver: Member, successor: Member) -> list[str]:
    """Administrator and manager grants pass to the successor (same scope); the leaver's grants end."""
    live = RoleGrant.objects.for_tenant(leaver.tenant_id).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now())
    )
    handed: list[str] = []
    held = {(g.role_id, g.scope_id) for g in live.filter(member=successor)}
    leaving = list(live.filter(member=leaver).select_related("role", "scope"))
    for grant in leaving:
        if grant.role.builtin in HANDED_OVER and (grant.role_id, grant.scope_id) not in held:
            grant_role(
                actor, successor, grant.role, scope=grant.scope, reason=f"handed over from {leaver.name}"
            )
            handed.append(grant.role.name + (f" ({grant.scope.name})" if grant.scope else ""))
    for grant in leaving:
        revoke_grant(actor, grant, reason="leaver")
    return handed


register_handover("roles", _roles)
