"""Audit event kinds written by policy actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("policy.document_created", _("Policy created"))
register("policy.version_drafted", _("Policy version drafted"))
register("policy.version_edited", _("Policy draft edited"))
register("policy.version_published", _("Policy version published for acknowledgement"))
register("policy.version_superseded", _("Policy version superseded by a newer one"))
register("policy.acknowledged", _("Policy acknowledged"))
register("policy.reminders_sent", _("Policy acknowledgement reminders sent"))
register("policy.acknowledgements_exported", _("Policy acknowledgements exported"))
