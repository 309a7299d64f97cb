"""Permission codes of the directory and the permissions of the built-in roles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions

register_permissions(
    {
        "department.view": _("See departments"),
        "department.manage": _("Create, rename, move, reorder and delete departments"),
        "member.view": _("See members in the directory"),
        "member.view_private": _("See members' private details (mobile, state, hire date)"),
        "member.invite": _("Invite members"),
        "member.update": _("Edit members"),
        "member.suspend": _("Suspend and reactivate members"),
        "member.deactivate": _("Deactivate members"),
        "member.update_profile": _("Edit own profile (names, mobile)"),
        "role.view": _("See roles and who holds them"),
        "role.manage": _("Create and edit custom roles"),
        "role.grant": _("Grant and revoke roles"),
        "apitoken.manage": _("Create and revoke personal API tokens"),
    }
)

ADMINISTRATOR_PERMISSIONS = [
    "tenant.view",
    "tenant.update",
    "audit.view",
    "audit.manage",
    "department.view",
    "department.manage",
    "member.view",
    "member.view_private",
    "member.invite",
    "member.update",
    "member.suspend",
    "member.deactivate",
    "role.view",
    "role.manage",
    "role.grant",
    "own:member.update_profile",
    "own:apitoken.manage",
]

# Scoped to the department subtree named by the grant.
DEPARTMENT_MANAGER_PERMISSIONS = [
    "department.view",
    "department.manage",
    "member.view",
    "member.view_private",
    "member.invite",
    "member.update",
    "member.suspend",
    "own:member.view_private",
    "own:member.update_profile",
    "own:apitoken.manage",
]

GENERAL_MEMBER_PERMISSIONS = [
    "tenant.view",
    "department.view",
    "member.view",
    "role.view",
    "own:member.view_private",
    "own:member.update_profile",
    "own:apitoken.manage",
]

# Runs the compliance programme (policies, training, the PDPO register, requests, breaches, reports): reads
# the directory and the operation log, manages nothing in it. The governance apps add their codes.
COMPLIANCE_OFFICER_PERMISSIONS = [
    "tenant.view",
    "audit.view",
    "department.view",
    "member.view",
    "member.view_private",
    "role.view",
    "own:member.update_profile",
    "own:apitoken.manage",
]

_BUILTIN_LISTS = {
    "administrator": ADMINISTRATOR_PERMISSIONS,
    "compliance_officer": COMPLIANCE_OFFICER_PERMISSIONS,
    "department_manager": DEPARTMENT_MANAGER_PERMISSIONS,
    "general_member": GENERAL_MEMBER_PERMISSIONS,
}


def extend_builtin_role(builtin: str, codes: list[str]) -> None:
    """Apps above the directory add their permissions to a built-in role (at start-up, from ``ready``).

    New companies get them with the role; an app's data migration adds them to existing companies' roles."""
    target = _BUILTIN_LISTS[builtin]
    target.extend(code for code in codes if code not in target)
