"""REST API v1 of the directory: company profile, operators' companies, departments, members, roles,
grants and the permission catalogue.

Each endpoint parses its input, asks a gate for the objects it names (tenant first, then permission;
missing and forbidden are the same 404), calls one action and returns a schema. Ids named in a body or
a filter go through the same gates, so another company's id is "not found" with the field named.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from harbour.core.errors import Forbidden, NotFound
from harbour.core.models import Account, Tenant
from harbour.core.pagination import keyset_page
from harbour.core.permissions import PERMISSIONS, can, require_permission
from harbour.directory import actions
from harbour.directory.models import Department, Member, Role
from harbour.directory.queries import (
    attach_places,
    departments_visible_to,
    get_department_for,
    get_grant_for,
    get_member_for,
    get_role_for,
    grants_visible_to,
    roles_visible_to,
    search_members,
)
from harbour.directory.schemas import (
    DepartmentFilters,
    DepartmentIn,
    DepartmentMoveIn,
    DepartmentOut,
    DepartmentPage,
    DepartmentPatch,
    GrantFilters,
    GrantIn,
    GrantOut,
    GrantPage,
    InvitationOut,
    MemberCreatedOut,
    MemberFilters,
    MemberIn,
    MemberOut,
    MemberPage,
    MemberPatch,
    PageParams,
    PermissionOut,
    ReasonIn,
    RoleIn,
    RoleOut,
    RolePage,
    RolePatch,
    TenantIn,
    TenantOut,
    TenantPage,
    TenantPatch,
)

router = Router(tags=["directory"])

T = TypeVar("T")


def _actor(request: HttpRequest) -> Member:
    """The acting member, set by the API authentication (token or console session)."""
    return request.actor  # type: ignore[attr-defined]


def _as_field(lookup: Callable[[], T], field: str) -> T:
    """Run a gate for an id named in a body or filter; a miss names that field."""
    try:
        return lookup()
    except NotFound as exc:
        raise NotFound(exc.message, field=field) from None


def _department_ref(actor: Member, department_id: uuid.UUID, field: str) -> Department:
    return _as_field(lambda: get_department_for(actor, department_id), field)


def _member_ref(actor: Member, member_id: uuid.UUID, field: str) -> Member:
    return _as_field(lambda: get_member_for(actor, member_id), field)


def _role_ref(actor: Member, role_id: uuid.UUID, field: str) -> Role:
    return _as_field(lambda: get_role_for(actor, role_id), field)


def _require_somewhere(actor: Member, action: str) -> None:
    """A list is refused (403) to an actor who holds its view permission nowhere, rather than answered
    with an empty page that looks like an empty company."""
    if actor.access().subtree_prefixes(action) == ():
        raise Forbidden(_("you do not have the permission %(action)r") % {"action": action})


def _require_tenant_wide(actor: Member, action: str) -> None:
    if not actor.access().tenant_wide(action):
        raise Forbidden(_("you do not have the permission %(action)r") % {"action": action})


# -------------------------------------------------------------------------------------- company profile
@router.get("/tenant", response=TenantOut, summary="The company the caller works in")
def get_tenant(request: HttpRequest) -> TenantOut:
    actor = _actor(request)
    tenant = actor.tenant
    require_permission(actor, "tenant.view", tenant)
    return TenantOut.of(tenant)


@router.patch("/tenant", response=TenantOut, summary="Edit the company profile")
def update_tenant(request: HttpRequest, body: TenantPatch) -> TenantOut:
    actor = _actor(request)
    return TenantOut.of(actions.update_tenant(actor, actor.tenant, **body.model_dump(exclude_unset=True)))


# --------------------------------------------------------------------------- operators: their companies
def _operator_account(request: HttpRequest) -> Account | None:
    account = _actor(request).account
    if account is None or not account.is_operator:
        return None
    return account


def _operated_tenants(account: Account) -> QuerySet[Tenant]:
    return Tenant.objects.filter(operator=account)


@router.get("/tenants", response=TenantPage, summary="Companies the calling platform operator runs")
def list_tenants(request: HttpRequest, params: Query[PageParams]) -> TenantPage:
    account = _operator_account(request)
    if account is None:
        raise Forbidden(_("only platform operators can list companies"))
    page = keyset_page(_operated_tenants(account), ("display_name", "id"), params.cursor, params.limit)
    return TenantPage(items=[TenantOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.post("/tenants", response={201: TenantOut}, summary="Create a company (platform operators)")
def create_tenant(request: HttpRequest, body: TenantIn) -> TenantOut:
    account = _operator_account(request)
    if account is None:  # never fall through to create_tenant(None, …), which is the server CLI's path
        raise Forbidden(_("only platform operators can create companies"))
    profile = body.model_dump(exclude_unset=True)
    slug, display_name = profile.pop("slug"), profile.pop("display_name")
    return TenantOut.of(actions.create_tenant(account, slug=slug, display_name=display_name, **profile))


@router.get("/tenants/{tenant_id}", response=TenantOut, summary="One company the calling operator runs")
def get_operated_tenant(request: HttpRequest, tenant_id: uuid.UUID) -> TenantOut:
    account = _operator_account(request)
    tenant = _operated_tenants(account).filter(pk=tenant_id).first() if account is not None else None
    if tenant is None:
        raise NotFound(_("no such company"), field="tenant_id")
    return TenantOut.of(tenant)


# ------------------------------------------------------------------------------------------ departments
@router.get("/departments", response=DepartmentPage, summary="Departments, in tree (path) order")
def list_departments(request: HttpRequest, filters: Query[DepartmentFilters]) -> DepartmentPage:
    actor = _actor(request)
    _require_somewhere(actor, "department.view")
    qs = departments_visible_to(actor)
    if filters.parent_id is not None:
        qs = qs.filter(parent=_department_ref(actor, filters.parent_id, "parent_id"))
    if filters.q.strip():
        q = filters.q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(name_zh__icontains=q))
    page = keyset_page(qs, ("path",), filters.cursor, filters.limit)
    return DepartmentPage(items=[DepartmentOut.of(d) for d in page.items], next_cursor=page.next_cursor)


@router.post("/departments", response={201: DepartmentOut}, summary="Create a department")
def create_department(request: HttpRequest, body: DepartmentIn) -> DepartmentOut:
    actor = _actor(request)
    parent = _department_ref(actor, body.parent_id, "parent_id") if body.parent_id is not None else None
    department = actions.create_department(
        actor, name=body.name, name_zh=body.name_zh, parent=parent, position=body.position
    )
    return DepartmentOut.of(department)


@router.get("/departments/{department_id}", response=DepartmentOut, summary="One department")
def get_department(request: HttpRequest, department_id: uuid.UUID) -> DepartmentOut:
    return DepartmentOut.of(get_department_for(_actor(request), department_id))


@router.patch("/departments/{department_id}", response=DepartmentOut, summary="Rename a department")
def rename_department(request: HttpRequest, department_id: uuid.UUID, body: DepartmentPatch) -> DepartmentOut:
    actor = _actor(request)
    department = get_department_for(actor, department_id)
    name = department.name if body.name is None else body.name
    return DepartmentOut.of(actions.rename_department(actor, department, name=name, name_zh=body.name_zh))


@router.post(
    "/departments/{department_id}/move",
    response=DepartmentOut,
    summary="Move a department (with its subtree) or reorder it among its siblings",
)
def move_department(request: HttpRequest, department_id: uuid.UUID, body: DepartmentMoveIn) -> DepartmentOut:
    actor = _actor(request)
    department = get_department_for(actor, department_id)
    parent = _department_ref(actor, body.parent_id, "parent_id") if body.parent_id is not None else None
    return DepartmentOut.of(actions.move_department(actor, department, parent=parent, position=body.position))


@router.delete("/departments/{department_id}", response={204: None}, summary="Delete an empty department")
def delete_department(request: HttpRequest, department_id: uuid.UUID) -> Status[None]:
    actor = _actor(request)
    actions.delete_department(actor, get_department_for(actor, department_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------- members
@router.get("/members", response=MemberPage, summary="Members, by name")
def list_members(request: HttpRequest, filters: Query[MemberFilters]) -> MemberPage:
    actor = _actor(request)
    _require_somewhere(actor, "member.view")
    department = (
        _department_ref(actor, filters.department_id, "department_id") if filters.department_id else None
    )
    if filters.state is not None and not (
        actor.access().tenant_wide("member.view_private")
        or (department is not None and can(actor, "member.view_private", department))
    ):
        # The state is private: filtering by it would reveal it for members the caller may not inspect.
        raise Forbidden(
            _("filtering by state needs 'member.view_private' over the members listed"), field="state"
        )
    qs = search_members(
        actor,
        q=filters.q,
        department=department,
        include_subdepartments=filters.include_subdepartments,
        state=filters.state,
        is_external=filters.external,
    )
    # Only what MemberOut shows: every timestamp column read costs a parse per row on large pages.
    qs = qs.only(*MemberOut.MODEL_FIELDS)
    page = keyset_page(qs, ("name", "id"), filters.cursor, filters.limit)
    attach_places(page.items, actor.tenant_id, page.query)
    return MemberPage(items=[MemberOut.for_actor(actor, m) for m in page.items], next_cursor=page.next_cursor)


@router.post("/members", response={201: MemberCreatedOut}, summary="Invite a member")
def invite_member(request: HttpRequest, body: MemberIn) -> MemberCreatedOut:
    actor = _actor(request)
    departments = [_department_ref(actor, d, "department_ids") for d in body.department_ids]
    manager = _member_ref(actor, body.manager_id, "manager_id") if body.manager_id is not None else None
    spec = actions.MemberSpec(
        email=body.email,
        name=body.name,
        name_zh=body.name_zh,
        mobile=body.mobile,
        employee_number=body.employee_number,
        title=body.title,
        departments=departments,
        manager=manager,
        hire_date=body.hire_date,
        is_external=body.is_external,
        access_expires_at=body.access_expires_at,
    )
    member = actions.invite_member(actor, spec)
    return MemberCreatedOut(
        **MemberOut.fields_for(actor, member), invitation_url=getattr(member, "invitation_url", None)
    )


@router.get("/members/{member_id}", response=MemberOut, summary="One member")
def get_member(request: HttpRequest, member_id: uuid.UUID) -> MemberOut:
    actor = _actor(request)
    return MemberOut.for_actor(actor, get_member_for(actor, member_id))


@router.patch("/members/{member_id}", response=MemberOut, summary="Edit a member")
def update_member(request: HttpRequest, member_id: uuid.UUID, body: MemberPatch) -> MemberOut:
    actor = _actor(request)
    member = get_member_for(actor, member_id)
    changes = body.model_dump(exclude_unset=True)
    if "department_ids" in changes:
        changes["departments"] = [
            _department_ref(actor, d, "department_ids") for d in changes.pop("department_ids")
        ]
    if "manager_id" in changes:
        manager_id = changes.pop("manager_id")
        changes["manager"] = _member_ref(actor, manager_id, "manager_id") if manager_id is not None else None
    return MemberOut.for_actor(actor, actions.update_member(actor, member, **changes))


def _change_state(
    request: HttpRequest, member_id: uuid.UUID, body: ReasonIn | None, transition: Callable[..., Member]
) -> MemberOut:
    """Run one member state transition (suspend, reactivate, deactivate) with its optional reason."""
    actor = _actor(request)
    member = get_member_for(actor, member_id)
    reason = body.reason if body is not None else ""
    return MemberOut.for_actor(actor, transition(actor, member, reason=reason))


@router.post("/members/{member_id}/suspend", response=MemberOut, summary="Suspend a member at once")
def suspend_member(request: HttpRequest, member_id: uuid.UUID, body: ReasonIn | None = None) -> MemberOut:
    return _change_state(request, member_id, body, actions.suspend_member)


@router.post(
    "/members/{member_id}/reactivate",
    response=MemberOut,
    summary="Bring a suspended or deactivated member back",
)
def reactivate_member(request: HttpRequest, member_id: uuid.UUID, body: ReasonIn | None = None) -> MemberOut:
    return _change_state(request, member_id, body, actions.reactivate_member)


@router.post(
    "/members/{member_id}/deactivate",
    response=MemberOut,
    summary="End a member's work account (the person left)",
)
def deactivate_member(request: HttpRequest, member_id: uuid.UUID, body: ReasonIn | None = None) -> MemberOut:
    return _change_state(request, member_id, body, actions.deactivate_member)


@router.post(
    "/members/{member_id}/resend-invitation",
    response=InvitationOut,
    summary="Send a new invitation link (the old one stops working)",
)
def resend_invitation(request: HttpRequest, member_id: uuid.UUID) -> InvitationOut:
    actor = _actor(request)
    member = get_member_for(actor, member_id)
    return InvitationOut(member_id=member.id, invitation_url=actions.resend_invitation(actor, member))


# ------------------------------------------------------------------------------------------------ roles
@router.get("/roles", response=RolePage, summary="Roles, by name")
def list_roles(request: HttpRequest, params: Query[PageParams]) -> RolePage:
    actor = _actor(request)
    _require_tenant_wide(actor, "role.view")
    page = keyset_page(roles_visible_to(actor), ("name", "id"), params.cursor, params.limit)
    return RolePage(items=[RoleOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.post("/roles", response={201: RoleOut}, summary="Create a custom role")
def create_role(request: HttpRequest, body: RoleIn) -> RoleOut:
    role = actions.create_role(
        _actor(request),
        name=body.name,
        description=body.description,
        permissions=body.permissions,
        requires_scope=body.requires_scope,
    )
    return RoleOut.of(role)


@router.get("/roles/{role_id}", response=RoleOut, summary="One role")
def get_role(request: HttpRequest, role_id: uuid.UUID) -> RoleOut:
    return RoleOut.of(get_role_for(_actor(request), role_id))


@router.patch("/roles/{role_id}", response=RoleOut, summary="Edit a role (built-in roles: description only)")
def update_role(request: HttpRequest, role_id: uuid.UUID, body: RolePatch) -> RoleOut:
    actor = _actor(request)
    role = get_role_for(actor, role_id)
    updated = actions.update_role(
        actor,
        role,
        name=body.name,
        description=body.description,
        permissions=body.permissions,
        requires_scope=body.requires_scope,
    )
    return RoleOut.of(updated)


@router.delete("/roles/{role_id}", response={204: None}, summary="Delete a custom role nobody holds")
def delete_role(request: HttpRequest, role_id: uuid.UUID) -> Status[None]:
    actor = _actor(request)
    actions.delete_role(actor, get_role_for(actor, role_id))
    return Status(204, None)


# ----------------------------------------------------------------------------------------------- grants
@router.get("/grants", response=GrantPage, summary="Who holds which role, oldest first")
def list_grants(request: HttpRequest, filters: Query[GrantFilters]) -> GrantPage:
    actor = _actor(request)
    _require_tenant_wide(actor, "role.view")
    qs = grants_visible_to(actor)
    if filters.member_id is not None:
        qs = qs.filter(member=_member_ref(actor, filters.member_id, "member_id"))
    if filters.role_id is not None:
        qs = qs.filter(role=_role_ref(actor, filters.role_id, "role_id"))
    page = keyset_page(qs, ("created_at", "id"), filters.cursor, filters.limit)
    return GrantPage(items=[GrantOut.of(g) for g in page.items], next_cursor=page.next_cursor)


@router.post(
    "/grants", response={201: GrantOut}, summary="Grant a role, optionally over a department and until a time"
)
def grant_role(request: HttpRequest, body: GrantIn) -> GrantOut:
    actor = _actor(request)
    member = _member_ref(actor, body.member_id, "member_id")
    role = _role_ref(actor, body.role_id, "role_id")
    scope = (
        _department_ref(actor, body.scope_department_id, "scope_department_id")
        if body.scope_department_id is not None
        else None
    )
    grant = actions.grant_role(
        actor, member, role, scope=scope, expires_at=body.expires_at, reason=body.reason
    )
    return GrantOut.of(grant)


@router.delete("/grants/{grant_id}", response={204: None}, summary="Revoke a role grant")
def revoke_grant(request: HttpRequest, grant_id: uuid.UUID, params: Query[ReasonIn]) -> Status[None]:
    actor = _actor(request)
    actions.revoke_grant(actor, get_grant_for(actor, grant_id), reason=params.reason)
    return Status(204, None)


# ------------------------------------------------------------------------------------------ permissions
@router.get("/permissions", response=list[PermissionOut], summary="Every permission code a role may hold")
def list_permissions(request: HttpRequest) -> list[PermissionOut]:
    return [PermissionOut(code=code, description=str(text)) for code, text in sorted(PERMISSIONS.items())]
