"""Roles and role grants: permissions as data, optionally scoped to a department subtree and time-boxed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from harbour.audit.actions import Entry, TargetRef, record, record_many
from harbour.core.bulk import insert_rows
from harbour.core.databases import database_for, tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.ids import new_ids
from harbour.core.models import Tenant
from harbour.core.permissions import PERMISSIONS, Actor, require_permission
from harbour.core.time import now
from harbour.directory.actions.guards import ensure_other_administrator
from harbour.directory.models import Department, Member, MemberState, Role, RoleGrant
from harbour.directory.validation import clean_text


def _clean_permissions(codes: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for code in codes:
        bare = code[4:] if code.startswith("own:") else code
        if bare not in PERMISSIONS:
            raise Invalid(_("unknown permission %(code)r") % {"code": code}, field="permissions")
        if code not in cleaned:
            cleaned.append(code)
    return sorted(cleaned)


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


@tenant_atomic
def create_role(
    actor: Actor,
    *,
    name: str,
    description: str = "",
    permissions: Sequence[str] = (),
    requires_scope: bool = False,
) -> Role:
    require_permission(actor, "role.manage", _tenant(actor))
    name = clean_text(name, field="name", max_length=80, required=True)
    description = clean_text(description, field="description", max_length=300)
    codes = _clean_permissions(permissions)
    if Role.objects.for_tenant(actor.tenant_id).filter(name__iexact=name).exists():
        raise Conflict(_("a role named %(name)r already exists") % {"name": name}, field="name")
    role = Role.objects.create(
        tenant_id=actor.tenant_id,
        name=name,
        description=description,
        permissions=codes,
        requires_scope=requires_scope,
    )
    record(actor, "role.created", target=role, after=role.snapshot())
    return role


@tenant_atomic
def update_role(
    actor: Actor,
    role: Role,
    *,
    name: str | None = None,
    description: str | None = None,
    permissions: Sequence[str] | None = None,
    requires_scope: bool | None = None,
) -> Role:
    """Edit a custom role. Built-in roles keep their permissions so their meaning never drifts."""
    require_permission(actor, "role.manage", _tenant(actor))
    before = role.snapshot()
    if role.builtin and (permissions is not None or requires_scope is not None or name is not None):
        raise Conflict(
            _("built-in roles can only have their description changed; create a custom role"),
            field="permissions" if permissions is not None else "name",
        )
    if name is not None:
        name = clean_text(name, field="name", max_length=80, required=True)
        if Role.objects.for_tenant(actor.tenant_id).filter(name__iexact=name).exclude(pk=role.pk).exists():
            raise Conflict(_("a role named %(name)r already exists") % {"name": name}, field="name")
        role.name = name
    if description is not None:
        role.description = clean_text(description, field="description", max_length=300)
    if permissions is not None:
        role.permissions = _clean_permissions(permissions)
    if requires_scope is not None:
        if requires_scope and role.grants.filter(scope__isnull=True).exists():
            raise Conflict(_("some grants of this role have no department scope"), field="requires_scope")
        role.requires_scope = requires_scope
    role.save()
    record(actor, "role.updated", target=role, before=before, after=role.snapshot())
    return role


@tenant_atomic
def delete_role(actor: Actor, role: Role) -> None:
    require_permission(actor, "role.manage", _tenant(actor))
    if role.builtin:
        raise Conflict(_("built-in roles cannot be deleted"), field="role_id")
    if role.grants.exists():
        raise Conflict(_("the role is still granted; revoke its grants first"), field="role_id")
    record(actor, "role.deleted", target=role, before=role.snapshot())
    Role.objects.for_tenant(actor.tenant_id).filter(pk=role.pk).delete()


@tenant_atomic
def grant_role(
    actor: Actor,
    member: Member,
    role: Role,
    *,
    scope: Department | None = None,
    expires_at: dt.datetime | None = None,
    reason: str = "",
) -> RoleGrant:
    """Give ``member`` the role, over ``scope``'s subtree (or tenant-wide), until ``expires_at`` if set."""
    require_permission(actor, "role.grant", member)
    if role.tenant_id != actor.tenant_id:
        raise Invalid(_("no such role"), field="role_id")
    if scope is not None:
        if scope.tenant_id != actor.tenant_id:
            raise Invalid(_("no such department"), field="scope_department_id")
        require_permission(actor, "role.grant", scope)
    elif role.requires_scope:
        raise Invalid(
            _("the %(role)s role is granted over a department: choose one") % {"role": role.display_name},
            field="scope_department_id",
        )
    if expires_at is not None and expires_at <= now():
        raise Invalid(_("a grant must end in the future"), field="expires_at")
    if member.state == MemberState.DEACTIVATED:
        raise Conflict(_("a deactivated account cannot be given roles"), field="member_id")
    reason = clean_text(reason, field="reason", max_length=300)
    live = (
        RoleGrant.objects.for_tenant(actor.tenant_id)
        .filter(member=member, role=role, scope=scope)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
    )
    if live.exists():
        raise Conflict(_("%(name)s already holds this role here") % {"name": member.name}, field="role_id")
    grant = RoleGrant.objects.create(
        tenant_id=actor.tenant_id, member=member, role=role, scope=scope, expires_at=expires_at, reason=reason
    )
    member.forget_access()
    record(
        actor, "grant.created", target=grant, after=grant.snapshot(), member=str(member.pk), role=role.name
    )
    return grant


@tenant_atomic
def grant_role_to_new_members(
    actor: Actor, members: Sequence[Member], role: Role, *, reason: str = ""
) -> int:
    """Give a tenant-wide role to accounts just created in bulk (an import's joiners): one insert and one
    audit insert per call, each grant audited as ``grant.created``. The accounts hold no grants yet."""
    tenant = _tenant(actor)
    require_permission(actor, "role.grant", tenant)
    if role.tenant_id != tenant.pk or role.requires_scope:
        raise Invalid(_("no such role"), field="role_id")
    reason = clean_text(reason, field="reason", max_length=300)
    rows = [
        {
            "id": row_id,
            "tenant_id": tenant.pk,
            "member_id": m.pk,
            "role_id": role.pk,
            "scope_id": None,
            "expires_at": None,
            "reason": reason,
        }
        for m, row_id in zip(members, new_ids(len(members)), strict=True)
    ]
    insert_rows(RoleGrant, rows, using=database_for(tenant.pk))
    entries = []
    for m, row in zip(members, rows, strict=True):
        after = {
            "member": str(m.pk),
            "role": str(role.pk),
            "scope": None,
            "expires_at": None,
            "reason": reason,
        }
        entries.append(
            Entry(
                TargetRef("rolegrant", row["id"], f"{role.pk} → {m.pk}", member_id=m.pk),
                after=after,
                data={"member": str(m.pk), "role": role.name},
            )
        )
    record_many(actor, "grant.created", entries)
    grants = rows
    return len(grants)


@tenant_atomic
def revoke_grant(actor: Actor, grant: RoleGrant, *, reason: str = "") -> None:
    require_permission(actor, "role.grant", grant.member)
    ensure_other_administrator(grant.member, excluding_grant=grant)
    record(
        actor,
        "grant.revoked",
        target=grant,
        before=grant.snapshot(),
        reason=reason,
        member=str(grant.member_id),
        role=grant.role.name,
    )
    RoleGrant.objects.for_tenant(actor.tenant_id).filter(pk=grant.pk).delete()
    grant.member.forget_access()
