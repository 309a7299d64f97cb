"""Departments (a tree), members (work accounts), roles and role grants, invitations."""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned


class Department(TenantOwned):
    """A node of the organisation tree. ``path`` is the materialised chain of ancestor keys ending in
    this department's own key, so a subtree is one ``path__startswith`` and a move is one UPDATE."""

    name = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    key = models.CharField(max_length=12)
    path = models.CharField(max_length=1024)
    depth = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)

    audit_fields = ("name", "name_zh", "parent", "position")

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "path"], name="department_unique_path"),
        ]
        indexes = [models.Index(fields=["tenant", "parent", "position"], name="department_siblings")]

    def __str__(self) -> str:
        return self.name

    def permission_paths(self) -> tuple[str, ...]:
        return (self.path,)

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex[:12]


class Place(NamedTuple):
    """Where a member sits: one department, as read for lists and permission checks."""

    department_id: uuid.UUID
    name: str
    name_zh: str
    path: str
    is_primary: bool


class MemberState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DEACTIVATED = "deactivated", _("Deactivated")


# The legal moves of a work account. Reactivation brings a suspended or deactivated account back.
TRANSITIONS: dict[str, frozenset[str]] = {
    MemberState.INVITED: frozenset({MemberState.ACTIVE, MemberState.SUSPENDED, MemberState.DEACTIVATED}),
    MemberState.ACTIVE: frozenset({MemberState.SUSPENDED, MemberState.DEACTIVATED}),
    MemberState.SUSPENDED: frozenset({MemberState.ACTIVE, MemberState.DEACTIVATED}),
    MemberState.DEACTIVATED: frozenset({MemberState.ACTIVE}),
}


class Member(TenantOwned):
    """A work account: one person's identity inside one company."""

    # Logins live in the registry (default database) and may hold accounts in several companies; a company
    # in a dedicated database refers to its members' logins by id, without a database constraint.
    account = models.ForeignKey(
        "core.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        db_constraint=False,
    )
    name = models.CharField(max_length=150)
    name_zh = models.CharField(max_length=60, blank=True)
    email = models.EmailField()
    mobile = models.CharField(max_length=20, blank=True)
    employee_number = models.CharField(max_length=40, null=True, blank=True)
    title = models.CharField(max_length=120, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    hire_date = models.DateField(null=True, blank=True)
    is_external = models.BooleanField(default=False)
    access_expires_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=MemberState.choices, default=MemberState.INVITED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # Sessions signed in before this moment no longer act as this member ("sign out everywhere").
    sessions_revoked_at = models.DateTimeField(null=True, blank=True)
    departments = models.ManyToManyField(Department, through="Membership", related_name="members")

    audit_fields = (
        "name",
        "name_zh",
        "email",
        "mobile",
        "employee_number",
        "title",
        "manager",
        "hire_date",
        "is_external",
        "access_expires_at",
        "state",
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "email"], name="member_unique_email"),
            models.UniqueConstraint(
                fields=["tenant", "employee_number"],
                condition=Q(employee_number__isnull=False),
                name="member_unique_employee_number",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "name", "id"], name="member_by_name"),
            models.Index(fields=["tenant", "state"], name="member_by_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def snapshot(self) -> dict[str, Any]:
        snap = super().snapshot()
        snap["departments"] = sorted(str(d) for d in self.department_ids())
        return snap

    def places(self) -> list[Place]:
        """The member's departments, primary first: free after ``queries.attach_places``, else one query."""
        cached = self.__dict__.get("_places")
        if cached is None:
            cached = [
                Place(*row)
                for row in self.memberships.order_by("-is_primary", "department__name").values_list(
                    "department_id",
                    "department__name",
                    "department__name_zh",
                    "department__path",
                    "is_primary",
                )
            ]
            self.__dict__["_places"] = cached
        return cached

    def department_ids(self) -> list[uuid.UUID]:
        return [place.department_id for place in self.places()]

    def permission_paths(self) -> tuple[str, ...]:
        return tuple(place.path for place in self.places())

    def owner_id(self) -> uuid.UUID | None:
        return self.id

    # Actor protocol (core.permissions) --------------------------------------------------------------
    @property
    def actor_id(self) -> uuid.UUID | None:
        return self.id

    @property
    def actor_label(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def actor_type(self) -> str:
        return "member"

    def access(self) -> Any:
        cached = self.__dict__.get("_access")
        if cached is None:
            from harbour.directory.access import access_for

            cached = access_for(self)
            self.__dict__["_access"] = cached
        return cached

    def forget_access(self) -> None:
        self.__dict__.pop("_access", None)
        self.__dict__.pop("_places", None)

    @property
    def can_sign_in(self) -> bool:
        """Active, and (for external collaborators) before the end of their access."""
        from harbour.core.time import now

        if self.state != MemberState.ACTIVE:
            return False
        return self.access_expires_at is None or self.access_expires_at > now()


class Membership(TenantOwned):
    """A member's place in a department (a member may sit in several)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "department"], name="membership_unique")]
        # A page of members loads its departments by (tenant, member ids): one index answers it whatever
        # the planner's statistics say.
        indexes = [models.Index(fields=["tenant", "member"], name="membership_by_member")]


class BuiltinRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DEPARTMENT_MANAGER = "department_manager", _("Department Manager")
    GENERAL_MEMBER = "general_member", _("General Member")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance Officer")


# The stock descriptions of the built-in roles, stored in English with each tenant's roles and shown
# translated while an administrator has not rewritten them.
BUILTIN_ROLE_DESCRIPTIONS: dict[str, str] = {
    BuiltinRole.ADMINISTRATOR: gettext_noop("Full control of the company's workspace."),
    BuiltinRole.DEPARTMENT_MANAGER: gettext_noop(
        "Manages the members and sub-departments of one department subtree."
    ),
    BuiltinRole.GENERAL_MEMBER: gettext_noop("Uses the workspace; edits only their own profile and content."),
    BuiltinRole.COMPLIANCE_OFFICER: gettext_noop(
        "Runs the compliance programme: policies, training, PDPO register, requests, breaches, reports."
    ),
}


class Role(TenantOwned):
    """A named set of permission codes. Built-in roles are created with the tenant and cannot be deleted."""

    name = models.CharField(max_length=80)
    builtin = models.CharField(max_length=32, choices=BuiltinRole.choices, blank=True)
    description = models.CharField(max_length=300, blank=True)
    permissions = models.JSONField(default=list)
    requires_scope = models.BooleanField(
        default=False, help_text=_("Grants of this role must name the department subtree they cover.")
    )

    audit_fields = ("name", "description", "permissions", "requires_scope")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="role_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name shown to people: a built-in role's translated label (its stored name is English)."""
        return str(BuiltinRole(self.builtin).label) if self.builtin else self.name

    @property
    def display_description(self) -> str:
        """The description shown to people: a built-in role's stock text is translated, edits are not."""
        if self.builtin and self.description == BUILTIN_ROLE_DESCRIPTIONS.get(self.builtin):
            return gettext(self.description)
        return self.description


class RoleGrant(TenantOwned):
    """A member holds a role, tenant-wide or over one department subtree, optionally until a date."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    scope = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    audit_fields = ("member", "role", "scope", "expires_at", "reason")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["tenant", "member"], name="grant_by_member")]

    def __str__(self) -> str:
        return f"{self.role_id} → {self.member_id}"

    def permission_paths(self) -> tuple[str, ...]:
        return self.member.permission_paths()


class Invitation(TenantOwned):
    """A one-time link that lets an invited member set a password and become active."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation for {self.member_id}"
