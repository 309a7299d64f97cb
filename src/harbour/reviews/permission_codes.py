"""Permission codes of access reviews. Deciding an item needs none: the review names its reviewer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "review.view": _("See access review campaigns and their evidence"),
        "review.manage": _("Create, open and close access reviews; decide escalated items"),
    }
)

ADMINISTRATOR_REVIEW_PERMISSIONS = ["review.view", "review.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_REVIEW_PERMISSIONS)
