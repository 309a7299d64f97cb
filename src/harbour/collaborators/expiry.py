"""The clock of temporary collaborators: reminders before the end, and the end itself.

Both run as periodic jobs (``tasks``) and are safe to run twice: an expired request is no longer approved, and
a reminder is recorded once per end and lead time. After downtime the first run expires every overdue
collaborator at once and sends only the most urgent reminder still ahead of the end. Sign-in and every request
refuse an external account from the moment its ``access_expires_at`` passes, job or no job
(``directory.Member.can_sign_in``); the job makes the end visible (suspension, sessions ended, request
expired, operation log).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db.models import Q, QuerySet

from harbour.collaborators.actions import expire_one, send_reminder
from harbour.collaborators.models import CollaboratorRequest, RequestState
from harbour.core.errors import HarbourError
from harbour.core.permissions import SystemActor
from harbour.core.time import now

log = logging.getLogger(__name__)

# Reminders go this many days before the end, each once (a 1-day term gets none: it starts inside the window).
REMINDER_DAYS = (2, 1)


def overdue(qs: QuerySet[CollaboratorRequest], at: dt.datetime) -> QuerySet[CollaboratorRequest]:
    """Active collaborators whose end (the request's, or the account's if that was set earlier) has come."""
    return qs.filter(state=RequestState.APPROVED).filter(
        Q(ends_at__lte=at) | Q(member__access_expires_at__lte=at)
    )


def reminders_ahead(qs: QuerySet[CollaboratorRequest], at: dt.datetime) -> QuerySet[CollaboratorRequest]:
    horizon = at + dt.timedelta(days=max(REMINDER_DAYS))
    return qs.filter(state=RequestState.APPROVED, ends_at__gt=at, ends_at__lte=horizon)


def expire_overdue(tenant_id: uuid.UUID, *, at: dt.datetime | None = None) -> int:
    """Expire every overdue collaborator of the company; answers how many. One refusal (say, the last
    administrator) does not hold up the others: it is logged and tried again on the next run."""
    at = at or now()
    system = SystemActor(tenant_id, "collaborator expiry")
    done = 0
    for request in overdue(CollaboratorRequest.objects.for_tenant(tenant_id), at).order_by("ends_at"):
        try:
            done += expire_one(system, request, at=at)
        except HarbourError as exc:
            log.warning("collaborator request %s could not be expired: %s", request.pk, exc.message)
    return done


def due_lead(request: CollaboratorRequest, at: dt.datetime) -> int | None:
    """The reminder due now: the shortest lead time whose moment has come, unless that moment was before the
    current end was set (a term shorter than the lead) — then none."""
    if request.ends_at is None or request.ends_at <= at:
        return None
    due = [days for days in REMINDER_DAYS if request.ends_at - dt.timedelta(days=days) <= at]
    if not due:
        return None
    lead = min(due)
    moment = request.ends_at - dt.timedelta(days=lead)
    if request.term_started_at is not None and moment <= request.term_started_at:
        return None
    return lead


def send_due_reminders(tenant_id: uuid.UUID, *, at: dt.datetime | None = None) -> int:
    """Send the reminders that are due; answers how many were sent."""
    at = at or now()
    system = SystemActor(tenant_id, "collaborator reminders")
    sent = 0
    for request in reminders_ahead(CollaboratorRequest.objects.for_tenant(tenant_id), at):
        lead = due_lead(request, at)
        if lead is not None:
            sent += send_reminder(system, request, days_before=lead, at=at)
    return sent
