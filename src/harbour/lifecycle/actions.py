"""Writes of HR imports: plan a file (the dry run is stored), then apply it — resumably.

Applying walks the planned items in order and records each item's outcome in the same transaction as the
change it makes, so a run killed at any point resumes where it stopped: applied items are skipped, and each
pending one is checked against the account as it is now (a joiner whose address meanwhile has an account is
skipped, not duplicated). Joiners are created in batches (one seat check, one audit entry per batch) and
invited by email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.bulk import insert_rows, update_rows
from harbour.core.databases import database_for, tenant_atomic, tenant_transaction
from harbour.core.errors import Conflict, HarbourError, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import Department, Member, MemberState
from harbour.directory.queries import attach_places
from harbour.lifecycle.diff import Change, compute_diff, record_data
from harbour.lifecycle.hr_file import HrRecord, read_hr_file
from harbour.lifecycle.leavers import freeze_leaver
from harbour.lifecycle.links import external_id_of, remember
from harbour.lifecycle.models import RoleRule, SourceLink, SyncItem, SyncRun
from harbour.lifecycle.rules import (
    Move,
    RunContext,
    grant_joiners,
    recompute_after_move,
    recompute_after_moves,
)

ERRORS_SHOWN = 20
# Joiners are created in groups of one transaction each: large groups write each index page once for many
# rows, small ones lose less to a crash. A twentieth of the joiners, between these bounds.
CREATE_GROUP_MIN, CREATE_GROUP_MAX = 250, 5000
SET_ASIDE = ("unchanged", "absent")
# What applying a joiner never reads of its item (the changes and candidates are a dry run's, the stamps
# are written, not read): left in the database, which saves decoding them for every joiner.
CREATE_UNREAD = ("fields", "candidates", "created_at", "updated_at")
SET_ASIDE_BATCH = 2000
CHANGE_BATCH = 100


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "lifecycle.manage", tenant)
    return tenant


def _record_json(record: HrRecord | None) -> dict[str, Any]:
    return {"row": record.row, **record_data(record)} if record is not None else {}


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
    events: bool = False,
    reconcile: bool = False,
) -> SyncRun:
    """Read and check the file, and store what applying it would change. A bad file changes nothing.
    ``events``: the rows are single HR events, not a whole export (nobody is listed as absent);
    ``reconcile``: compare every record with its account, even those HR has not changed since."""
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
    return plan_records(
        actor,
        read.records,
        filename=filename,
        full_export=full_export,
        source=source,
        events=events,
        reconcile=reconcile,
    )


@tenant_atomic
def plan_records(
    actor: Actor,
    records: Sequence[HrRecord],
    *,
    filename: str = "",
    full_export: bool = False,
    source: str = SyncRun.Source.FILE,
    events: bool = False,
    reconcile: bool = False,
) -> SyncRun:
    """Store what applying these (checked) records would change: the dry run."""
    tenant = _require_manage(actor)
    diff = compute_diff(
        tenant, records, full_export=full_export, source=source, events=events, reconcile=reconcile
    )
    run = SyncRun.objects.create(
        tenant_id=tenant.pk,
        source=source,
        filename=filename[:255],
        full_export=full_export,
        counts=diff.counts(),
        started_by=actor if isinstance(actor, Member) else None,
    )
    # An unchanged record already linked to its account asks nothing of the apply: it is counted, not
    # stored, so a run over a large, mostly unchanged export stays small.
    changes: Sequence[Change] = [
        change
        for change in [*diff.changes, *diff.absent]
        if not (change.kind == "unchanged" and change.situation == SourceLink.Situation.LINKED)
    ]
    insert_rows(
        SyncItem,
        [
            {
                "tenant_id": tenant.pk,
                "run_id": run.pk,
                "position": position,
                "kind": change.kind,
                "row": change.record.row if change.record else None,
                "member_id": change.member_id,
                "label": change.member_label or (change.record.email if change.record else ""),
                "record": _record_json(change.record),
                "fields": _jsonable(change.fields),
                "reason": change.reason,
                "situation": str(change.situation),
                "candidates": change.candidates,
                "outcome": SyncItem.Outcome.WAITING if change.kind in ("disputed", "unmatched") else "",
                "message": "",
            }
            for position, change in enumerate(changes)
        ],
        using=database_for(tenant.pk),
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
    context = RunContext.of(tenant.pk)
    creates = list(pending.filter(kind="create").order_by("position").defer(*CREATE_UNREAD))
    group = max(CREATE_GROUP_MIN, min(CREATE_GROUP_MAX, len(creates) // 20))
    for start in range(0, len(creates), group):
        _apply_creates(actor, tenant, run, creates[start : start + group], context.rules)
        if progress:
            progress(len(creates[start : start + group]))
    while batch := list(pending.filter(kind__in=SET_ASIDE).order_by("position")[:SET_ASIDE_BATCH]):
        _set_aside(tenant, run, batch)
        if progress:
            progress(len(batch))
    waiting = SyncItem.objects.for_tenant(tenant).filter(run=run, outcome=SyncItem.Outcome.WAITING)
    for start in range(0, waiting.count(), SET_ASIDE_BATCH):  # disputed and unmatched: links only
        with tenant_transaction(tenant.pk):
            remember(run, list(waiting.order_by("position")[start : start + SET_ASIDE_BATCH]))
    # Changes commit in groups (each item in its own savepoint, so a refused one leaves the others): a
    # crash loses at most the group in progress, whose items are still pending and are redone on resume.
    while batch := list(pending.exclude(kind="create").order_by("position")[:CHANGE_BATCH]):
        _apply_changes(actor, tenant, run, batch, context)
        if progress:
            progress(len(batch))
    return _finish(actor, tenant, run)


@tenant_atomic
def _apply_changes(
    actor: Actor, tenant: Tenant, run: SyncRun, items: list[SyncItem], context: RunContext
) -> None:
    """One group of changes, in one transaction: updates and movers together in a few statements (a refused
    one is marked failed, the others applied), leavers one by one; then the outcomes and links in bulk.
    Should the bulk path be refused part-way (a rule's revocation refused, say), its changes are redone one
    by one, each in its own savepoint, so a refused one leaves the others."""
    members = {m.pk: m for m in Member.objects.for_tenant(tenant).filter(pk__in={i.member_id for i in items})}
    edits = [i for i in items if i.kind != "leave" and i.member_id in members]
    try:
        with tenant_transaction(tenant.pk):
            _apply_edits(actor, tenant, edits, members, context)
        one_by_one = [i for i in items if i.kind == "leave" or i.member_id not in members]
    except HarbourError:
        members = {
            m.pk: m for m in Member.objects.for_tenant(tenant).filter(pk__in={i.member_id for i in items})
        }
        one_by_one = items
    for item in one_by_one:
        member = members.get(item.member_id)
        if member is None:
            item.outcome, item.message = SyncItem.Outcome.SKIPPED, _("the account no longer exists")
            continue
        try:
            with tenant_transaction(tenant.pk):  # a refused change leaves no part of it behind
                item.message = _apply_change(actor, tenant, item, member, context)
        except HarbourError as exc:
            item.outcome, item.message = SyncItem.Outcome.FAILED, exc.message
        else:
            item.outcome = SyncItem.Outcome.APPLIED
    update_rows(
        SyncItem,
        [{"pk": item.pk, "outcome": item.outcome, "message": item.message} for item in items],
        using=database_for(tenant.pk),
    )
    remember(run, items)


def _apply_edits(
    actor: Actor, tenant: Tenant, items: list[SyncItem], members: dict[Any, Member], context: RunContext
) -> None:
    """Updates and movers in bulk: the departments and managers they name read once, the accounts written
    by ``update_members``, the role rules recomputed by ``recompute_after_moves``."""
    if not items:
        return
    department_ids = {item.fields["department"][1] for item in items if "department" in item.fields}
    departments = _departments(tenant, department_ids) if department_ids else {}
    manager_emails = {item.fields["manager_email"][1] for item in items if item.fields.get("manager_email")}
    managers = (
        {
            m.email: m
            for m in Member.objects.for_tenant(tenant).filter(email__in=[e for e in manager_emails if e])
        }
        if manager_emails
        else {}
    )
    edited = [members[item.member_id] for item in items]
    attach_places(edited, tenant.pk)
    before = {member.pk: set(member.department_ids()) for member in edited}
    edits = [
        directory.MemberEdit(members[item.member_id], _changes(item, departments, managers)) for item in items
    ]
    directory.update_members(actor, edits)
    recomputed: list[tuple[SyncItem, Member]] = []
    for item, edit in zip(items, edits, strict=True):
        if edit.error is not None:
            item.outcome, item.message = SyncItem.Outcome.FAILED, edit.error.message
            continue
        item.outcome, item.message = SyncItem.Outcome.APPLIED, ""
        if item.kind == "move" or "title" in item.fields:
            recomputed.append((item, edit.member))
    current = _departments(tenant, {place.department_id for _i, m in recomputed for place in m.places()})
    moves = [
        Move(member, before[member.pk], [current[str(p.department_id)] for p in member.places()])
        for _item, member in recomputed
    ]
    changed = recompute_after_moves(actor, moves, context=context)
    for item, member in recomputed:
        item.message = _rights_message(changed[member.pk])


def _rights_message(changed: dict[str, list[str]]) -> str:
    parts = []
    if changed["removed"]:
        parts.append(_("rights removed: %(roles)s") % {"roles": ", ".join(changed["removed"])})
    if changed["added"]:
        parts.append(_("rights given: %(roles)s") % {"roles": ", ".join(changed["added"])})
    return "; ".join(parts)


@tenant_atomic
def _set_aside(tenant: Tenant, run: SyncRun, items: list[SyncItem]) -> None:
    """Records that change nothing (unchanged, absent): marked skipped, their links confirmed, in bulk."""
    for item in items:
        item.outcome = SyncItem.Outcome.SKIPPED
    SyncItem.objects.for_tenant(tenant).filter(pk__in=[item.pk for item in items]).update(
        outcome=SyncItem.Outcome.SKIPPED, updated_at=now()
    )
    remember(run, items)


def _departments(tenant: Tenant, ids: set[Any]) -> dict[str, Department]:
    return {str(d.pk): d for d in Department.objects.for_tenant(tenant).filter(pk__in=ids)}


@tenant_atomic
def _apply_creates(
    actor: Actor, tenant: Tenant, run: SyncRun, items: list[SyncItem], rules: list[RoleRule]
) -> None:
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
    created = directory.bulk_create_members(actor, specs) if specs else []
    joiners = []
    for item, spec, member in zip(fresh, specs, created, strict=True):
        joiners.append((member, list(spec.departments)))
        item.member_id, item.outcome = member.pk, SyncItem.Outcome.APPLIED
    if joiners:
        directory.send_invitations(actor, [member for member, _d in joiners])
        grant_joiners(actor, joiners, rules=rules)
    update_rows(
        SyncItem,
        [{"pk": item.pk, "member_id": item.member_id, "outcome": item.outcome} for item in fresh],
        using=database_for(tenant.pk),
    )
    remember(run, items)


def _apply_change(actor: Actor, tenant: Tenant, item: SyncItem, member: Member, context: RunContext) -> str:
    """Make one planned change; answers what the role rules changed, for the report."""
    if item.kind == "leave":
        freeze_leaver(actor, member, reason=_("HR: leaver"))
        return ""
    before = set(member.department_ids())
    department_ids = {item.fields["department"][1]} if "department" in item.fields else set()
    manager_email = item.fields.get("manager_email", [None, None])[1]
    managers = (
        {m.email: m for m in Member.objects.for_tenant(tenant).filter(email=manager_email)}
        if manager_email
        else {}
    )
    changes = _changes(item, _departments(tenant, department_ids) if department_ids else {}, managers)
    directory.update_member(actor, member, **changes)  # the member object now holds the new values
    if item.kind == "move" or "title" in item.fields:
        member.forget_access()
        changed = recompute_after_move(
            actor, member, left=before, context=context, departments=changes.get("departments")
        )
        return _rights_message(changed)
    return ""


def _changes(
    item: SyncItem, departments: dict[str, Department], managers: dict[str, Member]
) -> dict[str, Any]:
    """The update an item asks for, with the departments and managers it names already read."""
    changes: dict[str, Any] = {}
    for name, (_now, after) in item.fields.items():
        if name in ("name", "name_zh", "title", "email", "employee_number"):
            changes[name] = after
        elif name == "hire_date":
            changes[name] = dt.date.fromisoformat(after) if after else None
        elif name == "manager_email":
            changes["manager"] = managers.get(after) if after else None
        elif name == "department":
            department = departments.get(str(after))
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


@tenant_atomic
def decide_disputed(actor: Actor, item: SyncItem, member: Member | None) -> SyncItem:
    """A person settles a disputed record: it belongs to ``member`` (one of the candidates) — the record is
    linked and its other changes applied — or, with ``None``, to no account here (it stays ignored). The
    decision is kept on the link, so later runs follow it."""
    tenant = _require_manage(actor)
    item = SyncItem.objects.for_tenant(tenant).select_for_update().get(pk=item.pk)
    if item.kind != "disputed" or item.outcome != SyncItem.Outcome.WAITING:
        raise Conflict(_("this record is not waiting for a decision"), field="item_id")
    if member is not None and str(member.pk) not in item.candidates:
        raise Invalid(_("choose one of the accounts the record points at"), field="member_id")
    run = item.run
    key = external_id_of(item.record)
    link, _created = SourceLink.objects.for_tenant(tenant).get_or_create(
        tenant_id=tenant.pk,
        source=run.source,
        external_id=key,
        defaults={"situation": SourceLink.Situation.DISPUTED, "record": item.record},
    )
    before = link.snapshot()
    link.decided_by = actor if isinstance(actor, Member) else None
    link.decided_at = now()
    link.last_run = run
    if member is None:
        link.member, link.situation = None, SourceLink.Situation.UNMATCHED
        link.reason = _("a person decided this record has no account here")
        item.outcome, item.message = SyncItem.Outcome.SKIPPED, link.reason
    else:
        link.member, link.situation = member, SourceLink.Situation.LINKED
        link.reason = _("a person linked this record to %(name)s") % {"name": member.name}
        item.member_id, item.message = member.pk, link.reason
        _apply_decided(actor, tenant, item, member)
    link.save()
    item.save(update_fields=["member_id", "outcome", "message", "updated_at"])
    record(actor, "hr.dispute_decided", target=link, before=before, after=link.snapshot(), run=str(run.pk))
    return item


def _apply_decided(actor: Actor, tenant: Tenant, item: SyncItem, member: Member) -> None:
    """Apply what the record says to the chosen account, leaving out a number or address another account
    holds (those stay as they are and the message says so)."""
    data = item.record
    taken = Member.objects.for_tenant(tenant).exclude(pk=member.pk)
    changes: dict[str, Any] = {}
    kept: list[str] = []
    for name in ("name", "name_zh", "title"):
        if data.get(name) and data[name] != getattr(member, name):
            changes[name] = data[name]
    number = data.get("employee_number") or ""
    if number and number != member.employee_number:
        if taken.filter(employee_number=number).exists():
            kept.append(_("employee number %(n)s (another account has it)") % {"n": number})
        else:
            changes["employee_number"] = number
    email = data.get("email") or ""
    if email and email != member.email:
        if taken.filter(email=email).exists():
            kept.append(_("address %(e)s (another account has it)") % {"e": email})
        else:
            changes["email"] = email
    department = None
    if data.get("department_id"):
        department = Department.objects.for_tenant(tenant).filter(pk=data["department_id"]).first()
    before = set(member.department_ids())
    if department is not None and department.pk not in before:
        changes["departments"] = [department]
    try:
        if changes:
            directory.update_member(actor, member, **changes)
        if "departments" in changes or "title" in changes:
            member.refresh_from_db()
            member.forget_access()
            recompute_after_move(actor, member, left=before)
    except HarbourError as exc:
        raise Invalid(exc.message, field="member_id") from exc
    item.outcome = SyncItem.Outcome.APPLIED
    if kept:
        item.message = f"{item.message}; " + _("not changed: %(what)s") % {"what": ", ".join(kept)}
