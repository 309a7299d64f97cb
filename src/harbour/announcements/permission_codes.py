"""Permission codes of announcements. Reading what one received needs none: the delivery names the reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "announcement.view": _("See company announcements, their read receipts and statistics"),
        "announcement.manage": _("Write, schedule, send and cancel company announcements"),
    }
)

ADMINISTRATOR_ANNOUNCEMENT_PERMISSIONS = ["announcement.view", "announcement.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_ANNOUNCEMENT_PERMISSIONS)
