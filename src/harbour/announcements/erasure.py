"""Read receipts name people (who received an announcement, when they read it): a retention schedule may
erase them once the announcement is old enough. The announcement itself stays, with its recipient count."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from harbour.announcements.models import Delivery
from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.time import HONG_KONG


def _find_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> Sequence[Any]:
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(0, 0), tzinfo=HONG_KONG)
    return list(
        Delivery.objects.for_tenant(tenant_id)
        .filter(announcement__sent_at__lt=cutoff)
        .values_list("pk", flat=True)
    )


def _erase(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    deleted, _rows = Delivery.objects.for_tenant(tenant_id).filter(pk__in=list(ids)).delete()
    return deleted


def register_receipts() -> None:
    register_category(
        ErasableCategory(
            code="announcement_receipts",
            label=_("Announcement read receipts"),
            default_days=2 * 365,
            basis=_("from the day the announcement was sent"),
            find_due=_find_due,
            erase=_erase,
            minimum_days=365,  # the read rate of the last 12 months is compliance evidence
        )
    )
