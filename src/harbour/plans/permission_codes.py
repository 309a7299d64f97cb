"""Permission codes of plans and subscriptions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "plan.view": _("See the company's plan, seats and quota use"),
        "plan.manage": _("Change the company's plan, seats and term"),
    }
)

ADMINISTRATOR_PLAN_PERMISSIONS = ["plan.view", "plan.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_PLAN_PERMISSIONS)
