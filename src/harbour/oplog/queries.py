"""Searching the operation log: who did what to whom, in which department, when.

Every company's log records everything; reading more than the last 7 days needs the plan's operation-log audit
(Professional and up). A lower plan still shows a week — enough to see what just happened, not an audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.audit.models import AuditEvent
from harbour.core.entitlements import Feature, has
from harbour.core.errors import Forbidden, Invalid
from harbour.core.models import Tenant
from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.core.time import HONG_KONG, now
from harbour.directory.models import Department, Membership

DAYS_WITHOUT_AUDIT = 7


@dataclass(frozen=True)
class LogFilters:
    person: uuid.UUID | None = None  # the actor or the member the entry is about
    department: Department | None = None  # entries by or about members of this subtree
    kind: str = ""  # "member.suspended", or a family: "member."
    since: dt.date | None = None  # Hong Kong dates, inclusive
    until: dt.date | None = None


def full_log_included(tenant: Tenant) -> bool:
    return has(tenant, Feature.OPERATION_LOG_AUDIT)


def visible_from(tenant: Tenant) -> dt.datetime | None:
    """The oldest moment the company's plan shows (None: the whole log)."""
    return None if full_log_included(tenant) else now() - dt.timedelta(days=DAYS_WITHOUT_AUDIT)


def log_visible_to(actor: object, tenant: Tenant) -> QuerySet[AuditEvent]:
    """The company's log as the actor may read it: ``audit.view`` company-wide, within the plan's window."""
    access = actor.access()  # type: ignore[attr-defined]
    if not access.tenant_wide("audit.view"):
        raise Forbidden(_("reading the operation log needs the permission 'audit.view'"))
    entries = AuditEvent.objects.for_tenant(tenant)
    start = visible_from(tenant)
    return entries if start is None else entries.filter(occurred_at__gte=start)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HONG_KONG)


def search_log(actor: object, tenant: Tenant, filters: LogFilters) -> QuerySet[AuditEvent]:
    """Newest first."""
    if filters.since and filters.until and filters.since > filters.until:
        raise Invalid(_("the first day comes after the last day"), field="since")
    entries = log_visible_to(actor, tenant)
    if filters.person is not None:
        entries = entries.filter(Q(actor_id=filters.person) | Q(subject_id=filters.person))
    if filters.department is not None:
        members = Membership.objects.for_tenant(tenant).filter(
            department__path__startswith=filters.department.path
        )
        ids = members.values("member_id")
        entries = entries.filter(Q(actor_id__in=ids) | Q(subject_id__in=ids))
    if filters.kind:
        kind = filters.kind.strip()
        entries = entries.filter(kind__startswith=kind) if kind.endswith(".") else entries.filter(kind=kind)
    if filters.since:
        entries = entries.filter(occurred_at__gte=_day_start(filters.since))
    if filters.until:
        entries = entries.filter(occurred_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return entries.order_by("-seq")


@dataclass
class LogPage:
    items: list[AuditEvent]
    next_cursor: str | None


def log_page(entries: QuerySet[AuditEvent], cursor: str | None, limit: int) -> LogPage:
    """Newest first, keyed by the entry number: the cursor is the last number shown."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(_("limit must be between 1 and %(max)d") % {"max": MAX_PAGE_SIZE}, field="limit")
    if cursor:
        try:
            entries = entries.filter(seq__lt=int(cursor))
        except ValueError:
            raise Invalid(_("the cursor is not one this API issued"), field="cursor") from None
    rows = list(entries[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return LogPage(items=rows, next_cursor=str(rows[-1].seq) if more and rows else None)
