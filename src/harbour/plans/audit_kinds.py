"""Audit event kinds written by plan actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("subscription.changed", _("Plan, seats or term changed"))
register("subscription.change_scheduled", _("Plan change scheduled for the end of the period"))
register("subscription.change_cancelled", _("Scheduled plan change cancelled"))
register("subscription.renewed", _("Subscription renewed"))
