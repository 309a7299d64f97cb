"""Permission codes of procurement. The two sign-off codes are deliberately left out of every built-in
role: a company grants them through custom roles (e.g. "Legal", "Information Security") to named people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "procurement.view": _("See resellers, partner lists, quotes and their due-diligence checks"),
        "procurement.manage": _("Record resellers, import partner lists, enter quotes and propose verdicts"),
        "procurement.sign_legal": _("Sign off a purchase verdict for Legal"),
        "procurement.sign_infosec": _("Sign off a purchase verdict for Information Security"),
    }
)

ADMINISTRATOR_PROCUREMENT_PERMISSIONS = ["procurement.view", "procurement.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_PROCUREMENT_PERMISSIONS)
