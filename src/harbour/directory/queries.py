"""Reads of directory data. Every list starts from a tenant-scoped, permission-restricted queryset and
every single-object lookup goes through a ``get_<thing>_for`` gate (missing and forbidden both 404)."""

from __future__ import annotations

import uuid
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.permissions import Actor, can
from harbour.directory.models import Department, Member, Membership, MemberState, Place, Role, RoleGrant


def _subtree_filter(prefixes: tuple[str, ...], lookup: str) -> Q:
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in prefixes))


# ------------------------------------------------------------------------------------------ departments
def departments_visible_to(actor: Actor) -> QuerySet[Department]:
    qs = Department.objects.for_tenant(actor.tenant_id)
    prefixes = actor.access().subtree_prefixes("department.view")
    if prefixes is None:
        return qs
    return qs.filter(_subtree_filter(prefixes, "path"))


def get_department_for(
    actor: Actor, department_id: uuid.UUID | str, action: str = "department.view"
) -> Department:
    try:
        department = departments_visible_to(actor).get(pk=department_id)
    except (Department.DoesNotExist, ValueError, ValidationError):  # malformed ids are just "missing"
        raise NotFound(_("no such department"), field="department_id") from None
    if action != "department.view" and not can(actor, action, department):
        raise NotFound(_("no such department"), field="department_id")
    return department


def department_tree(actor: Actor) -> list[Department]:
    """Visible departments in tree order (parents before children, siblings by position, then name)."""
    departments = list(departments_visible_to(actor).order_by("depth", "position", "name"))
    children: dict[uuid.UUID | None, list[Department]] = {}
    ids = {d.id for d in departments}
    for d in departments:
        parent = d.parent_id if d.parent_id in ids else None
        children.setdefault(parent, []).append(d)
    ordered: list[Department] = []

    def walk(parent: uuid.UUID | None) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def member_counts(actor: Actor) -> dict[uuid.UUID, int]:
    """Members (not deactivated) per department, for the org chart."""
    from django.db.models import Count

    rows = (
        Membership.objects.for_tenant(actor.tenant_id)
        .exclude(member__state=MemberState.DEACTIVATED)
        .values("department_id")
        .annotate(n=Count("id"))
    )
    return {row["department_id"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------------------------- members
def members_visible_to(actor: Actor) -> QuerySet[Member]:
    qs = Member.objects.for_tenant(actor.tenant_id)
    prefixes = actor.access().subtree_prefixes("member.view")
    if prefixes is None:
        return qs
    visible = _subtree_filter(prefixes, "memberships__department__path")
    if actor.actor_id is not None:
        visible |= Q(pk=actor.actor_id)
    ids = Member.objects.for_tenant(actor.tenant_id).filter(visible).values("pk")
    return qs.filter(pk__in=ids)


def attach_places(
    members: list[Member], tenant_id: uuid.UUID, selected_by: QuerySet[Member] | None = None
) -> list[Member]:
    """Load the departments of a page of members in one query (see ``Member.places``).

    ``selected_by`` is the query that chose the page (``Page.query``): the memberships are then found by a
    subquery instead of by a list of every member id."""
    by_member: dict[uuid.UUID, list[Place]] = {m.pk: [] for m in members}
    among: Any = selected_by.values("pk") if selected_by is not None else list(by_member)
    rows = (
        Membership.objects.for_tenant(tenant_id)
        .filter(member_id__in=among)
        .order_by("-is_primary", "department__name")
        .values_list(
            "member_id",
            "department_id",
            "department__name",
            "department__name_zh",
            "department__path",
            "is_primary",
        )
    )
    for member_id, *place in rows:
        by_member[member_id].append(Place(*place))
    for member in members:
        member.__dict__["_places"] = by_member[member.pk]
    return members


def search_members(
    actor: Actor,
    *,
    q: str = "",
    department: Department | None = None,
    include_subdepartments: bool = True,
    state: str | None = None,
    is_external: bool | None = None,
) -> QuerySet[Member]:
    qs = members_visible_to(actor)
    if q:
        q = q.strip()
        text = Q(name__icontains=q) | Q(name_zh__icontains=q) | Q(email__icontains=q) | Q(title__icontains=q)
        qs = qs.filter(text | _employee_number_match(actor, q))
    if department is not None:
        if include_subdepartments:
            ids = (
                Membership.objects.for_tenant(actor.tenant_id)
                .filter(department__path__startswith=department.path)
                .values("member_id")
            )
        else:
            ids = (
                Membership.objects.for_tenant(actor.tenant_id)
                .filter(department=department)
                .values("member_id")
            )
        qs = qs.filter(pk__in=ids)
    if state:
        qs = qs.filter(state=state)
    if is_external is not None:
        qs = qs.filter(is_external=is_external)
    return qs


def _employee_number_match(actor: Actor, q: str) -> Q:
    """Employee numbers are private: match them only where the actor may see them."""
    access = actor.access()
    prefixes = access.subtree_prefixes("member.view_private")
    match = Q(employee_number__iexact=q)
    if prefixes is None:
        return match
    where = _subtree_filter(prefixes, "memberships__department__path") if prefixes else Q(pk__in=[])
    if "member.view_private" in access.own and actor.actor_id is not None:
        where |= Q(pk=actor.actor_id)
    ids = Member.objects.for_tenant(actor.tenant_id).filter(where).values("pk")
    return match & Q(pk__in=ids)


def get_member_for(actor: Actor, member_id: uuid.UUID | str, action: str = "member.view") -> Member:
    try:
        member = members_visible_to(actor).get(pk=member_id)
    except (Member.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such member"), field="member_id") from None
    attach_places([member], actor.tenant_id)
    if action != "member.view" and not can(actor, action, member):
        raise NotFound(_("no such member"), field="member_id")
    return member


# ------------------------------------------------------------------------------------------------ roles
def roles_visible_to(actor: Actor) -> QuerySet[Role]:
    if not actor.access().tenant_wide("role.view"):
        return Role.objects.for_tenant(actor.tenant_id).none()
    return Role.objects.for_tenant(actor.tenant_id)


def get_role_for(actor: Actor, role_id: uuid.UUID | str) -> Role:
    try:
        return roles_visible_to(actor).get(pk=role_id)
    except (Role.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such role"), field="role_id") from None


def grants_visible_to(actor: Actor) -> QuerySet[RoleGrant]:
    """Grants of members the actor can see, when the actor may see roles."""
    qs = RoleGrant.objects.for_tenant(actor.tenant_id).select_related("role", "scope", "member")
    if not actor.access().tenant_wide("role.view"):
        if actor.actor_id is None:
            return qs.none()
        return qs.filter(member_id=actor.actor_id)
    return qs


def get_grant_for(actor: Actor, grant_id: uuid.UUID | str) -> RoleGrant:
    try:
        return grants_visible_to(actor).get(pk=grant_id)
    except (RoleGrant.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such role grant"), field="grant_id") from None


def active_grants(member: Member) -> QuerySet[RoleGrant]:
    from harbour.core.time import now

    return (
        RoleGrant.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
        .select_related("role", "scope")
    )


def administrators(tenant_id: uuid.UUID) -> QuerySet[Member]:
    """Active members holding the built-in Administrator role (tenant-wide or scoped), unexpired.

    Not permission-restricted: security policy (second factors, the baseline's admin share) reads it."""
    from harbour.core.time import now
    from harbour.directory.models import BuiltinRole

    live = Q(grants__expires_at__isnull=True) | Q(grants__expires_at__gt=now())
    return (
        Member.objects.for_tenant(tenant_id)
        .filter(state=MemberState.ACTIVE, grants__role__builtin=BuiltinRole.ADMINISTRATOR)
        .filter(live)
        .distinct()
    )


def is_administrator(member: Member) -> bool:
    return administrators(member.tenant_id).filter(pk=member.pk).exists()
