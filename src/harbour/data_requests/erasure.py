"""Personal data of this app a retention schedule may erase: closed requests, and the s27 log book.

Both are kept at least four years (``minimum_days``): a refused request and its log-book entry are the
s27 record, and a closed request is the evidence of how it was answered. ``find_due`` and ``erase`` both
apply the minimum whatever period they are given, so a log-book entry younger than four years is never
erased (PDPO-S27-LOGBOOK)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from harbour.audit.actions import record
from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.permissions import SystemActor
from harbour.core.time import today_in_hong_kong
from harbour.data_requests.models import (
    CLOSED_STATES,
    LOG_BOOK_MIN_DAYS,
    DataRequest,
    LogBookEntry,
    end_of_day,
)

DEFAULT_DAYS = 7 * 365


def _cutoff(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=max(days, LOG_BOOK_MIN_DAYS))


def _actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "retention schedule")


def closed_requests_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> list[uuid.UUID]:
    """Requests closed on or before ``today - days`` (Hong Kong days)."""
    before = end_of_day(_cutoff(today, days))
    qs = DataRequest.objects.for_tenant(tenant_id).filter(state__in=CLOSED_STATES, closed_at__lt=before)
    return list(qs.order_by("closed_at").values_list("pk", flat=True))


def erase_closed_requests(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    """Delete the closed requests among ``ids`` that are past the minimum (their third-party lines go with
    them; their log-book entries stay, holding their own copy)."""
    due = set(closed_requests_due(tenant_id, today_in_hong_kong(), 0))
    wanted = [pk for pk in (uuid.UUID(str(i)) for i in ids) if pk in due]
    if not wanted:
        return 0
    deleted = DataRequest.objects.for_tenant(tenant_id).filter(pk__in=wanted)
    count = deleted.count()
    deleted.delete()
    record(_actor(tenant_id), "data_request.erased", count=count, ids=[str(pk) for pk in wanted])
    return count


def log_book_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> list[uuid.UUID]:
    """Log-book entries of refusals made on or before ``today - days`` — never younger than four years."""
    qs = LogBookEntry.objects.for_tenant(tenant_id).filter(refused_on__lte=_cutoff(today, days))
    return list(qs.order_by("refused_on").values_list("pk", flat=True))


def erase_log_book_entries(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    """Delete the entries among ``ids`` that are at least four years old; younger ones are kept."""
    due = set(log_book_due(tenant_id, today_in_hong_kong(), 0))
    wanted = [pk for pk in (uuid.UUID(str(i)) for i in ids) if pk in due]
    if not wanted:
        return 0
    entries = LogBookEntry.objects.for_tenant(tenant_id).filter(pk__in=wanted)
    newest = max(entries.values_list("refused_on", flat=True))
    count = entries.count()
    entries.delete()
    record(
        _actor(tenant_id),
        "data_request.log_book_erased",
        count=count,
        newest_refused_on=newest.isoformat(),
        entries=[str(pk) for pk in wanted],
    )
    return count


CLOSED_REQUESTS = ErasableCategory(
    code="closed_data_requests",
    label=_("Closed data access and correction requests"),
    default_days=DEFAULT_DAYS,
    basis=_("from when the request was completed, refused or withdrawn"),
    find_due=closed_requests_due,
    erase=erase_closed_requests,
    rule_ids=("PDPO-DPP2-RETENTION", "PDPO-DPP6-DAR", "PDPO-DPP6-DCR"),
    minimum_days=LOG_BOOK_MIN_DAYS,
)
LOG_BOOK = ErasableCategory(
    code="data_request_log_book",
    label=_("Refusal log book (s27)"),
    default_days=DEFAULT_DAYS,
    basis=_("from the refusal"),
    find_due=log_book_due,
    erase=erase_log_book_entries,
    rule_ids=("PDPO-DPP2-RETENTION", "PDPO-S27-LOGBOOK"),
    minimum_days=LOG_BOOK_MIN_DAYS,
)

register_category(CLOSED_REQUESTS)
register_category(LOG_BOOK)
