"""Audit event kinds written by security training actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("training.programme_created", _("Training programme created"))
register("training.programme_changed", _("Training programme changed"))
register("training.session_created", _("Training session created"))
register("training.quiz_changed", _("Training quiz changed"))
register("training.attendance_marked", _("Training attendance marked"))
register("training.checked_in", _("Checked in to a training session"))
register("training.quiz_attempted", _("Training quiz attempted"))
register("training.evidence_exported", _("Training evidence exported"))
