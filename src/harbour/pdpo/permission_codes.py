"""Permission codes of the PDPO register: read it, keep it, and approve assessments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

VIEW = "pdpo.view"
MANAGE = "pdpo.manage"
APPROVE = "pdpo.approve"

register_permissions(
    {
        VIEW: _("See the PDPO register: data inventory, notices, consents, assessments and processors"),
        MANAGE: _("Keep the PDPO register: record data, notices, consents, contracts and assessments"),
        APPROVE: _("Approve transfer impact and monitoring assessments written by someone else"),
    }
)

ADMINISTRATOR_PDPO_PERMISSIONS = [VIEW, MANAGE, APPROVE]

extend_builtin_role("administrator", ADMINISTRATOR_PDPO_PERMISSIONS)
