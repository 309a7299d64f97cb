"""Reads of account lifecycle: HR import runs and their items, reconciliation links, role rules, webhooks."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.directory.models import Member
from harbour.lifecycle.links import people_links
from harbour.lifecycle.models import HrWebhook, RoleRule, SourceLink, SyncItem, SyncRun


def runs_for(actor: Actor) -> QuerySet[SyncRun]:
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    return SyncRun.objects.for_tenant(actor.tenant_id).select_related("started_by")


def get_run_for(actor: Actor, run_id: uuid.UUID | str) -> SyncRun:
    try:
        return runs_for(actor).get(pk=run_id)
    except (SyncRun.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such import"), field="run_id") from None


def items_of(run: SyncRun, kind: str | None = None) -> QuerySet[SyncItem]:
    items = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run)
    return items.filter(kind=kind) if kind else items


def get_item_for(actor: Actor, run: SyncRun, item_id: uuid.UUID | str) -> SyncItem:
    try:
        return items_of(run).get(pk=item_id)
    except (SyncItem.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such change"), field="item_id") from None


def links_for(
    actor: Actor, *, source: str | None = None, situation: str | None = None
) -> QuerySet[SourceLink]:
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    links = people_links(SourceLink.objects.for_tenant(actor.tenant_id)).select_related(
        "member", "decided_by"
    )
    if source:
        links = links.filter(source=source)
    if situation:
        links = links.filter(situation=situation)
    return links


def waiting_disputes(actor: Actor) -> QuerySet[SyncItem]:
    """Disputed records still waiting for a person, across runs, newest run first."""
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    return (
        SyncItem.objects.for_tenant(actor.tenant_id)
        .filter(kind="disputed", outcome=SyncItem.Outcome.WAITING)
        .select_related("run")
        .order_by("-run__created_at", "position")
    )


def candidate_labels(tenant_id: uuid.UUID, items: list[SyncItem]) -> dict[str, str]:
    """Names of the accounts disputed items point at (one query for a page)."""
    ids = {c for item in items for c in item.candidates}
    members = Member.objects.for_tenant(tenant_id).filter(pk__in=ids).only("name", "email")
    return {str(m.pk): f"{m.name} <{m.email}>" for m in members}


def rules_for(actor: Actor) -> QuerySet[RoleRule]:
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    return RoleRule.objects.for_tenant(actor.tenant_id).select_related("department", "role")


def webhooks_for(actor: Actor) -> QuerySet[HrWebhook]:
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    return HrWebhook.objects.for_tenant(actor.tenant_id).order_by("created_at")


def get_webhook_for(actor: Actor, webhook_id: uuid.UUID | str) -> HrWebhook:
    try:
        return webhooks_for(actor).get(pk=webhook_id)
    except (HrWebhook.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such webhook"), field="webhook_id") from None
