"""API shapes of retention schedules, legal holds, previews and erasure runs."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.directory.models import Member
from harbour.retention.models import ErasureRun, LegalHold
from harbour.retention.queries import CategoryStatus, category_label, hold_is_live


class PersonOut(Schema):
    id: uuid.UUID
    name: str

    @classmethod
    def of(cls, member: Member | None) -> PersonOut | None:
        return cls(id=member.pk, name=member.name) if member is not None else None


class ScheduleOut(Schema):
    """A category's schedule: saved, or the default (``saved`` false: not enforced)."""

    category: str
    label: str
    basis: str
    days: int
    default_days: int
    minimum_days: int
    maximum_days: int | None
    enabled: bool
    saved: bool
    changed_by: PersonOut | None
    changed_at: dt.datetime | None
    rule_ids: list[str]
    due_now: int
    held: int

    @classmethod
    def of(cls, row: CategoryStatus) -> ScheduleOut:
        s, cat = row.schedule, row.category
        saved = row.saved
        return cls(
            category=cat.code,
            label=str(cat.label),
            basis=str(cat.basis),
            days=s.days,
            default_days=cat.default_days,
            minimum_days=cat.minimum_days,
            maximum_days=row.maximum_days,
            enabled=s.enabled,
            saved=saved,
            changed_by=PersonOut.of(s.changed_by) if saved else None,
            changed_at=s.updated_at if saved else None,
            rule_ids=list(cat.rule_ids),
            due_now=len(row.due.erase),
            held=len(row.due.held),
        )


class ScheduleIn(Schema):
    days: int | None = Field(None, description="Retention period in days")
    enabled: bool | None = Field(None, description="Whether the erasure job enforces it")


class HoldOut(Schema):
    id: uuid.UUID
    category: str
    category_label: str
    member: PersonOut | None
    reason: str
    placed_by: PersonOut | None
    placed_at: dt.datetime
    ends_on: dt.date | None
    live: bool
    lifted_at: dt.datetime | None
    lifted_by: PersonOut | None
    lift_reason: str

    @classmethod
    def of(cls, hold: LegalHold) -> HoldOut:
        return cls(
            id=hold.pk,
            category=hold.category,
            category_label=category_label(hold.category) if hold.category else "",
            member=PersonOut.of(hold.member),
            reason=hold.reason,
            placed_by=PersonOut.of(hold.placed_by),
            placed_at=hold.created_at,
            ends_on=hold.ends_on,
            live=hold_is_live(hold),
            lifted_at=hold.lifted_at,
            lifted_by=PersonOut.of(hold.lifted_by),
            lift_reason=hold.lift_reason,
        )


class HoldIn(Schema):
    reason: str
    category: str = Field("", description="Hold a whole category (or give member_id)")
    member_id: uuid.UUID | None = Field(None, description="Hold one member's records")
    ends_on: dt.date | None = None


class LiftIn(Schema):
    reason: str


class RecordOut(Schema):
    id: str
    label: str


class PreviewOut(Schema):
    """What a run now would do for one category: nothing is changed by asking."""

    category: str
    label: str
    days: int
    enabled: bool
    as_of: dt.date
    cutoff: dt.date
    due: int
    held: int
    records: list[RecordOut]
    held_records: list[RecordOut]
    upcoming: int = Field(description="Records falling due in the next 90 days (not held)")
    upcoming_records: list[RecordOut]

    @classmethod
    def of(cls, row: CategoryStatus) -> PreviewOut:
        return cls(
            category=row.category.code,
            label=str(row.category.label),
            days=row.schedule.days,
            enabled=row.schedule.enabled,
            as_of=row.due.as_of,
            cutoff=row.due.cutoff,
            due=len(row.due.erase),
            held=len(row.due.held),
            records=[RecordOut(id=pk, label=label) for pk, label in row.labels.items()],
            held_records=[RecordOut(id=pk, label=label) for pk, label in row.held_labels.items()],
            upcoming=len(row.upcoming),
            upcoming_records=[RecordOut(id=pk, label=label) for pk, label in row.upcoming_labels.items()],
        )


class RunIn(Schema):
    category: str = Field("", description="One category; empty: every enabled schedule")


class RunOut(Schema):
    id: uuid.UUID
    category: str
    label: str
    days: int
    as_of: dt.date
    cutoff: dt.date
    state: str
    erased: int
    held: int
    batches: int
    digest: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: PersonOut | None
    by_schedule: bool

    @classmethod
    def of(cls, run: ErasureRun) -> RunOut:
        return cls(
            id=run.pk,
            category=run.category,
            label=category_label(run.category),
            days=run.days,
            as_of=run.as_of,
            cutoff=run.cutoff,
            state=run.state,
            erased=run.erased,
            held=run.held,
            batches=run.batches,
            digest=run.digest,
            started_at=run.started_at,
            finished_at=run.finished_at,
            started_by=PersonOut.of(run.started_by),
            by_schedule=run.by_schedule,
        )


class RunPage(Schema):
    items: list[RunOut]
    next_cursor: str | None


class RunFilters(Schema):
    category: str | None = Field(None, description="Only the runs of this category")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class PreviewFilters(Schema):
    category: str | None = Field(None, description="One category (any schedule); empty: the enabled ones")
