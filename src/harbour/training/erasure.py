"""Training records name people (who attended, their answers and scores): a retention schedule may erase
them, by default 3 years after the session ended. The session stays, with its summary counts kept at
erasure as the evidence that the training was held."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.time import HONG_KONG, now
from harbour.training.evidence import session_evidence
from harbour.training.models import Attempt, Attendance, Session

TRAINING_RECORDS = "training_records"
DEFAULT_DAYS = 3 * 365


def find_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> Sequence[Any]:
    """Sessions that ended at least ``days`` days before ``today`` (Hong Kong) and still hold records."""
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(0, 0), tzinfo=HONG_KONG)
    with_records = Q(attendance__isnull=False) | Q(attempts__isnull=False)
    return list(
        Session.objects.for_tenant(tenant_id)
        .filter(ends_at__lt=cutoff)
        .filter(with_records)
        .values_list("pk", flat=True)
        .distinct()
    )


def erase(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    """Delete the sessions' attendance and quiz attempts; keep each session's counts as its summary."""
    sessions = list(Session.objects.for_tenant(tenant_id).filter(pk__in=list(ids)).select_related("quiz"))
    at = now()
    erased = 0
    for session in sessions:
        summary = session_evidence(session, at=at).counts
        attempts, _kinds = Attempt.objects.for_tenant(tenant_id).filter(session=session).delete()
        marks, _kinds = Attendance.objects.for_tenant(tenant_id).filter(session=session).delete()
        session.summary = {**summary, "attempts_erased": attempts, "attendance_erased": marks}
        session.records_erased_at = at
        session.save(update_fields=["summary", "records_erased_at", "updated_at"])
        erased += attempts + marks
    return erased


def register_training_records() -> None:
    register_category(
        ErasableCategory(
            code=TRAINING_RECORDS,
            label=_("Security training records (attendance and quiz attempts)"),
            default_days=DEFAULT_DAYS,
            basis=_("from the end of the training session"),
            find_due=find_due,
            erase=erase,
        )
    )
