"""Permission codes of temporary collaborators: who may ask for one, and who decides."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

REQUEST = "collaborator.request"
APPROVE = "collaborator.approve"

register_permissions(
    {
        REQUEST: _("Ask for a temporary external collaborator, and for more time for one"),
        APPROVE: _("Approve or reject temporary collaborators and extensions; end their access early"),
    }
)

# Every member may sponsor a collaborator (General Member: anywhere; a Department Manager over their subtree);
# a Department Manager decides for their subtree, an Administrator for the whole company.
ADMINISTRATOR_COLLABORATOR_PERMISSIONS = [REQUEST, APPROVE]
DEPARTMENT_MANAGER_COLLABORATOR_PERMISSIONS = [REQUEST, APPROVE]
GENERAL_MEMBER_COLLABORATOR_PERMISSIONS = [REQUEST]

extend_builtin_role("administrator", ADMINISTRATOR_COLLABORATOR_PERMISSIONS)
extend_builtin_role("department_manager", DEPARTMENT_MANAGER_COLLABORATOR_PERMISSIONS)
extend_builtin_role("general_member", GENERAL_MEMBER_COLLABORATOR_PERMISSIONS)
