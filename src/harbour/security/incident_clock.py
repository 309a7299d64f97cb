"""The internal reporting clock of security incidents, and the reads built on it (overdue lists, counts).

An incident must be reported to IT compliance by its stored ``report_due_at`` (24 hours after detection
for suspicious sign-ins and self-reports; later rules may set other deadlines). The clock runs while the
incident is open and stops when it is reported or dismissed.

Boundary: an incident is **overdue from the deadline itself** — at exactly ``report_due_at`` it is overdue,
one second before it is not (``is_overdue``: ``at >= report_due_at``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.time import now
from harbour.security.models import Incident, IncidentState

CLOSED_STATES = (IncidentState.RESOLVED, IncidentState.DISMISSED)


def is_overdue(incident: Incident, at: dt.datetime | None = None) -> bool:
    """Not reported (still open) and the deadline has come: exactly at the deadline counts as overdue."""
    at = at or now()
    return incident.state == IncidentState.OPEN and at >= incident.report_due_at


def duration_text(delta: dt.timedelta) -> str:
    """A short human duration: "2 d 3 h", "5 h 07 min", "12 min" (never negative)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)d min") % {"minutes": mins}


@dataclass(frozen=True)
class Clock:
    """What the list and detail pages show beside an incident."""

    due_at: dt.datetime
    running: bool  # open: still to be reported
    overdue: bool
    remaining_seconds: int  # until the deadline (negative once past); for a stopped clock, at the stop
    label: str

    @property
    def css(self) -> str:
        if self.overdue:
            return "bad"
        if not self.running:
            return "muted"
        return "warn" if self.remaining_seconds < 4 * 3600 else "ok"


def clock_of(incident: Incident, at: dt.datetime | None = None) -> Clock:
    at = at or now()
    due = incident.report_due_at
    if incident.state == IncidentState.OPEN:
        left = due - at
        overdue = at >= due
        label = (
            _("overdue by %(time)s") % {"time": duration_text(-left)}
            if overdue
            else _("%(time)s left") % {"time": duration_text(left)}
        )
        return Clock(due, True, overdue, int(left.total_seconds()), label)
    if incident.reported_at is not None:
        margin = due - incident.reported_at
        if margin.total_seconds() > 0:
            label = _("reported %(time)s before the deadline") % {"time": duration_text(margin)}
        else:
            label = _("reported %(time)s late") % {"time": duration_text(-margin)}
        return Clock(due, False, False, int(margin.total_seconds()), label)
    return Clock(due, False, False, 0, _("closed without a report"))


def open_incidents(tenant_id: uuid.UUID) -> QuerySet[Incident]:
    """Incidents not yet closed (open or reported). Not permission-restricted: for system work and counts."""
    return Incident.objects.for_tenant(tenant_id).exclude(state__in=CLOSED_STATES)


def overdue_incidents(tenant_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[Incident]:
    return Incident.objects.for_tenant(tenant_id).filter(
        state=IncidentState.OPEN, report_due_at__lte=at or now()
    )


@dataclass(frozen=True)
class IncidentCounts:
    open: int
    overdue: int


def incident_counts(tenant_id: uuid.UUID, at: dt.datetime | None = None) -> IncidentCounts:
    return IncidentCounts(open_incidents(tenant_id).count(), overdue_incidents(tenant_id, at).count())


# ------------------------------------------------------------------ critical infrastructure (CI-CAP653)
CI_CORE_FUNCTION_HOURS = 12
CI_OTHER_HOURS = 48


def ci_deadline(detected_at: dt.datetime, *, core_function_disrupted: bool) -> dt.datetime:
    """Cap. 653: a designated operator reports an incident of a critical computer system to the
    Commissioner within 12 hours when a core function is disrupted, else within 48 hours (CI-CAP653)."""
    hours = CI_CORE_FUNCTION_HOURS if core_function_disrupted else CI_OTHER_HOURS
    return detected_at + dt.timedelta(hours=hours)


def ci_clock_of(incident: Incident, at: dt.datetime | None = None) -> Clock | None:
    """The report-to-Commissioner clock (``None`` when the incident has none). Overdue from the deadline
    itself, like the internal clock; it stops when the report is recorded."""
    if incident.ci_report_due_at is None:
        return None
    return _deadline_clock(incident.ci_report_due_at, incident.ci_reported_at, at)


def _deadline_clock(due: dt.datetime, done_at: dt.datetime | None, at: dt.datetime | None) -> Clock:
    at = at or now()
    if done_at is None:
        left = due - at
        overdue = at >= due
        label = (
            _("overdue by %(time)s") % {"time": duration_text(-left)}
            if overdue
            else _("%(time)s left") % {"time": duration_text(left)}
        )
        return Clock(due, True, overdue, int(left.total_seconds()), label)
    margin = due - done_at
    if margin.total_seconds() > 0:
        label = _("reported %(time)s before the deadline") % {"time": duration_text(margin)}
    else:
        label = _("reported %(time)s late") % {"time": duration_text(-margin)}
    return Clock(due, False, False, int(margin.total_seconds()), label)


def ci_overdue(tenant_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[Incident]:
    return Incident.objects.for_tenant(tenant_id).filter(
        ci_report_due_at__lte=at or now(), ci_reported_at__isnull=True
    )


# ----------------------------------------------------- proposed breach notice (DBN-PROPOSALS, not in force)
PROPOSED_NOTICE_BUSINESS_DAYS = 5


def hong_kong_business_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th Hong Kong business day after ``day`` (not counting ``day``): Saturdays, Sundays and
    Hong Kong public holidays (the ``holidays`` package) are skipped."""
    import holidays

    closed = holidays.country_holidays("HK", years=range(day.year, day.year + 2))
    current, left = day, count
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            left -= 1
    return current


def proposed_pcpd_deadline(aware_at: dt.datetime) -> dt.datetime:
    """The drafted rule: notify the PCPD within 5 business days of becoming aware of a breach with a real
    risk of significant harm. Due at the end of the fifth Hong Kong business day (midnight after it, Hong
    Kong time), so it is overdue from the first moment of the next day."""
    from harbour.core.time import HONG_KONG

    last = hong_kong_business_days_after(aware_at.astimezone(HONG_KONG).date(), PROPOSED_NOTICE_BUSINESS_DAYS)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0), tzinfo=HONG_KONG)


def pcpd_clock_of(incident: Incident, at: dt.datetime | None = None) -> Clock | None:
    if incident.pcpd_due_at is None:
        return None
    return _deadline_clock(incident.pcpd_due_at, incident.pcpd_notified_at, at)


def pcpd_overdue(tenant_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[Incident]:
    return Incident.objects.for_tenant(tenant_id).filter(
        pcpd_due_at__lte=at or now(), pcpd_notified_at__isnull=True
    )


def alert_due(at: dt.datetime | None = None) -> Q:
    """Incidents with a clock that has run out and not yet alerted: the internal 24-hour report, the report
    to the CI Commissioner, or the proposed PCPD notice. The periodic overdue job picks its companies with
    this (each clock alerts once: ``flag_overdue_incidents``)."""
    at = at or now()
    return (
        Q(state=IncidentState.OPEN, overdue_notified_at__isnull=True, report_due_at__lte=at)
        | Q(ci_reported_at__isnull=True, ci_overdue_notified_at__isnull=True, ci_report_due_at__lte=at)
        | Q(
            is_breach=True,
            pcpd_notified_at__isnull=True,
            pcpd_overdue_notified_at__isnull=True,
            pcpd_due_at__lte=at,
        )
    )
