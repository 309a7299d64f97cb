"""Writes of HR imports: plan a file (the dry run is stored), then apply it — resumably.

Applying walks the planned items in order and records each item's outcome in the same transaction as the
change it makes, so a run killed at any point resumes where it stopped: applied items are skipped, and each
pending one is checked against the account as it is now (a joiner whose address meanwhile has an account is
skipped, not duplicated). Joiners are created in batches (one seat check, one audit entry per batch) and
invited by email.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.errors import Conflict, HarbourError, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.actions.members import resend_invitation
from harbour.directory.models import Department, Member, MemberState
from harbour.lifecycle.diff import Change, compute_diff
from harbour.lifecycle.hr_file import HrRecord, read_hr_file
from harbour.lifecycle.leavers import freeze_leaver
from harbour.lifecycle.models import SyncItem, SyncRun

ERRORS_SHOWN = 20
CREATE_BATCH = 500


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "lifecycle.manage", tenant)
    return tenant


def _record_json(record: HrRecord | None) -> dict[str, Any]:
    if record is None:
        return {}
    data = dataclasses.asdict(record)
    for key in ("hire_date", "end_date"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    if data["department_id"] is not None:
        data["department_id"] = str(data["department_id"])
    return data


def _jsonable(fields: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {name: [plain(a), plain(b)] for name, (a, b) in fields.items()}


@tenant_atomic
def plan_file_import(
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    full_export: bool = False,
    source: str = SyncRun.Source.FILE,
) -> SyncRun:
    """Read and check the file, and store what applying it would change. A bad file changes nothing."""
    tenant = _require_manage(actor)
    read = read_hr_file(tenant, data, filename, mapping=mapping)
    if read.errors:
        shown = "; ".join(
            _("row %(row)d (%(field)s): %(message)s") % {"row": e.row, "field": e.field, "message": e.message}
            for e in read.errors[:ERRORS_SHOWN]
        )
        more = len(read.errors) - ERRORS_SHOWN
        if more > 0:
            shown += " " + _("and %(n)d more") % {"n": more}
        raise Invalid(
            _("the file has errors, nothing was changed: %(errors)s") % {"errors": shown}, field="file"
        )
    diff = compute_diff(tenant, read.records, full_export=full_export)
    run = SyncRun.objects.create(
        tenant_id=tenant.pk,
        source=source,
        filename=filename[:255],
        full_export=full_export,
        counts=diff.counts(),
        started_by=actor if isinstance(actor, Member) else None,
    )
    changes: Sequence[Change] = [*diff.changes, *diff.absent]
    SyncItem.objects.bulk_create(
        [
            SyncItem(
                tenant_id=tenant.pk,
                run=run,
                position=position,
                kind=change.kind,
                row=change.record.row if change.record else None,
                member_id=change.member_id,
                label=change.member_label or (change.record.email if change.record else ""),
                record=_record_json(change.record),
                fields=_jsonable(change.fields),
                reason=change.reason,
                outcome=SyncItem.Outcome.WAITING if change.kind in ("disputed", "unmatched") else "",
            )
            for position, change in enumerate(changes)
        ],
        batch_size=1000,
    )
    record(actor, "hr.import_planned", target=run, after=run.snapshot())
    return run


def apply_run(actor: Actor, run: SyncRun, *, progress: Callable[[int], None] | None = None) -> SyncRun:
    """Apply a planned run (or resume one that stopped); answers it with its outcome counts."""
    tenant = _require_manage(actor)
    if run.tenant_id != tenant.pk:
        raise Invalid(_("no such import"), field="run_id")
    if run.state == SyncRun.State.APPLIED:
        raise Conflict(_("this import was applied already"), field="run_id")
    with tenant_transaction(tenant.pk):
        SyncRun.objects.for_tenant(tenant).filter(pk=run.pk).update(
            state=SyncRun.State.APPLYING, applied_at=run.applied_at or now()
        )
    pending = SyncItem.objects.for_tenant(tenant).filter(run=run, outcome="")
    creates = list(pending.filter(kind="create").order_by("position"))
    for start in range(0, len(creates), CREATE_BATCH):
        _apply_creates(actor, tenant, creates[start : start + CREATE_BATCH])
        if progress:
            progress(len(creates[start : start + CREATE_BATCH]))
    for item in pending.exclude(kind="create").order_by("position").iterator(chunk_size=500):
        _apply_item(actor, tenant, item)
        if progress:
            progress(1)
    return _finish(actor, tenant, run)


def _departments(tenant: Tenant, ids: set[Any]) -> dict[str, Department]:
    return {str(d.pk): d for d in Department.objects.for_tenant(tenant).filter(pk__in=ids)}


@tenant_atomic
def _apply_creates(actor: Actor, tenant: Tenant, items: list[SyncItem]) -> None:
    existing = set(
        Member.objects.for_tenant(tenant)
        .filter(email__in=[i.record.get("email") for i in items if i.record.get("email")])
        .values_list("email", flat=True)
    )
    departments = _departments(
        tenant, {i.record.get("department_id") for i in items if i.record.get("department_id")}
    )
    specs, fresh = [], []
    for item in items:
        data = item.record
        if not data.get("email") or data["email"] in existing:
            item.outcome, item.message = (
                SyncItem.Outcome.SKIPPED,
                _("an account with this address exists now"),
            )
            item.save(update_fields=["outcome", "message", "updated_at"])
            continue
        department = departments.get(str(data.get("department_id")))
        specs.append(
            directory.MemberSpec(
                email=data["email"],
                name=data["name"],
                name_zh=data.get("name_zh", ""),
                employee_number=data.get("employee_number") or None,
                title=data.get("title", ""),
                departments=[department] if department else [],
                hire_date=dt.date.fromisoformat(data["hire_date"]) if data.get("hire_date") else None,
                state=MemberState.INVITED,
            )
        )
        fresh.append(item)
    if not specs:
        return
    directory.bulk_create_members(actor, specs)
    created = {
        m.email: m for m in Member.objects.for_tenant(tenant).filter(email__in=[s.email for s in specs])
    }
    for item in fresh:
        member = created[item.record["email"]]
        resend_invitation(actor, member)
        item.member_id, item.outcome = member.pk, SyncItem.Outcome.APPLIED
    SyncItem.objects.for_tenant(tenant).bulk_update(fresh, ["member_id", "outcome", "updated_at"])


@tenant_atomic
def _apply_item(actor: Actor, tenant: Tenant, item: SyncItem) -> None:
    if item.kind in ("unchanged", "absent", "disputed", "unmatched"):
        waiting = item.kind in ("disputed", "unmatched")
        item.outcome = SyncItem.Outcome.WAITING if waiting else SyncItem.Outcome.SKIPPED
        item.save(update_fields=["outcome", "updated_at"])
        return
    member = Member.objects.for_tenant(tenant).filter(pk=item.member_id).first()
    if member is None:
        item.outcome, item.message = SyncItem.Outcome.SKIPPED, _("the account no longer exists")
        item.save(update_fields=["outcome", "message", "updated_at"])
        return
    try:
        if item.kind == "leave":
            freeze_leaver(actor, member, reason=_("HR: leaver"))
        else:
            directory.update_member(actor, member, **_changes(tenant, item))
    except HarbourError as exc:
        item.outcome, item.message = SyncItem.Outcome.FAILED, exc.message
    else:
        item.outcome = SyncItem.Outcome.APPLIED
    item.save(update_fields=["outcome", "message", "updated_at"])


def _changes(tenant: Tenant, item: SyncItem) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, (_now, after) in item.fields.items():
        if name in ("name", "name_zh", "title", "email", "employee_number"):
            changes[name] = after
        elif name == "hire_date":
            changes[name] = dt.date.fromisoformat(after) if after else None
        elif name == "manager_email":
            changes["manager"] = (
                Member.objects.for_tenant(tenant).filter(email=after).first() if after else None
            )
        elif name == "department":
            department = Department.objects.for_tenant(tenant).filter(pk=after).first()
            changes["departments"] = [department] if department else []
    return changes


@tenant_atomic
def _finish(actor: Actor, tenant: Tenant, run: SyncRun) -> SyncRun:
    items = SyncItem.objects.for_tenant(tenant).filter(run=run)
    outcomes: dict[str, int] = {}
    for outcome in items.values_list("outcome", flat=True):
        outcomes[outcome or "pending"] = outcomes.get(outcome or "pending", 0) + 1
    run = SyncRun.objects.for_tenant(tenant).select_for_update().get(pk=run.pk)
    before = run.snapshot()
    run.state = SyncRun.State.APPLIED
    run.finished_at = now()
    run.counts = {**run.counts, "outcomes": outcomes}
    run.save(update_fields=["state", "finished_at", "counts", "updated_at"])
    record(actor, "hr.import_applied", target=run, before=before, after=run.snapshot())
    return run


def apply_in_background(actor: Member, run: SyncRun) -> None:
    """Queue the run for the worker (after the commit); its Job row links it to the company."""
    from django.db import transaction

    from harbour.lifecycle.tasks import apply_import_task

    _require_manage(actor)
    if run.state == SyncRun.State.APPLIED:
        raise Conflict(_("this import was applied already"), field="run_id")
    tenant_id, run_id, member_id = str(run.tenant_id), str(run.pk), str(actor.pk)
    transaction.on_commit(
        lambda: apply_import_task.enqueue(tenant_id=tenant_id, run_id=run_id, member_id=member_id)
    )
