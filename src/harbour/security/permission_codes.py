"""Permission codes of security settings, domains, devices, sessions and incidents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "security.view": _("See the company's security settings, domains and baseline report"),
        "security.manage": _("Change the company's security settings, domains, SSO and baseline exceptions"),
        "device.manage": _("Register and revoke members' company devices"),
        "session.manage": _("See and end members' signed-in sessions; unlock locked-out sign-ins"),
        "incident.view": _("See the company's security incidents"),
        "incident.manage": _("Handle security incidents: take ownership, report, resolve"),
        "incident.breach": _(
            "Handle personal-data breaches: mark them, record the five steps and the notification decision, "
            "export the PCPD notification form"
        ),
    }
)

ADMINISTRATOR_SECURITY_PERMISSIONS = [
    "security.view",
    "security.manage",
    "device.manage",
    "session.manage",
    "incident.view",
    "incident.manage",
    "incident.breach",
]

extend_builtin_role("administrator", ADMINISTRATOR_SECURITY_PERMISSIONS)
