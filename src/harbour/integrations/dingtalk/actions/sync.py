"""Writes of the DingTalk sync: plan an adoption or a sync (the dry run is stored), apply it (or resume it),
settle what waits for a person, remove a leaver at once, run the periodic cycle, and take DingTalk's events.

People act with "dingtalk.manage"; events, the leaver removal and the cycle act as the system, labelled so
the operation log says where a change came from.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Conflict, Invalid, NotFound
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member, MemberState
from harbour.integrations.dingtalk.client import DingTalkClient, DingTalkError
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, MemberLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.permission_codes import MANAGE
from harbour.integrations.dingtalk.sync import adopt, events, plan
from harbour.integrations.dingtalk.sync.apply import apply_pending
from harbour.integrations.dingtalk.sync.clients import client_for
from harbour.integrations.dingtalk.sync.context import Applying
from harbour.integrations.dingtalk.sync.items import Op, Outcome, Plan, Planned, store_plan
from harbour.integrations.dingtalk.sync.matching import open_departures
from harbour.integrations.dingtalk.sync.missed_leavers import reflect_missed_leavers
from harbour.integrations.dingtalk.sync.snapshot import Snapshot, read_directory
from harbour.integrations.dingtalk.sync.to_harbour import apply_decision

DECIDABLE = (Op.DISPUTED, Op.CANNOT_ADOPT)


def _require_manage(actor: Actor, connection: Connection) -> None:
    if connection.tenant_id != actor.tenant_id:
        raise NotFound(_("no such DingTalk connection"), field="connection_id")
    require_permission(actor, MANAGE, connection)


def _read(client: DingTalkClient) -> Snapshot:
    try:
        return read_directory(client)
    except DingTalkError as exc:
        raise Conflict(
            _("DingTalk could not be read: %(why)s (code %(code)s)")
            % {"why": exc.explanation, "code": exc.code},
            field="connection",
        ) from exc


def _store(
    actor: Actor, connection: Connection, kind: str, trigger: str, planned: Plan, client: DingTalkClient
) -> SyncRun:
    with tenant_transaction(connection.tenant_id):
        SyncRun.objects.for_tenant(connection.tenant_id).filter(
            connection=connection, kind=kind, state=SyncRun.State.PLANNED
        ).update(state=SyncRun.State.SUPERSEDED, updated_at=now())
        run = store_plan(actor, connection, kind, trigger, planned, planned.items)
        run.api_calls, run.throttled = client.stats.calls, client.stats.throttled
        run.save(update_fields=["api_calls", "throttled"])
        kind_name = "dingtalk.adoption_planned" if kind == SyncRun.Kind.ADOPT else "dingtalk.sync_planned"
        record(actor, kind_name, target=run, after=run.snapshot())
    return run


def plan_adoption(actor: Actor, connection: Connection, *, client: DingTalkClient | None = None) -> SyncRun:
    """Read the DingTalk directory and store what adopting it would do (nothing changes yet)."""
    _require_manage(actor, connection)
    client = client or client_for(connection)
    snapshot = _read(client)
    planned = adopt.plan_adoption(connection, snapshot)
    return _store(actor, connection, SyncRun.Kind.ADOPT, SyncRun.Trigger.MANUAL, planned, client)


def plan_sync(
    actor: Actor,
    connection: Connection,
    *,
    trigger: str = SyncRun.Trigger.MANUAL,
    client: DingTalkClient | None = None,
) -> SyncRun:
    """Compare Harbour with what DingTalk holds now and store the changes that would bring DingTalk in step
    (the dry run)."""
    _require_manage(actor, connection)
    if trigger not in SyncRun.Trigger.values:
        raise Invalid(_("unknown trigger %(trigger)r") % {"trigger": trigger}, field="trigger")
    if connection.state == Connection.State.NEW:
        raise Conflict(_("adopt the DingTalk directory first"), field="connection")
    client = client or client_for(connection)
    snapshot = _read(client)
    reflect_missed_leavers(connection, snapshot, client)
    planned = plan.plan_sync(connection, snapshot, client)
    return _store(actor, connection, SyncRun.Kind.SYNC, trigger, planned, client)


def apply_run(
    actor: Actor,
    run: SyncRun,
    *,
    progress: Callable[[int], None] | None = None,
    client: DingTalkClient | None = None,
) -> SyncRun:
    """Apply a planned run, or resume one that stopped (also: apply what was confirmed since)."""
    connection = run.connection
    _require_manage(actor, connection)
    if run.state == SyncRun.State.SUPERSEDED:
        raise Conflict(_("a newer plan replaced this one; apply that one"), field="run_id")
    pending = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run, outcome=Outcome.PENDING)
    if run.state == SyncRun.State.APPLIED and not pending.exists():
        raise Conflict(_("this plan was applied already"), field="run_id")
    return apply_pending(actor, run, client=client, progress=progress)


def apply_in_background(actor: Actor, run: SyncRun) -> None:
    """Apply the run in the worker (rights are checked now, and again when it runs)."""
    from harbour.integrations.dingtalk.tasks import apply_run_task

    _require_manage(actor, run.connection)
    if run.state == SyncRun.State.SUPERSEDED:
        raise Conflict(_("a newer plan replaced this one; apply that one"), field="run_id")
    tenant_id, run_id = str(run.tenant_id), str(run.pk)
    member_id = str(actor.actor_id) if isinstance(actor, Member) else ""
    transaction.on_commit(
        lambda: apply_run_task.enqueue(tenant_id=tenant_id, run_id=run_id, member_id=member_id)
    )


def _waiting(item: SyncItem, ops: tuple[str, ...] | None = None) -> None:
    if item.outcome != Outcome.WAITING or (ops is not None and item.op not in ops):
        raise Conflict(_("this change is not waiting for a decision"), field="item_id")


def decide_item(actor: Actor, item: SyncItem, member: Member | None) -> SyncItem:
    """A person settles a disputed or unadoptable DingTalk user: it is ``member`` (linked at once), or none
    of the accounts (set aside; DingTalk keeps the user)."""
    run = item.run
    _require_manage(actor, run.connection)
    _waiting(item, DECIDABLE)
    if member is not None:
        if member.tenant_id != actor.tenant_id:
            raise Invalid(_("no such account"), field="member_id")
        if item.op == Op.DISPUTED and str(member.pk) not in {str(c) for c in item.candidates}:
            raise Invalid(_("choose one of the accounts the dispute names"), field="member_id")
    with tenant_transaction(actor.tenant_id):
        before = item.snapshot()
        item.member_id = member.pk if member is not None else None
        item.confirmed_by = actor if isinstance(actor, Member) else None
        item.confirmed_at = now()
        item.save(update_fields=["member_id", "confirmed_by", "confirmed_at", "updated_at"])
        apply_decision(Applying(actor, run, run.connection), item)
        record(
            actor,
            "dingtalk.adoption_decided",
            target=item,
            before=before,
            after=item.snapshot(),
            member_id=str(member.pk) if member is not None else None,
        )
    return item


def confirm_item(actor: Actor, item: SyncItem) -> SyncItem:
    """Allow an irreversible change (a delete in DingTalk): it is applied with the run's next apply."""
    _require_manage(actor, item.run.connection)
    _waiting(item)
    if not item.needs_confirmation:
        raise Conflict(_("this change needs no confirmation"), field="item_id")
    with tenant_transaction(actor.tenant_id):
        before = item.snapshot()
        item.outcome = Outcome.PENDING
        item.confirmed_by = actor if isinstance(actor, Member) else None
        item.confirmed_at = now()
        item.save(update_fields=["outcome", "confirmed_by", "confirmed_at", "updated_at"])
        record(actor, "dingtalk.item_confirmed", target=item, before=before, after=item.snapshot())
    return item


def skip_item(actor: Actor, item: SyncItem) -> SyncItem:
    """Set a change aside: it is not applied (a disputed user stays disputed)."""
    _require_manage(actor, item.run.connection)
    if item.outcome not in (Outcome.PENDING, Outcome.WAITING):
        raise Conflict(_("this change was applied or set aside already"), field="item_id")
    with tenant_transaction(actor.tenant_id):
        before = item.snapshot()
        item.outcome = Outcome.SKIPPED
        item.message = _("set aside by %(who)s") % {"who": actor.actor_label}
        item.save(update_fields=["outcome", "message", "updated_at"])
        record(actor, "dingtalk.item_skipped", target=item, before=before, after=item.snapshot())
    return item


def remove_leaver_now(connection: Connection, member: Member) -> SyncRun | None:
    """A leaver goes from DingTalk at once (leaver mode "at once"): a one-item run, applied now. Nothing
    to do (not linked, already removed, not a leaver after all) answers None."""
    if connection.state != Connection.State.ADOPTED or member.tenant_id != connection.tenant_id:
        return None
    leaving = member.state == MemberState.DEACTIVATED or member.pk in open_departures(member.tenant_id)
    link = (
        MemberLink.objects.for_tenant(connection.tenant_id)
        .filter(member=member, removed_at__isnull=True, situation=MemberLink.Situation.LINKED)
        .first()
    )
    if not leaving or link is None:
        return None
    system = SystemActor(connection.tenant_id, "DingTalk leaver removal")
    removal = Planned(
        Op.DELETE_USER,
        f"{member.name} <{member.email}>",
        member_id=member.pk,
        userid=link.userid,
        reason=_("left the company"),
    )
    with tenant_transaction(connection.tenant_id):
        run = store_plan(
            system, connection, SyncRun.Kind.SYNC, SyncRun.Trigger.LEAVER, Plan(items=[removal]), [removal]
        )
    run = apply_pending(system, run)
    with tenant_transaction(connection.tenant_id):
        record(
            system,
            "dingtalk.leaver_removed",
            target=member,
            userid=link.userid,
            outcome=run.counts.get("outcomes", {}),
            error=run.error,
        )
    return run


def run_cycle(connection: Connection, *, client: DingTalkClient | None = None) -> SyncRun | None:
    """The periodic sync: plan, then apply what needs nobody's confirmation (deletes keep waiting). A
    DingTalk that cannot be read leaves a failed run saying why."""
    if connection.state != Connection.State.ADOPTED:
        return None
    system = SystemActor(connection.tenant_id, "DingTalk sync cycle")
    client = client or client_for(connection)
    try:
        run = plan_sync(system, connection, trigger=SyncRun.Trigger.SCHEDULE, client=client)
    except Conflict as exc:
        with tenant_transaction(connection.tenant_id):
            run = SyncRun.objects.create(
                tenant_id=connection.tenant_id,
                connection=connection,
                kind=SyncRun.Kind.SYNC,
                trigger=SyncRun.Trigger.SCHEDULE,
                state=SyncRun.State.FAILED,
                error=exc.message[:500],
                finished_at=now(),
            )
            _cycled(connection)
        return run
    run = apply_pending(system, run, client=client)
    with tenant_transaction(connection.tenant_id):
        _cycled(connection)
    return run


def _cycled(connection: Connection) -> None:
    connection.last_cycle_at = now()
    Connection.objects.for_tenant(connection.tenant_id).filter(pk=connection.pk).update(
        last_cycle_at=connection.last_cycle_at
    )


def handle_event(connection: Connection, envelope: dict[str, object], *, digest: str) -> CallbackEvent:
    """A decrypted DingTalk push, once (a replay answers the event already recorded)."""
    return events.handle_event(connection, envelope, digest=digest)
