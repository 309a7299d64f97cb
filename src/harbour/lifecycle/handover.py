"""What a leaver hands to their successor. Each app registers a hook for what it owns (the directory's
roles here; later the drive's files, chat's groups); a hook answers a short summary for the record.

The successor is the leaver's manager unless HR or the administrator names someone; with neither, the
acting administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.directory.actions import grant_role, revoke_grant
from harbour.directory.models import BuiltinRole, Member, MemberState, RoleGrant

HandoverHook = Callable[[Actor, Member, Member], Any]
_HOOKS: dict[str, HandoverHook] = {}

# Roles that carry rights over others: handed to the successor. Other grants simply end with the account.
HANDED_OVER = (BuiltinRole.ADMINISTRATOR, BuiltinRole.DEPARTMENT_MANAGER)


def register_handover(name: str, hook: HandoverHook) -> None:
    _HOOKS[name] = hook


def successor_for(actor: Actor, leaver: Member, named: Member | None = None) -> Member | None:
    for candidate in (named, leaver.manager):
        if candidate is not None and candidate.pk != leaver.pk and candidate.state == MemberState.ACTIVE:
            return candidate
    return actor if isinstance(actor, Member) and actor.pk != leaver.pk else None


def hand_over(actor: Actor, leaver: Member, successor: Member | None) -> dict[str, Any]:
    """Run every hook (inside the leaver action's transaction)."""
    if successor is None:
        return {}
    return {name: hook(actor, leaver, successor) for name, hook in _HOOKS.items()}


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
