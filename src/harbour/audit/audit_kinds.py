"""Audit event kinds written by the log's own keeping: retention, legal holds, purges, exports."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("audit.retention_changed", _("Operation-log retention changed"))
register("audit.legal_hold_set", _("Legal hold placed on the operation log"))
register("audit.legal_hold_lifted", _("Legal hold on the operation log lifted"))
register("audit.purged", _("Operation-log entries past their retention removed"))
register("audit.exported", _("Operation log exported"))
