"""Background tasks of the DingTalk sync: apply a run, remove a leaver at once, and the periodic cycle.
Each takes ids, calls the actions and may run twice (a second run finds nothing left to do)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import now


@task()
def apply_run_task(tenant_id: str, run_id: str, member_id: str = "") -> dict[str, Any]:
    """Apply (or resume) a planned run for the member who asked; their rights are checked again now."""
    from harbour.core.permissions import Actor, SystemActor
    from harbour.directory.models import Member
    from harbour.integrations.dingtalk.actions.sync import apply_run
    from harbour.integrations.dingtalk.models import SyncItem, SyncRun

    company = uuid.UUID(tenant_id)
    run = SyncRun.objects.for_tenant(company).select_related("connection").get(pk=run_id)
    pending = SyncItem.objects.for_tenant(company).filter(run=run, outcome="")
    if run.state == SyncRun.State.SUPERSEDED or not pending.exists():
        return {"state": run.state, "counts": run.counts}
    actor: Actor = (
        Member.objects.for_tenant(company).get(pk=member_id)
        if member_id
        else SystemActor(company, "DingTalk")
    )
    run = apply_run(actor, run)
    return {"state": run.state, "outcomes": run.counts.get("outcomes", {}), "error": run.error}


@task()
def remove_leaver_task(tenant_id: str, member_id: str) -> dict[str, Any]:
    """A leaver is removed from DingTalk at once (leaver mode "at once")."""
    from harbour.directory.models import Member
    from harbour.integrations.dingtalk.actions.sync import remove_leaver_now
    from harbour.integrations.dingtalk.models import Connection

    company = uuid.UUID(tenant_id)
    connection = Connection.objects.for_tenant(company).first()
    member = Member.objects.for_tenant(company).filter(pk=member_id).first()
    if connection is None or member is None:
        return {"removed": False}
    run = remove_leaver_now(connection, member)
    if run is None:
        return {"removed": False}
    return {"removed": run.state == run.State.APPLIED, "run": str(run.pk), "error": run.error}


def due_connections(at: dt.datetime | None = None) -> list[Any]:
    """Adopted connections whose sync interval has passed since their last cycle (0: never by itself)."""
    from harbour.integrations.dingtalk.models import Connection

    at = at or now()
    rows = [
        row
        for qs in Connection.objects.in_every_database()
        for row in qs.filter(state=Connection.State.ADOPTED, sync_interval_minutes__gt=0)
    ]
    return [
        connection
        for connection in home_rows(rows)
        if connection.last_cycle_at is None
        or connection.last_cycle_at + dt.timedelta(minutes=connection.sync_interval_minutes) <= at
    ]


@task(queue_name="maintenance")
def run_sync_cycles_task() -> dict[str, Any]:
    """Every few minutes: each connection whose interval has passed plans and applies a sync."""
    from harbour.integrations.dingtalk.actions.sync import run_cycle

    done: dict[str, str] = {}
    for connection in due_connections():
        run = run_cycle(connection)
        done[str(connection.tenant_id)] = run.state if run is not None else "skipped"
    return {"cycles": done}
