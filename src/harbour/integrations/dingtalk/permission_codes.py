"""Permission codes of the DingTalk connector. Seeing the connection and its runs is separate from changing
it, because applying a plan writes to another company's system of record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

VIEW = "dingtalk.view"
MANAGE = "dingtalk.manage"

register_permissions(
    {
        VIEW: _("See the DingTalk connection, its sync plans, sync history and received events"),
        MANAGE: _(
            "Connect DingTalk, adopt its directory, apply sync plans (including deletions in DingTalk) "
            "and set up the DingTalk group robot"
        ),
    }
)

ADMINISTRATOR_DINGTALK_PERMISSIONS = [VIEW, MANAGE]

extend_builtin_role("administrator", ADMINISTRATOR_DINGTALK_PERMISSIONS)
