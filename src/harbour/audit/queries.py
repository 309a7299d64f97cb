"""Reads of the operation log, restricted to who may read it."""

from __future__ import annotations

from harbour.audit.models import AuditEvent
from harbour.core.permissions import Actor


def events_visible_to(actor: Actor):  # type: ignore[no-untyped-def]
    qs = AuditEvent.objects.for_tenant(actor.tenant_id)
    if not actor.access().tenant_wide("audit.view"):
        return qs.none()
    return qs


def recent_events_visible_to(actor: Actor, *, limit: int = 20) -> list[AuditEvent]:
    return list(events_visible_to(actor).order_by("-seq")[:limit])
