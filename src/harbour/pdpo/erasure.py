"""Personal data of the PDPO register a retention schedule may erase: the record that a person outside
Harbour (typically a job applicant) was shown a PICS. Members' records stay while they are members."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.time import HONG_KONG
from harbour.pdpo.models import NoticeShown

OUTSIDE_PEOPLE_DAYS = 2 * 365  # HR-RECRUIT-2Y: unsuccessful applicants' data up to 2 years


def _outside(tenant_id: uuid.UUID) -> Any:
    return NoticeShown.objects.for_tenant(tenant_id).filter(member__isnull=True)


def outside_shown_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> list[uuid.UUID]:
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, tzinfo=HONG_KONG)
    return list(_outside(tenant_id).filter(shown_at__lt=cutoff).values_list("pk", flat=True))


def erase_outside_shown(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    deleted, _detail = _outside(tenant_id).filter(pk__in=list(ids)).delete()
    return int(deleted)


def register() -> None:
    register_category(
        ErasableCategory(
            code="pdpo_pics_outside_people",
            label=_("PICS shown to people outside Harbour (e.g. job applicants)"),
            default_days=OUTSIDE_PEOPLE_DAYS,
            basis=_("from the day the PICS was shown"),
            find_due=outside_shown_due,
            erase=erase_outside_shown,
            rule_ids=("PDPO-DPP2-RETENTION", "HR-RECRUIT-2Y"),
        )
    )
