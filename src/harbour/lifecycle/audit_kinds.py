"""Audit event kinds written by lifecycle actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("hr.import_planned", _("HR import planned (dry run)"))
register("hr.import_applied", _("HR import applied"))
register("member.left", _("Leaver frozen: sessions, tokens and devices revoked"))
register("hr.webhook_created", _("HR webhook created"))
register("hr.webhook_secret_rotated", _("HR webhook secret rotated"))
register("hr.role_rule_created", _("Role rule added"))
register("hr.role_rule_deleted", _("Role rule removed"))
register("hr.dispute_decided", _("Disputed HR record decided"))
register("hr.webhook_enabled", _("HR webhook switched on"))
register("hr.webhook_disabled", _("HR webhook switched off"))
