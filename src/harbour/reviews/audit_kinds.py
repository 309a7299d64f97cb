"""Audit event kinds written by access review actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("review.campaign_created", _("Access review created"))
register("review.campaign_opened", _("Access review opened: grants snapshotted, reviewers told"))
register("review.item_certified", _("Access review: access certified"))
register("review.item_revoked", _("Access review: access revoked"))
register("review.item_escalated", _("Access review: unanswered item escalated"))
register("review.campaign_closed", _("Access review closed"))
register("review.schedule_changed", _("Access review schedule changed"))
register("review.report_exported", _("Access review evidence exported"))
