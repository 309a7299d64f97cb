"""Applying a run: its pending items in order, each DingTalk call followed at once by one transaction that
records the item's outcome and the links it made true — so a run killed at any point (kill -9 included)
resumes where it stopped, and an item whose call went through but whose outcome was lost is recognised on
the retry (a create answered "already exists" is looked up and compared, a delete answered "not found" is
done).

A DingTalk refusal fails its item (code and explanation kept) and the run goes on with the next one; bad
credentials, a missing API permission or a used-up quota stop the run, since every later call would fail
the same way. Parent departments and member departments are resolved through the links when the item is
applied, so a child created after its parent in the same run finds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.utils.translation import gettext as _

from harbour.core.databases import tenant_transaction
from harbour.core.errors import HarbourError
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.integrations.dingtalk.client import (
    CredentialsInvalid,
    DingTalkClient,
    DingTalkError,
    NoPermission,
    QuotaExceeded,
)
from harbour.integrations.dingtalk.models import Connection, SyncItem, SyncRun
from harbour.integrations.dingtalk.sync import lease, to_dingtalk, to_harbour
from harbour.integrations.dingtalk.sync.context import Applying, NotReady, settle
from harbour.integrations.dingtalk.sync.items import Outcome

STOPPING = (CredentialsInvalid, NoPermission, QuotaExceeded)
BATCH = 100
HANDLERS: dict[str, Callable[[Applying, SyncItem], None]] = {**to_dingtalk.HANDLERS, **to_harbour.HANDLERS}


def apply_pending(
    actor: Actor,
    run: SyncRun,
    *,
    client: DingTalkClient | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyncRun:
    """Apply every pending item of ``run`` (items waiting for a person stay waiting); answers the run."""
    connection = run.connection
    lease.take(run)
    try:
        return _apply_pending(actor, run, connection, client, progress)
    finally:
        lease.release(run)


def _apply_pending(
    actor: Actor,
    run: SyncRun,
    connection: Connection,
    client: DingTalkClient | None,
    progress: Callable[[int], None] | None,
) -> SyncRun:
    ctx = Applying(actor, run, connection, client)
    if client is not None:
        ctx.stats_at_start = (client.stats.calls, client.stats.throttled)
    with tenant_transaction(run.tenant_id):
        SyncRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk).update(
            state=SyncRun.State.APPLYING, applied_at=run.applied_at or now(), error="", updated_at=now()
        )
        if run.kind == SyncRun.Kind.ADOPT:
            to_harbour.note_waiting(connection, run)
    stopped: DingTalkError | None = None
    items = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run, outcome=Outcome.PENDING)
    last = -1
    while not stopped and (batch := list(items.filter(position__gt=last).order_by("position")[:BATCH])):
        lease.beat(run)
        for item in batch:
            last = item.position
            try:
                apply_item(ctx, item)
            except STOPPING as exc:
                stopped = exc
                _attempted(item)
                break
            if progress is not None:
                progress(1)
    return _finish(ctx, stopped)


def apply_item(ctx: Applying, item: SyncItem) -> None:
    """One item: its DingTalk call (if any), then its outcome and links in one transaction."""
    handler = HANDLERS.get(item.op)
    try:
        if handler is None:
            raise NotReady(_("nothing to apply for this kind of change"))
        handler(ctx, item)
    except STOPPING:
        raise
    except DingTalkError as exc:
        settle(ctx, item, Outcome.FAILED, str(exc.explanation), code=exc.code)
    except HarbourError as exc:
        settle(ctx, item, Outcome.FAILED, exc.message)
    except NotReady as exc:
        settle(ctx, item, Outcome.FAILED, str(exc))


def _attempted(item: SyncItem) -> None:
    SyncItem.objects.for_tenant(item.tenant_id).filter(pk=item.pk).update(attempts=item.attempts + 1)


def _finish(ctx: Applying, stopped: DingTalkError | None) -> SyncRun:
    from harbour.audit.actions import record

    run = ctx.run
    calls, throttled = ctx.calls()
    outcomes = Counter(
        SyncItem.objects.for_tenant(run.tenant_id).filter(run=run).values_list("outcome", flat=True)
    )
    with tenant_transaction(run.tenant_id):
        run.refresh_from_db()
        before = run.snapshot()
        run.counts = {**run.counts, "outcomes": {(k or "pending"): n for k, n in outcomes.items()}}
        run.api_calls += calls
        run.throttled += throttled
        run.finished_at = now()
        run.applier = ""
        if stopped is not None:
            run.state = SyncRun.State.FAILED
            run.error = f"{stopped.code}: {stopped.explanation}"[:500]
        else:
            run.state, run.error = SyncRun.State.APPLIED, ""
        run.save()
        if stopped is None and run.kind == SyncRun.Kind.ADOPT:
            to_harbour.mark_adopted(ctx.connection)
        record(ctx.actor, "dingtalk.sync_applied", target=run, before=before, after=run.snapshot())
    return run
