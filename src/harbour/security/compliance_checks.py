"""How the company stands on the incident and breach rules, computed from the register (registered from the
security app's ``ready()``): DBN-GUIDE-2023, CI-CAP653, DBN-PROPOSALS and HB-GOV-INCIDENT-24H."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.compliance import Evidence, Finding, Status, register_check
from harbour.core.time import now
from harbour.security.models import BreachStep, Incident, IncidentState
from harbour.security.queries import settings_of

GATHER_WITHIN = dt.timedelta(hours=24)
LOOKBACK = dt.timedelta(days=365)


def _register_path() -> str:
    return reverse("incidents:list")


def breaches_follow_five_steps(tenant_id: uuid.UUID) -> Finding:
    """DBN-GUIDE-2023: every breach progresses through the five steps. Stuck: step 1 not completed within
    24 hours of the breach being marked, or no notification decision (step 4) while the risk assessment is
    done and the breach still open."""
    at = now()
    breaches = list(Incident.objects.for_tenant(tenant_id).filter(is_breach=True))
    if not breaches:
        return Finding(
            Status.MET,
            _(
                "No personal-data breaches recorded; the breach register and its five-step workflow are "
                "in place."
            ),
            [Evidence(_("Breach register"), 0, _register_path())],
        )
    gathered_at = dict(
        BreachStep.objects.for_tenant(tenant_id)
        .filter(step=BreachStep.Step.GATHER)
        .values_list("incident_id", "completed_at")
    )
    late_gather = []
    no_decision = []
    for breach in breaches:
        marked = breach.breach_marked_at or breach.detected_at
        done = gathered_at.get(breach.pk)
        if (done is None and at - marked > GATHER_WITHIN) or (
            done is not None and done - marked > GATHER_WITHIN
        ):
            late_gather.append(breach)
        if breach.breach_step == BreachStep.Step.ASSESS:
            no_decision.append(breach)
    evidence = [
        Evidence(_("Personal-data breaches"), len(breaches), _register_path() + "?breach=yes&state=all"),
        Evidence(_("Essential information not gathered within 24 hours"), len(late_gather)),
        Evidence(_("Risk assessed but no notification decision"), len(no_decision)),
    ]
    if late_gather or no_decision:
        return Finding(
            Status.GAP,
            _(
                "%(late)d of %(total)d breaches did not gather the essential information within 24 hours; "
                "%(undecided)d have a risk assessment but no notification decision."
            )
            % {"late": len(late_gather), "total": len(breaches), "undecided": len(no_decision)},
            evidence,
        )
    finished = sum(1 for b in breaches if b.breach_step == BreachStep.Step.DOCUMENT)
    return Finding(
        Status.MET,
        _("%(total)d breaches follow the five steps; %(finished)d fully documented, none stuck.")
        % {"total": len(breaches), "finished": finished},
        evidence,
    )


def ci_reports_within_deadline(tenant_id: uuid.UUID) -> Finding:
    """CI-CAP653: for a designated operator, every critical-system incident reported to the Commissioner
    within its 12/48-hour clock (one not yet reported and past its deadline is late too)."""
    if not settings_of(tenant_id).designated_ci_operator:
        return Finding(
            Status.NOT_APPLICABLE, _("The company is not a designated critical-infrastructure operator.")
        )
    at = now()
    flagged = Incident.objects.for_tenant(tenant_id).filter(ci_report_due_at__isnull=False)
    total = flagged.count()
    late = flagged.filter(
        Q(ci_reported_at__gt=F("ci_report_due_at")) | Q(ci_reported_at__isnull=True, ci_report_due_at__lte=at)
    ).count()
    evidence = [
        Evidence(_("Incidents affecting critical computer systems"), total, _register_path() + "?state=all"),
        Evidence(_("Reported to the Commissioner late or overdue"), late),
    ]
    if late:
        return Finding(
            Status.GAP,
            _(
                "%(late)d of %(total)d critical-system incidents were not reported to the Commissioner "
                "in time."
            )
            % {"late": late, "total": total},
            evidence,
        )
    return Finding(
        Status.MET,
        _("%(total)d critical-system incidents, all reported (or still within) their 12/48-hour clocks.")
        % {"total": total},
        evidence,
    )


def proposed_notice_clock(tenant_id: uuid.UUID) -> Finding:
    """DBN-PROPOSALS (not law): only while the company has switched the drafted rule on."""
    if not settings_of(tenant_id).breach_notice_proposal:
        return Finding(
            Status.NOT_APPLICABLE,
            _("The proposed mandatory breach notice is not in force and the company has not switched it on."),
        )
    at = now()
    clocked = Incident.objects.for_tenant(tenant_id).filter(pcpd_due_at__isnull=False)
    total = clocked.count()
    late = clocked.filter(
        Q(pcpd_notified_at__gt=F("pcpd_due_at")) | Q(pcpd_notified_at__isnull=True, pcpd_due_at__lte=at)
    ).count()
    evidence = [
        Evidence(_("High-risk breaches under the proposed 5-business-day clock"), total, _register_path()),
        Evidence(_("PCPD notified late or overdue"), late),
    ]
    if late:
        return Finding(
            Status.GAP,
            _(
                "%(late)d of %(total)d high-risk breaches were not notified to the PCPD within 5 "
                "business days."
            )
            % {"late": late, "total": total},
            evidence,
        )
    return Finding(
        Status.MET,
        _("%(total)d high-risk breaches, none past the proposed 5-business-day notice.") % {"total": total},
        evidence,
    )


def incidents_reported_within_24h(tenant_id: uuid.UUID) -> Finding:
    """HB-GOV-INCIDENT-24H: incidents detected in the last 12 months reported to IT compliance within 24
    hours (dismissed ones excepted; an open one past its deadline is late)."""
    at = now()
    recent = Incident.objects.for_tenant(tenant_id).filter(detected_at__gte=at - LOOKBACK)
    counted = recent.exclude(state=IncidentState.DISMISSED)
    total = counted.count()
    late = counted.filter(
        Q(reported_at__gt=F("report_due_at")) | Q(reported_at__isnull=True, report_due_at__lte=at)
    ).count()
    evidence = [
        Evidence(_("Incidents in the last 12 months"), recent.count(), _register_path() + "?state=all"),
        Evidence(_("Reported late or overdue"), late, _register_path() + "?state=overdue"),
    ]
    if late:
        return Finding(
            Status.GAP,
            _("%(late)d of %(total)d incidents of the last 12 months were not reported within 24 hours.")
            % {"late": late, "total": total},
            evidence,
        )
    return Finding(
        Status.MET,
        _(
            "%(total)d incidents in the last 12 months, all reported within 24 hours (or still "
            "inside the clock)."
        )
        % {"total": total},
        evidence,
    )


register_check("DBN-GUIDE-2023", breaches_follow_five_steps)
register_check("CI-CAP653", ci_reports_within_deadline)
register_check("DBN-PROPOSALS", proposed_notice_clock)
register_check("HB-GOV-INCIDENT-24H", incidents_reported_within_24h)
