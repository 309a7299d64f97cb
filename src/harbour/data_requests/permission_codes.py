"""Permission codes of data access and correction requests. Lodging one's own access request needs none:
it is the data subject's right (s18), so every member may do it and follow it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

VIEW = "datarequest.view"
MANAGE = "datarequest.manage"

register_permissions(
    {
        VIEW: _("See data access and correction requests, the disclosure log and the refusal log book"),
        MANAGE: _(
            "Record and answer data access and correction requests (notice of delay, complete, refuse, "
            "withdraw) and record disclosures; receive the request reminders"
        ),
    }
)

ADMINISTRATOR_DATA_REQUEST_PERMISSIONS = [VIEW, MANAGE]

extend_builtin_role("administrator", ADMINISTRATOR_DATA_REQUEST_PERMISSIONS)
