"""The request clock, run by the periodic job one company at a time: the handlers (members holding
``datarequest.manage``) are told when an open request reaches day 30, and again when it becomes overdue
(day 41 without an answer or a notice of delay). Each reminder is sent once per request (its time is kept
on the request, set under the row's lock); a request first seen already overdue gets only the overdue one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.models import Tenant
from harbour.core.permissions import SystemActor, require_permission
from harbour.core.time import HONG_KONG, now
from harbour.data_requests.models import OPEN_STATES, REMIND_ON_DAY, DataRequest, State
from harbour.data_requests.notify import request_url, tell
from harbour.data_requests.permission_codes import MANAGE
from harbour.data_requests.queries import request_handlers


def system_actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "data request clock")


@tenant_atomic
def remind_handlers(actor: SystemActor, *, at: dt.datetime | None = None) -> dict[str, int]:
    """Day-30 and overdue reminders for one company; a second run sends nothing new."""
    require_permission(actor, MANAGE, Tenant.objects.get(pk=actor.tenant_id))
    at = at or now()
    today = at.astimezone(HONG_KONG).date()
    day30_from = today - dt.timedelta(days=REMIND_ON_DAY)
    candidates = (
        DataRequest.objects.for_tenant(actor.tenant_id)
        .filter(state__in=OPEN_STATES, received_on__lte=day30_from)
        .select_for_update()
        .order_by("received_on", "id")
    )
    handlers = request_handlers(actor.tenant_id)
    counts = {"day30": 0, "overdue": 0}
    for request in candidates:
        overdue = request.state == State.RECEIVED and at >= request.deadline
        if overdue and request.overdue_reminded_at is None:
            title = _("Data request overdue: %(name)s, due %(day)s") % {
                "name": request.requester_name,
                "day": request.due_on.isoformat(),
            }
            body = _(
                "The %(kind)s received on %(received)s was due by the end of %(day)s and has neither been "
                "answered nor had a notice of delay: answer or refuse it now."
            ) % {
                "kind": request.get_kind_display().lower(),
                "received": request.received_on.isoformat(),
                "day": request.due_on.isoformat(),
            }
            request.overdue_reminded_at = at
            request.day30_reminded_at = request.day30_reminded_at or at
            key = "overdue"
        elif not overdue and at < request.deadline and request.day30_reminded_at is None:
            left = request.days_left(today)
            title = _("Data request: %(n)d day(s) left to answer %(name)s") % {
                "n": left,
                "name": request.requester_name,
            }
            body = _(
                "The %(kind)s received on %(received)s must be answered, refused or given a notice of delay "
                "by the end of %(day)s (Hong Kong time)."
            ) % {
                "kind": request.get_kind_display().lower(),
                "received": request.received_on.isoformat(),
                "day": request.due_on.isoformat(),
            }
            request.day30_reminded_at = at
            key = "day30"
        else:
            continue
        request.save(update_fields=["day30_reminded_at", "overdue_reminded_at", "updated_at"])
        tell(handlers, title=title, body=body, url=request_url(request.pk))
        record(
            actor,
            "data_request.reminded",
            target=request,
            reminder=key,
            handlers=len(handlers),
            due_on=request.due_on.isoformat(),
        )
        counts[key] += 1
    return counts
