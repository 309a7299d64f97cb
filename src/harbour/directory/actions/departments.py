"""Department tree writes: create, rename, move (also reorders) and delete."""

from __future__ import annotations

from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.directory.models import Department, Membership, RoleGrant
from harbour.directory.validation import clean_text

MAX_DEPTH = 20


def _require_manage(actor: Actor, parent: Department | None) -> None:
    """Managing at the top level needs a tenant-wide grant; below, a grant covering the parent."""
    if parent is None:
        tenant = Tenant.objects.get(pk=actor.tenant_id)
        require_permission(actor, "department.manage", tenant)
    else:
        require_permission(actor, "department.manage", parent)


def _next_position(tenant_id: object, parent: Department | None) -> int:
    siblings = Department.objects.for_tenant(tenant_id).filter(parent=parent)  # type: ignore[arg-type]
    top = siblings.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _check_sibling_name(
    tenant_id: object, parent: Department | None, name: str, exclude: Department | None
) -> None:
    clash = Department.objects.for_tenant(tenant_id).filter(parent=parent, name__iexact=name)  # type: ignore[arg-type]
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise Conflict(_("a department named %(name)r already exists here") % {"name": name}, field="name")


@tenant_atomic
def create_department(
    actor: Actor,
    *,
    name: str,
    name_zh: str = "",
    parent: Department | None = None,
    position: int | None = None,
) -> Department:
    name = clean_text(name, field="name", max_length=120, required=True)
    name_zh = clean_text(name_zh, field="name_zh", max_length=120)
    if parent is not None and parent.tenant_id != actor.tenant_id:
        raise Invalid(_("no such parent department"), field="parent_id")
    _require_manage(actor, parent)
    if parent is not None and parent.depth + 1 >= MAX_DEPTH:
        raise Invalid(
            _("departments may be nested at most %(depth)d levels deep") % {"depth": MAX_DEPTH},
            field="parent_id",
        )
    _check_sibling_name(actor.tenant_id, parent, name, None)
    if position is not None and position < 0:
        raise Invalid(_("position cannot be negative"), field="position")
    key = Department.new_key()
    department = Department(
        tenant_id=actor.tenant_id,
        name=name,
        name_zh=name_zh,
        parent=parent,
        key=key,
        path=(parent.path if parent else "") + key + "/",
        depth=(parent.depth + 1) if parent else 0,
        position=_next_position(actor.tenant_id, parent) if position is None else position,
    )
    department.save()
    record(actor, "department.created", target=department, after=department.snapshot())
    return department


@tenant_atomic
def rename_department(
    actor: Actor, department: Department, *, name: str, name_zh: str | None = None
) -> Department:
    require_permission(actor, "department.manage", department)
    name = clean_text(name, field="name", max_length=120, required=True)
    new_zh = department.name_zh if name_zh is None else clean_text(name_zh, field="name_zh", max_length=120)
    _check_sibling_name(actor.tenant_id, department.parent, name, department)
    before = department.snapshot()
    department.name, department.name_zh = name, new_zh
    department.save(update_fields=["name", "name_zh", "updated_at"])
    record(actor, "department.renamed", target=department, before=before, after=department.snapshot())
    return department


@tenant_atomic
def move_department(
    actor: Actor, department: Department, *, parent: Department | None, position: int | None = None
) -> Department:
    """Put ``department`` (with its whole subtree) under ``parent`` at ``position`` among its siblings.

    Never under itself or its own descendants. The subtree's paths change in one UPDATE.
    """
    require_permission(actor, "department.manage", department)
    if department.parent_id is not None:
        require_permission(actor, "department.manage", department.parent)  # type: ignore[arg-type]
    else:
        _require_manage(actor, None)
    _require_manage(actor, parent)
    if parent is not None:
        if parent.tenant_id != actor.tenant_id:
            raise Invalid(_("no such parent department"), field="parent_id")
        if parent.path.startswith(department.path):
            raise Invalid(
                _("a department cannot be moved under itself or one of its sub-departments"),
                field="parent_id",
            )
    if position is not None and position < 0:
        raise Invalid(_("position cannot be negative"), field="position")
    if parent is not None:
        deepest = (
            Department.objects.for_tenant(actor.tenant_id)
            .filter(path__startswith=department.path)
            .aggregate(m=Max("depth"))["m"]
        )
        if parent.depth + 1 + (deepest - department.depth) >= MAX_DEPTH:
            raise Invalid(
                _("departments may be nested at most %(depth)d levels deep") % {"depth": MAX_DEPTH},
                field="parent_id",
            )
    if (parent.pk if parent else None) != department.parent_id:
        _check_sibling_name(actor.tenant_id, parent, department.name, department)
    before = department.snapshot()

    siblings = list(
        Department.objects.for_tenant(actor.tenant_id)
        .filter(parent=parent)
        .exclude(pk=department.pk)
        .order_by("position", "name")
    )
    index = len(siblings) if position is None else min(position, len(siblings))
    siblings.insert(index, department)
    for i, sibling in enumerate(siblings):
        if sibling.pk != department.pk and sibling.position != i:
            sibling.position = i
            sibling.save(update_fields=["position"])

    old_path, old_depth = department.path, department.depth
    new_path = (parent.path if parent else "") + department.key + "/"
    new_depth = (parent.depth + 1) if parent else 0
    if new_path != old_path:
        Department.objects.for_tenant(actor.tenant_id).filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - old_depth),
        )
    department.parent, department.position = parent, index
    department.path, department.depth = new_path, new_depth
    department.save(update_fields=["parent", "position", "updated_at"])
    record(actor, "department.moved", target=department, before=before, after=department.snapshot())
    return department


@tenant_atomic
def delete_department(actor: Actor, department: Department) -> None:
    """Only an empty department goes: no sub-departments, no members, no role grants scoped to it."""
    require_permission(actor, "department.manage", department)
    if department.parent_id is not None:
        require_permission(actor, "department.manage", department.parent)  # type: ignore[arg-type]
    else:
        _require_manage(actor, None)
    scoped = Department.objects.for_tenant(actor.tenant_id)
    if scoped.filter(parent=department).exists():
        raise Conflict(
            _("the department still has sub-departments; move or delete them first"), field="department_id"
        )
    if Membership.objects.for_tenant(actor.tenant_id).filter(department=department).exists():
        raise Conflict(_("the department still has members; move them first"), field="department_id")
    if RoleGrant.objects.for_tenant(actor.tenant_id).filter(scope=department).exists():
        raise Conflict(
            _("roles are still granted over this department; revoke them first"), field="department_id"
        )
    before = department.snapshot()
    record(actor, "department.deleted", target=department, before=before)
    Department.objects.for_tenant(actor.tenant_id).filter(pk=department.pk).delete()
