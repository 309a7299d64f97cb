"""Request and response shapes of the directory API (v1): tenants, departments, members, roles, grants.

Input schemas only check shape and types; the actions own every business rule, so the console, CLI and
API refuse the same things with the same messages. Response schemas are built from model rows; a
member's private fields are filled only for actors allowed to see them (``MemberOut.for_actor``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AwareDatetime, BaseModel, Field, field_validator

from harbour.core.models import Tenant
from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.core.permissions import Actor, can
from harbour.directory.models import Department, Member, MemberState, Role, RoleGrant

MAX_DEPARTMENTS_PER_MEMBER = 50
MAX_POSITION = 100_000


def _reject_null(value: Any) -> Any:
    """PATCH bodies: a field may be left out (unchanged) but not sent as null when it cannot be empty."""
    if value is None:
        raise ValueError(_("may be left out, but cannot be null"))
    return value


def _unique_ids(value: list[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(value))


# -------------------------------------------------------------------------------------------- paging
class PageParams(Schema):
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


# ------------------------------------------------------------------------------------------- tenants
class TenantOut(Schema):
    id: uuid.UUID
    slug: str
    display_name: str
    registered_name: str
    br_number: str
    registration_location: str
    data_storage_region: str
    contracting_entity: str
    local_contact_address: str
    email_domains: list[str]
    locale: str
    time_zone: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        return cls(
            id=tenant.id,
            slug=tenant.slug,
            display_name=tenant.display_name,
            registered_name=tenant.registered_name,
            br_number=tenant.br_number,
            registration_location=tenant.registration_location,
            data_storage_region=tenant.data_storage_region,
            contracting_entity=tenant.contracting_entity,
            local_contact_address=tenant.local_contact_address,
            email_domains=list(tenant.email_domains or []),
            locale=tenant.locale,
            time_zone=tenant.time_zone,
            created_at=tenant.created_at,
            updated_at=tenant.updated_at,
        )


_TENANT_PROFILE = Tenant.PROFILE_FIELDS


class TenantPatch(Schema):
    """Company profile changes; fields left out stay as they are."""

    display_name: str | None = None
    registered_name: str | None = None
    br_number: str | None = None
    registration_location: str | None = None
    data_storage_region: str | None = None
    contracting_entity: str | None = None
    local_contact_address: str | None = None
    email_domains: list[str] | None = None
    locale: str | None = None
    time_zone: str | None = None

    _not_null = field_validator(*_TENANT_PROFILE, mode="before")(_reject_null)


class TenantIn(TenantPatch):
    """A new company (platform operators only)."""

    slug: str
    display_name: str


class TenantPage(Schema):
    items: list[TenantOut]
    next_cursor: str | None


# --------------------------------------------------------------------------------------- departments
class DepartmentOut(Schema):
    id: uuid.UUID
    name: str
    name_zh: str
    parent_id: uuid.UUID | None
    path: str
    depth: int
    position: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, department: Department) -> DepartmentOut:
        return cls(
            id=department.id,
            name=department.name,
            name_zh=department.name_zh,
            parent_id=department.parent_id,
            path=department.path,
            depth=department.depth,
            position=department.position,
            created_at=department.created_at,
            updated_at=department.updated_at,
        )


class DepartmentFilters(PageParams):
    parent_id: uuid.UUID | None = Field(None, description="only the direct sub-departments of this one")
    q: str = Field("", max_length=120, description="part of the English or Chinese name")


class DepartmentIn(Schema):
    name: str
    name_zh: str = ""
    parent_id: uuid.UUID | None = None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)


class DepartmentPatch(Schema):
    name: str | None = None
    name_zh: str | None = None


class DepartmentMoveIn(Schema):
    """Move under ``parent_id`` (null: top level) at ``position`` among the siblings (null: last).
    Keeping the parent and changing only the position reorders."""

    parent_id: uuid.UUID | None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)


class DepartmentPage(Schema):
    items: list[DepartmentOut]
    next_cursor: str | None


# ------------------------------------------------------------------------------------------- members
class DepartmentRef(BaseModel):
    id: uuid.UUID
    name: str
    name_zh: str
    is_primary: bool


class MemberOut(BaseModel):
    """A work account. ``mobile``, ``employee_number``, ``hire_date``, ``state`` and ``access_expires_at``
    are private: null unless the caller holds ``member.view_private`` for this member.

    A plain pydantic model (not a ninja ``Schema``): it is built from already checked values, so the
    response skips ninja's attribute-getter wrapping, which dominated the cost of large member pages."""

    id: uuid.UUID
    name: str
    name_zh: str
    email: str
    title: str
    is_external: bool
    manager_id: uuid.UUID | None
    departments: list[DepartmentRef]
    created_at: dt.datetime
    updated_at: dt.datetime
    mobile: str | None
    employee_number: str | None
    hire_date: dt.date | None
    state: str | None
    access_expires_at: dt.datetime | None

    # The Member columns fields_for reads (with tenant_id, which permission checks use).
    MODEL_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "tenant_id",
        "name",
        "name_zh",
        "email",
        "title",
        "is_external",
        "manager_id",
        "created_at",
        "updated_at",
        "mobile",
        "employee_number",
        "hire_date",
        "state",
        "access_expires_at",
    )

    @classmethod
    def fields_for(cls, actor: Actor, member: Member) -> dict[str, Any]:
        """Decided per row from the actor's cached access set and the member's prefetched departments,
        so a page of members costs no extra queries."""
        private = can(actor, "member.view_private", member)
        return {
            "id": member.id,
            "name": member.name,
            "name_zh": member.name_zh,
            "email": member.email,
            "title": member.title,
            "is_external": member.is_external,
            "manager_id": member.manager_id,
            "departments": [
                DepartmentRef(id=p.department_id, name=p.name, name_zh=p.name_zh, is_primary=p.is_primary)
                for p in member.places()
            ],
            "created_at": member.created_at,
            "updated_at": member.updated_at,
            "mobile": member.mobile if private else None,
            "employee_number": member.employee_number if private else None,
            "hire_date": member.hire_date if private else None,
            "state": member.state if private else None,
            "access_expires_at": member.access_expires_at if private else None,
        }

    @classmethod
    def for_actor(cls, actor: Actor, member: Member) -> MemberOut:
        return cls(**cls.fields_for(actor, member))


class MemberCreatedOut(MemberOut):
    invitation_url: str | None = Field(None, description="shown once; the invitation email carries it too")


class MemberFilters(PageParams):
    q: str = Field("", max_length=150, description="part of a name, email or title; or an employee number")
    department_id: uuid.UUID | None = None
    include_subdepartments: bool = True
    state: MemberState | None = None
    external: bool | None = None


class MemberIn(Schema):
    email: str = Field(max_length=254)
    name: str
    name_zh: str = ""
    mobile: str = ""
    employee_number: str | None = None
    title: str = ""
    department_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_DEPARTMENTS_PER_MEMBER)
    manager_id: uuid.UUID | None = None
    hire_date: dt.date | None = None
    is_external: bool = False
    access_expires_at: AwareDatetime | None = None

    _unique_departments = field_validator("department_ids")(_unique_ids)


class MemberPatch(Schema):
    """Member changes; fields left out stay as they are. ``department_ids`` replaces the departments
    (the first is the primary one); ``manager_id``, ``hire_date``, ``employee_number`` and
    ``access_expires_at`` may be set to null to clear them."""

    email: str | None = Field(None, max_length=254)
    name: str | None = None
    name_zh: str | None = None
    mobile: str | None = None
    employee_number: str | None = None
    title: str | None = None
    department_ids: list[uuid.UUID] | None = Field(None, max_length=MAX_DEPARTMENTS_PER_MEMBER)
    manager_id: uuid.UUID | None = None
    hire_date: dt.date | None = None
    is_external: bool | None = None
    access_expires_at: AwareDatetime | None = None

    _not_null = field_validator(
        "email", "name", "name_zh", "mobile", "title", "department_ids", "is_external", mode="before"
    )(_reject_null)

    @field_validator("department_ids")
    @classmethod
    def _unique_departments(cls, value: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
        return None if value is None else _unique_ids(value)


class ReasonIn(Schema):
    reason: str = Field("", max_length=300)


class InvitationOut(Schema):
    member_id: uuid.UUID
    invitation_url: str


class MemberPage(BaseModel):
    items: list[MemberOut]
    next_cursor: str | None


# ---------------------------------------------------------------------------------------------- roles
class RoleOut(Schema):
    id: uuid.UUID
    name: str
    builtin: str
    description: str
    permissions: list[str]
    requires_scope: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, role: Role) -> RoleOut:
        return cls(
            id=role.id,
            name=role.name,
            builtin=role.builtin,
            description=role.description,
            permissions=list(role.permissions),
            requires_scope=role.requires_scope,
            created_at=role.created_at,
            updated_at=role.updated_at,
        )


class RoleIn(Schema):
    name: str
    description: str = ""
    permissions: list[str] = Field(default_factory=list, max_length=200)
    requires_scope: bool = False


class RolePatch(Schema):
    """Role changes; fields left out (or null) stay as they are."""

    name: str | None = None
    description: str | None = None
    permissions: list[str] | None = Field(None, max_length=200)
    requires_scope: bool | None = None


class RolePage(Schema):
    items: list[RoleOut]
    next_cursor: str | None


class GrantOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    role_id: uuid.UUID
    role_name: str
    scope_department_id: uuid.UUID | None
    scope_department_name: str | None
    expires_at: dt.datetime | None
    reason: str
    created_at: dt.datetime

    @classmethod
    def of(cls, grant: RoleGrant) -> GrantOut:
        """Expects ``member``, ``role`` and ``scope`` loaded (``grants_visible_to`` joins them)."""
        return cls(
            id=grant.id,
            member_id=grant.member_id,
            member_name=grant.member.name,
            role_id=grant.role_id,
            role_name=grant.role.name,
            scope_department_id=grant.scope_id,
            scope_department_name=grant.scope.name if grant.scope is not None else None,
            expires_at=grant.expires_at,
            reason=grant.reason,
            created_at=grant.created_at,
        )


class GrantFilters(PageParams):
    member_id: uuid.UUID | None = None
    role_id: uuid.UUID | None = None


class GrantIn(Schema):
    member_id: uuid.UUID
    role_id: uuid.UUID
    scope_department_id: uuid.UUID | None = None
    expires_at: AwareDatetime | None = None
    reason: str = Field("", max_length=300)


class GrantPage(Schema):
    items: list[GrantOut]
    next_cursor: str | None


class PermissionOut(Schema):
    code: str
    description: str
