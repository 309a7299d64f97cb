"""Permission codes of policies. Acknowledging needs none: a member acknowledges what is in their scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "policy.view": _("See policies, their versions and who has acknowledged them"),
        "policy.manage": _("Write policy drafts and publish them for acknowledgement"),
    }
)

ADMINISTRATOR_POLICY_PERMISSIONS = ["policy.view", "policy.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_POLICY_PERMISSIONS)
