"""Permission codes of the compliance dashboard and report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "compliance.view": _("See the compliance dashboard and print the compliance report"),
        "compliance.manage": _("Record and withdraw compliance attestations; take posture snapshots"),
    }
)

ADMINISTRATOR_COMPLIANCE_PERMISSIONS = ["compliance.view", "compliance.manage"]
COMPLIANCE_OFFICER_PERMISSIONS = ["compliance.view", "compliance.manage"]  # the officer runs the dashboard

extend_builtin_role("administrator", ADMINISTRATOR_COMPLIANCE_PERMISSIONS)
extend_builtin_role("compliance_officer", COMPLIANCE_OFFICER_PERMISSIONS)
