"""Audit event kinds written by announcement actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("announcement.created", _("Announcement drafted"))
register("announcement.updated", _("Announcement draft changed"))
register("announcement.deleted", _("Announcement draft deleted"))
register("announcement.scheduled", _("Announcement scheduled"))
register("announcement.schedule_cancelled", _("Scheduled announcement cancelled (back to draft)"))
register("announcement.sent", _("Announcement sent"))
register("announcement.read", _("Announcement read by a recipient"))
register("announcement.receipts_exported", _("Announcement read receipts exported"))
register("announcement.language_chosen", _("Announcement language chosen"))
