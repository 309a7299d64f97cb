"""Audit event kinds written by retention actions (schedules, legal holds, erasure runs)."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("retention.schedule_changed", _("Retention schedule changed"))
register("retention.hold_placed", _("Legal hold placed"))
register("retention.hold_lifted", _("Legal hold lifted"))
register("retention.run_started", _("Erasure run started"))
register("retention.record_erased", _("Record erased under a retention schedule"))
register("retention.run_finished", _("Erasure run finished"))
