"""Reads of retention: the schedule of each registered category, what is due and what is held, the legal
holds, the erasure evidence, and the gates (tenant first, then ``retention.view``; else NotFound)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.erasure import ErasableCategory, categories, category
from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import HONG_KONG, add_months, local, today_in_hong_kong
from harbour.retention import former_members
from harbour.retention.models import ErasedRecord, ErasureRun, LegalHold, RetentionSchedule
from harbour.retention.permission_codes import MANAGE, VIEW

PREVIEW_SHOWN = 200  # records listed per category in a preview (the counts are complete)
UPCOMING_DAYS = 90  # a preview also lists what falls due this soon
LABELLERS = {code: former_members.labels_of for code in former_members.MEMBER_CATEGORIES}
# The law caps some periods: rejected applicants 2 years (HR-RECRUIT-2Y), former employees 7 years.
RULE_MAXIMUM_DAYS = {"HR-RECRUIT-2Y": 2 * 365, "HR-FORMER-7Y": former_members.FORMER_EMPLOYEE_DAYS}
APPLICANT_RULE = "HR-RECRUIT-2Y"


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def require_view(actor: Actor) -> Tenant:
    tenant = _tenant(actor)
    require_permission(actor, VIEW, tenant)
    return tenant


def may_manage(actor: Actor) -> bool:
    return bool(actor.access().tenant_wide(MANAGE))


def category_or_invalid(code: str) -> ErasableCategory:
    from harbour.core.errors import Invalid

    found = category(code)
    if found is None:
        raise Invalid(_("no such data category: %(code)s") % {"code": code}, field="category")
    return found


def maximum_days(cat: ErasableCategory) -> int | None:
    limits = [RULE_MAXIMUM_DAYS[rule] for rule in cat.rule_ids if rule in RULE_MAXIMUM_DAYS]
    return min(limits) if limits else None


# ------------------------------------------------------------------------------------------------ schedules
def schedule_of(tenant_id: uuid.UUID, code: str) -> RetentionSchedule:
    """The company's schedule of a category: saved, or the category's default (unsaved, not enforced)."""
    found = RetentionSchedule.objects.for_tenant(tenant_id).filter(category=code).first()
    if found is not None:
        return found
    cat = category(code)
    return RetentionSchedule(tenant_id=tenant_id, category=code, days=cat.default_days if cat else 0)


def schedules_of(tenant_id: uuid.UUID) -> list[tuple[ErasableCategory, RetentionSchedule]]:
    saved = {
        s.category: s for s in RetentionSchedule.objects.for_tenant(tenant_id).select_related("changed_by")
    }
    return [
        (
            cat,
            saved.get(cat.code)
            or RetentionSchedule(tenant_id=tenant_id, category=cat.code, days=cat.default_days),
        )
        for cat in categories()
    ]


# -------------------------------------------------------------------------------------------------- holds
def live_holds(tenant_id: uuid.UUID, today: dt.date | None = None) -> QuerySet[LegalHold]:
    today = today or today_in_hong_kong()
    return (
        LegalHold.objects.for_tenant(tenant_id)
        .filter(lifted_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


@dataclass(frozen=True)
class Holds:
    """What the live holds keep of one category: all of it, or these record ids (members)."""

    whole: bool
    ids: frozenset[str]

    def keeps(self, record_id: Any) -> bool:
        return self.whole or str(record_id) in self.ids


def holds_on(tenant_id: uuid.UUID, code: str, today: dt.date | None = None) -> Holds:
    live = live_holds(tenant_id, today)
    whole = live.filter(category=code).exists()
    ids = frozenset(str(pk) for pk in live.filter(member__isnull=False).values_list("member_id", flat=True))
    return Holds(whole, ids)


# ----------------------------------------------------------------------------------------------- due records
@dataclass
class Due:
    """A category's records whose period has run out: those to erase, and those a legal hold keeps."""

    category: ErasableCategory
    days: int
    as_of: dt.date
    erase: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    @property
    def cutoff(self) -> dt.date:
        return self.as_of - dt.timedelta(days=self.days)


def erased_ids(tenant_id: uuid.UUID, code: str) -> set[str]:
    return set(
        ErasedRecord.objects.for_tenant(tenant_id).filter(category=code).values_list("record_id", flat=True)
    )


def due_records(tenant_id: uuid.UUID, cat: ErasableCategory, days: int, as_of: dt.date) -> Due:
    """Every due record of the category (ids as text, sorted), split by the live holds. Records erased
    before are left out even when the category keeps their (scrubbed) rows."""
    done = erased_ids(tenant_id, cat.code)
    holds = holds_on(tenant_id, cat.code, as_of)
    due = Due(cat, days, as_of)
    for record_id in sorted({str(pk) for pk in cat.find_due(tenant_id, as_of, days)} - done):
        (due.held if holds.keeps(record_id) else due.erase).append(record_id)
    return due


def labels_for(tenant_id: uuid.UUID, code: str, ids: Sequence[str]) -> dict[str, str]:
    labeller = LABELLERS.get(code)
    found = labeller(tenant_id, ids) if labeller is not None else {}
    return {pk: found.get(pk, pk) for pk in ids}


@dataclass
class CategoryStatus:
    """One row of the schedules page and of the preview."""

    category: ErasableCategory
    schedule: RetentionSchedule
    due: Due
    labels: dict[str, str] = field(default_factory=dict)
    held_labels: dict[str, str] = field(default_factory=dict)
    upcoming: list[str] = field(default_factory=list)  # due within ``UPCOMING_DAYS`` (not held)
    upcoming_labels: dict[str, str] = field(default_factory=dict)

    @property
    def maximum_days(self) -> int | None:
        return maximum_days(self.category)

    @property
    def saved(self) -> bool:
        """Whether somebody set this schedule (else it is the category's default, not enforced)."""
        return not self.schedule._state.adding


def statuses_of(
    tenant_id: uuid.UUID, *, as_of: dt.date | None = None, with_labels: bool = False
) -> list[CategoryStatus]:
    as_of = as_of or today_in_hong_kong()
    rows = []
    for cat, schedule in schedules_of(tenant_id):
        due = due_records(tenant_id, cat, schedule.days, as_of)
        row = CategoryStatus(cat, schedule, due)
        if with_labels:
            row.labels = labels_for(tenant_id, cat.code, due.erase[:PREVIEW_SHOWN])
            row.held_labels = labels_for(tenant_id, cat.code, due.held[:PREVIEW_SHOWN])
        rows.append(row)
    return rows


def statuses_for(actor: Actor, *, with_labels: bool = False) -> list[CategoryStatus]:
    require_view(actor)
    return statuses_of(actor.tenant_id, with_labels=with_labels)


def preview_for(actor: Actor, code: str | None = None) -> list[CategoryStatus]:
    """A dry run: what a run now would erase (enabled schedules) and keep on hold. Changes nothing."""
    require_view(actor)
    if code:
        category_or_invalid(code)
    rows = [
        row
        for row in statuses_of(actor.tenant_id, with_labels=True)
        if (code is None or row.category.code == code) and (row.schedule.enabled or code is not None)
    ]
    for row in rows:
        later = row.due.as_of + dt.timedelta(days=UPCOMING_DAYS)
        due_now = set(row.due.erase)
        soon = due_records(actor.tenant_id, row.category, row.schedule.days, later).erase
        row.upcoming = [pk for pk in soon if pk not in due_now]
        row.upcoming_labels = labels_for(actor.tenant_id, row.category.code, row.upcoming[:PREVIEW_SHOWN])
    return rows


# ------------------------------------------------------------------------------------------ holds (gates)
def holds_visible_to(actor: Actor) -> QuerySet[LegalHold]:
    require_view(actor)
    return LegalHold.objects.for_tenant(actor.tenant_id).select_related("member", "placed_by", "lifted_by")


def get_hold_for(actor: Actor, hold_id: uuid.UUID | str) -> LegalHold:
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such legal hold"), field="hold_id")
    try:
        return holds_visible_to(actor).get(pk=hold_id)
    except (LegalHold.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such legal hold"), field="hold_id") from None


def hold_is_live(hold: LegalHold, today: dt.date | None = None) -> bool:
    today = today or today_in_hong_kong()
    return hold.lifted_at is None and (hold.ends_on is None or hold.ends_on >= today)


# ------------------------------------------------------------------------------------------- runs (gates)
def runs_visible_to(actor: Actor) -> QuerySet[ErasureRun]:
    require_view(actor)
    return ErasureRun.objects.for_tenant(actor.tenant_id).select_related("started_by")


def get_run_for(actor: Actor, run_id: uuid.UUID | str) -> ErasureRun:
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such erasure run"), field="run_id")
    try:
        return runs_visible_to(actor).get(pk=run_id)
    except (ErasureRun.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such erasure run"), field="run_id") from None


def erased_per_month(
    tenant_id: uuid.UUID, *, months: int = 12, today: dt.date | None = None
) -> list[tuple[str, int]]:
    """Records erased in each of the last ``months`` months (Hong Kong time), oldest first, zeros included."""
    today = today or today_in_hong_kong()
    first = add_months(today.replace(day=1), -(months - 1))
    totals: dict[str, int] = defaultdict(int)
    since = dt.datetime.combine(first, dt.time(), tzinfo=HONG_KONG)
    runs = ErasureRun.objects.for_tenant(tenant_id).filter(erased__gt=0, started_at__gte=since)
    for started_at, erased in runs.values_list("started_at", "erased"):
        totals[local(started_at).strftime("%Y-%m")] += erased
    return [
        (add_months(first, i).strftime("%Y-%m"), totals[add_months(first, i).strftime("%Y-%m")])
        for i in range(months)
    ]


def category_label(code: str) -> str:
    cat = category(code)
    return str(cat.label) if cat is not None else code
