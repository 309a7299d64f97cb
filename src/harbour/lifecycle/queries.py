"""Reads of HR imports: a company's runs, one run, its items."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.lifecycle.models import SyncItem, SyncRun


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
