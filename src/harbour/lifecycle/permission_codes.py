"""Permission codes of account lifecycle management: HR imports, their plans and reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "lifecycle.view": _("See HR imports, their planned changes and sync reports"),
        "lifecycle.manage": _("Plan and apply HR imports (joiners, movers, leavers)"),
    }
)

ADMINISTRATOR_LIFECYCLE_PERMISSIONS = ["lifecycle.view", "lifecycle.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_LIFECYCLE_PERMISSIONS)
