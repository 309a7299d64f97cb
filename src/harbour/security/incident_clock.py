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

from django.db.models import QuerySet
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
