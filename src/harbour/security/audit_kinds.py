"""Audit event kinds written by security actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("security.settings_changed", _("Security settings changed"))

# Security incidents (security.incidents)
register("incident.opened", _("Security incident opened"))
register("incident.evidence_added", _("Evidence added to a security incident"))
register("incident.owner_changed", _("Security incident owner changed"))
register("incident.noted", _("Note added to a security incident"))
register("incident.reported", _("Security incident reported to IT compliance"))
register("incident.resolved", _("Security incident resolved"))
register("incident.dismissed", _("Security incident dismissed"))
register("incident.overdue", _("Security incident overdue for reporting"))
# Personal-data breaches and critical-infrastructure clocks on the same register (security.breaches)
register("breach.marked", _("Incident marked as a personal-data breach"))
register("breach.step_completed", _("Personal-data breach step completed"))
register("breach.form_exported", _("PCPD breach notification form exported"))
register("breach.pcpd_overdue", _("Proposed PCPD breach notice overdue"))
register("incident.critical_system_set", _("Incident's critical computer system flag changed"))
register("incident.ci_reported", _("Incident reported to the Commissioner of Critical Infrastructure"))
register("incident.ci_overdue", _("Critical-infrastructure incident report overdue"))
register("security.incident_rules_changed", _("Incident rules changed"))
register("domain.added", _("Email domain added"))
register("domain.removed", _("Email domain removed"))
register("domain.verified", _("Email domain verified by DNS"))
register("domain.verified_override", _("Email domain marked verified without DNS"))
register("domain.check_failed", _("Email domain verification not found"))
register("baseline.exception_granted", _("Baseline exception granted"))
register("baseline.exception_revoked", _("Baseline exception revoked"))
