"""Reads of the DingTalk connector: the company's connection, its sync runs and their items, the events
it received and how its links stand. Tenant first, then permission; missing and forbidden both answer
NotFound."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, can
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, MemberLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.permission_codes import VIEW


def _may_view(actor: Actor, action: str = VIEW) -> bool:
    return can(actor, action, Tenant.objects.get(pk=actor.tenant_id))


def get_connection(actor: Actor) -> Connection | None:
    """The company's connection, if there is one and the actor may see it."""
    if not _may_view(actor):
        return None
    return Connection.objects.for_tenant(actor.tenant_id).first()


def get_connection_for(actor: Actor, action: str = VIEW) -> Connection:
    connection = Connection.objects.for_tenant(actor.tenant_id).first()
    if connection is None or not can(actor, action, connection):
        raise NotFound(_("DingTalk is not connected"), field="connection")
    return connection


def runs_for(actor: Actor, connection: Connection) -> QuerySet[SyncRun]:
    if connection.tenant_id != actor.tenant_id or not can(actor, VIEW, connection):
        raise NotFound(_("DingTalk is not connected"), field="connection")
    return (
        SyncRun.objects.for_tenant(actor.tenant_id).filter(connection=connection).select_related("started_by")
    )


def get_run_for(actor: Actor, run_id: uuid.UUID | str) -> SyncRun:
    if not _may_view(actor):
        raise NotFound(_("no such sync run"), field="run_id")
    try:
        return SyncRun.objects.for_tenant(actor.tenant_id).select_related("connection").get(pk=run_id)
    except (SyncRun.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such sync run"), field="run_id") from None


def get_item_for(actor: Actor, item_id: uuid.UUID | str) -> SyncItem:
    if not _may_view(actor):
        raise NotFound(_("no such change"), field="item_id")
    try:
        return (
            SyncItem.objects.for_tenant(actor.tenant_id)
            .select_related("run", "run__connection")
            .get(pk=item_id)
        )
    except (SyncItem.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such change"), field="item_id") from None


def items_of(run: SyncRun, *, outcome: str | None = None, op: str | None = None) -> QuerySet[SyncItem]:
    items = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run).order_by("position")
    if outcome is not None:
        items = items.filter(outcome=outcome)
    if op is not None:
        items = items.filter(op=op)
    return items


def events_for(actor: Actor, connection: Connection) -> QuerySet[CallbackEvent]:
    if connection.tenant_id != actor.tenant_id or not can(actor, VIEW, connection):
        raise NotFound(_("DingTalk is not connected"), field="connection")
    return CallbackEvent.objects.for_tenant(actor.tenant_id).filter(connection=connection)


def link_counts(connection: Connection) -> dict[str, int]:
    """How many DingTalk users stand in each reconciliation situation (users removed from DingTalk count
    as deleted)."""
    counts = {situation.value: 0 for situation in MemberLink.Situation}
    links = MemberLink.objects.for_tenant(connection.tenant_id).filter(connection=connection)
    for row in links.filter(removed_at__isnull=True).values("situation").annotate(n=Count("pk")).order_by():
        counts[row["situation"]] += row["n"]
    counts[MemberLink.Situation.DELETED.value] += (
        links.filter(removed_at__isnull=False).exclude(situation=MemberLink.Situation.DELETED).count()
    )
    return counts
