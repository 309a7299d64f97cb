"""The one permission entry point: ``can(actor, action, target)``.

Roles hold permissions as data (``directory.Role.permissions``): a list of action codes such as
``member.suspend``. A grant of a role may be scoped to a department subtree; an entry written
``own:<action>`` applies only to objects the actor owns (self-service). The directory turns a member's
live grants into an :class:`AccessSet`; this module only evaluates it, so every app asks the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from harbour.core.errors import Forbidden, NotFound

TENANT_WIDE = ""  # a scope path that is a prefix of every department path


@runtime_checkable
class PermissionTarget(Protocol):
    @property
    def tenant_id(self) -> uuid.UUID: ...

    def permission_paths(self) -> tuple[str, ...]: ...

    def owner_id(self) -> uuid.UUID | None: ...


class Actor(Protocol):
    """Who acts: a member of a tenant, or the system acting inside one tenant (CLI, jobs, HR feeds)."""

    @property
    def tenant_id(self) -> uuid.UUID: ...

    @property
    def actor_id(self) -> uuid.UUID | None: ...

    @property
    def actor_label(self) -> str: ...

    @property
    def actor_type(self) -> str: ...

    def access(self) -> AccessSet: ...


@dataclass
class AccessSet:
    """What one actor may do: action → department path prefixes (``TENANT_WIDE`` = everywhere)."""

    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    own: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str | None]]) -> AccessSet:
        """``entries`` are (permission code, scope path or None for tenant-wide)."""
        scopes: dict[str, set[str]] = {}
        own: set[str] = set()
        for code, scope in entries:
            if code.startswith("own:"):
                own.add(code[4:])
                continue
            scopes.setdefault(code, set()).add(TENANT_WIDE if scope is None else scope)
        collapsed = {
            code: (TENANT_WIDE,) if TENANT_WIDE in paths else tuple(sorted(paths))
            for code, paths in scopes.items()
        }
        return cls(scopes=collapsed, own=frozenset(own))

    def allows(
        self, action: str, paths: tuple[str, ...], owner: uuid.UUID | None, actor_id: uuid.UUID | None
    ) -> bool:
        if self.everything:
            return True
        granted = self.scopes.get(action)
        if granted:
            if granted[0] == TENANT_WIDE:
                return True
            for path in paths:
                for prefix in granted:
                    if path.startswith(prefix):
                        return True
        return action in self.own and owner is not None and owner == actor_id

    def tenant_wide(self, action: str) -> bool:
        if self.everything:
            return True
        granted = self.scopes.get(action)
        return bool(granted) and granted[0] == TENANT_WIDE  # type: ignore[index]

    def subtree_prefixes(self, action: str) -> tuple[str, ...] | None:
        """Path prefixes the action is granted on; ``None`` means tenant-wide."""
        if self.tenant_wide(action):
            return None
        return self.scopes.get(action, ())


def can(actor: Actor, action: str, target: PermissionTarget) -> bool:
    """May ``actor`` do ``action`` on ``target``? Another tenant's object is never allowed."""
    if target.tenant_id != actor.tenant_id:
        return False
    return actor.access().allows(action, target.permission_paths(), target.owner_id(), actor.actor_id)


def require_permission(actor: Actor, action: str, target: PermissionTarget, *, visible: bool = True) -> None:
    """Refuse unless ``can``. ``visible=False`` answers NotFound so the object's existence is not revealed."""
    if not can(actor, action, target):
        if not visible:
            raise NotFound(gettext("no such object"))
        raise Forbidden(gettext("you do not have the permission %(action)r for this") % {"action": action})


# ---------------------------------------------------------------------------------------------- catalogue
PERMISSIONS: dict[str, Promise | str] = {}


def register_permissions(codes: dict[str, Promise | str]) -> None:
    """Each app declares its action codes once; roles may only hold registered codes."""
    PERMISSIONS.update(codes)


register_permissions(
    {
        "tenant.view": _("View the company profile"),
        "tenant.update": _("Edit the company profile"),
        "audit.view": _("Read the operation log"),
        "audit.manage": _("Set how long the operation log is kept, and legal holds"),
    }
)


@dataclass
class SystemActor:
    """The system acting inside one tenant on an operator's behalf (CLI, scheduled jobs, HR feeds)."""

    tenant_id: uuid.UUID
    label: str = "system"

    @property
    def actor_id(self) -> uuid.UUID | None:
        return None

    @property
    def actor_label(self) -> str:
        return self.label

    @property
    def actor_type(self) -> str:
        return "system"

    def access(self) -> AccessSet:
        return AccessSet(everything=True)
