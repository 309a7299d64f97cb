"""Permission codes of background jobs: seeing the company's jobs, and retrying failed ones."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "jobs.view": _("See the company's background jobs and their errors"),
        "jobs.manage": _("Retry the company's failed background jobs"),
    }
)

ADMINISTRATOR_JOB_PERMISSIONS = ["jobs.view", "jobs.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_JOB_PERMISSIONS)
