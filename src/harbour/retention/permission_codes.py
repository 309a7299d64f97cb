"""Permission codes of retention schedules, legal holds and erasure runs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

VIEW, MANAGE = "retention.view", "retention.manage"

register_permissions(
    {
        VIEW: _("See retention schedules, legal holds, what is due for erasure and the erasure evidence"),
        MANAGE: _("Change retention schedules, place and lift legal holds, and run erasure"),
    }
)

ADMINISTRATOR_RETENTION_PERMISSIONS = [VIEW, MANAGE]

extend_builtin_role("administrator", ADMINISTRATOR_RETENTION_PERMISSIONS)
