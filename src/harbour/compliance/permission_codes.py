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
# The officer runs the whole programme: the dashboard and every governance record it is judged on. (This app
# sits above the governance apps, so the role's codes are gathered here.)
COMPLIANCE_OFFICER_PERMISSIONS = [
    "compliance.view",
    "compliance.manage",
    "policy.view",
    "policy.manage",
    "training.view",
    "training.manage",
    "announcement.view",
    "announcement.manage",
    "pdpo.view",
    "pdpo.manage",
    "pdpo.approve",
    "datarequest.view",
    "datarequest.manage",
    "retention.view",
    "retention.manage",
    "incident.view",
    "incident.manage",
    "incident.breach",
]

extend_builtin_role("administrator", ADMINISTRATOR_COMPLIANCE_PERMISSIONS)
extend_builtin_role("compliance_officer", COMPLIANCE_OFFICER_PERMISSIONS)
