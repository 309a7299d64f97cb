"""Erasure runs: erase what an enabled schedule says is due, skip what a legal hold keeps, and keep the
evidence (PDPO-DPP2-RETENTION, s26).

A run works through its category in batches of at most ``BATCH`` records, each in its own transaction with
its evidence rows and audit events, so a run killed half-way keeps what it did; the next run of the
category resumes it (same period and cut-off) instead of starting another. Running again when nothing is
due erases nothing: erased records are never due twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from django.utils.translation import gettext as _

from harbour.audit.actions import Entry, TargetRef, record, record_many
from harbour.core.databases import tenant_atomic
from harbour.core.erasure import ErasableCategory
from harbour.core.errors import Conflict
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.retention.former_members import MEMBER_CATEGORIES, tombstone_label
from harbour.retention.models import ErasedRecord, ErasureRun, RetentionSchedule
from harbour.retention.permission_codes import MANAGE
from harbour.retention.queries import category_or_invalid, due_records, schedule_of

BATCH = 500
SCHEDULE_LABEL = "the retention schedule"

log = logging.getLogger(__name__)


def digest_of(ids: list[str]) -> str:
    """SHA-256 of the erased records' ids, sorted, one per line: anyone holding the ids can check it; the
    ids themselves say nothing about the person."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def _require_manage(actor: Actor) -> None:
    require_permission(actor, MANAGE, Tenant.objects.get(pk=actor.tenant_id))


@tenant_atomic
def _start(actor: Actor, cat: ErasableCategory, as_of: dt.date, by_schedule: bool) -> ErasureRun:
    """The category's unfinished run (resumed as it was), or a new one with the schedule in force now."""
    running = (
        ErasureRun.objects.for_tenant(actor.tenant_id)
        .select_for_update()
        .filter(category=cat.code, state=ErasureRun.State.RUNNING)
        .first()
    )
    if running is not None:
        return running
    schedule = schedule_of(actor.tenant_id, cat.code)
    if not schedule.enabled:
        raise Conflict(_("the schedule of %(label)s is not enabled") % {"label": cat.label}, field="category")
    run = ErasureRun.objects.create(
        tenant_id=actor.tenant_id,
        category=cat.code,
        days=schedule.days,
        as_of=as_of,
        cutoff=as_of - dt.timedelta(days=schedule.days),
        started_at=now(),
        started_by=actor if isinstance(actor, Member) else None,
        started_by_label=SCHEDULE_LABEL if by_schedule else actor.actor_label[:200],
        by_schedule=by_schedule,
    )
    record(actor, "retention.run_started", target=run, after=run.snapshot())
    return run


def _target(code: str, record_id: str) -> TargetRef:
    if code in MEMBER_CATEGORIES:
        return TargetRef("member", record_id, tombstone_label(uuid.UUID(record_id)))
    return TargetRef(code, record_id, f"{code} {record_id}")


@tenant_atomic
def _next_batch(actor: Actor, cat: ErasableCategory, run_id: uuid.UUID, size: int) -> ErasureRun:
    """Erase one batch, or finish the run when nothing is left to erase. One transaction."""
    run = ErasureRun.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=run_id)
    if run.state != ErasureRun.State.RUNNING:
        return run
    due = due_records(actor.tenant_id, cat, run.days, run.as_of)
    batch = due.erase[:size]
    if not batch:
        before = run.snapshot()
        ids = list(
            ErasedRecord.objects.for_tenant(actor.tenant_id)
            .filter(run=run)
            .values_list("record_id", flat=True)
        )
        run.held = len(due.held)
        run.digest = digest_of(ids)
        run.state = ErasureRun.State.FINISHED
        run.finished_at = now()
        run.save()
        record(actor, "retention.run_finished", target=run, before=before, after=run.snapshot())
        return run
    erased = cat.erase(actor.tenant_id, batch)
    if erased != len(batch):
        raise Conflict(
            _("%(label)s: not every due record could be erased") % {"label": cat.label}, field="category"
        )
    ErasedRecord.objects.bulk_create(
        [ErasedRecord(tenant_id=actor.tenant_id, run=run, category=cat.code, record_id=pk) for pk in batch]
    )
    run.erased += len(batch)
    run.batches += 1
    run.save(update_fields=["erased", "batches", "updated_at"])
    record_many(
        actor,
        "retention.record_erased",
        [Entry(_target(cat.code, pk), data={"category": cat.code, "run": str(run.pk)}) for pk in batch],
    )
    return run


def run_erasure(
    actor: Actor,
    code: str,
    *,
    as_of: dt.date | None = None,
    by_schedule: bool = False,
    batch_size: int = BATCH,
) -> ErasureRun:
    """Erase every due, unheld record of one category under its enabled schedule, batch by batch, and
    answer the run's evidence. Resumes the category's unfinished run if there is one."""
    _require_manage(actor)
    cat = category_or_invalid(code)
    size = max(1, min(batch_size, BATCH))
    run = _start(actor, cat, as_of or today_in_hong_kong(), by_schedule)
    while run.state == ErasureRun.State.RUNNING:
        run = _next_batch(actor, cat, run.pk, size)
    return run


def enabled_categories(tenant_id: uuid.UUID) -> list[str]:
    """Categories with an enabled schedule, and any with an unfinished run (to resume it)."""
    enabled = set(
        RetentionSchedule.objects.for_tenant(tenant_id)
        .filter(enabled=True)
        .values_list("category", flat=True)
    )
    running = set(
        ErasureRun.objects.for_tenant(tenant_id)
        .filter(state=ErasureRun.State.RUNNING)
        .values_list("category", flat=True)
    )
    from harbour.core.erasure import category

    return sorted(code for code in enabled | running if category(code) is not None)


def run_all(actor: Actor, *, by_schedule: bool = False, as_of: dt.date | None = None) -> list[ErasureRun]:
    """One run per enabled schedule of the company ("run now", and the daily job)."""
    _require_manage(actor)
    return [
        run_erasure(actor, code, as_of=as_of, by_schedule=by_schedule)
        for code in enabled_categories(actor.tenant_id)
    ]
