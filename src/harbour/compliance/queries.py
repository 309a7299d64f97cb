"""Reads of the compliance app: the gates (view the dashboard, manage attestations), the company's posture,
attestations, snapshots and what changed since the previous snapshot."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.compliance.catalogue import rule
from harbour.compliance.evaluation import Posture, evaluate, status_label
from harbour.compliance.models import Attestation, PostureSnapshot
from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission

VIEW, MANAGE = "compliance.view", "compliance.manage"
HISTORY_DAYS = 90


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def require_view(actor: Actor) -> Tenant:
    tenant = _tenant(actor)
    require_permission(actor, VIEW, tenant)
    return tenant


def posture_for(actor: Actor) -> Posture:
    """The company's posture now: every catalogue rule with its checks' findings."""
    require_view(actor)
    return evaluate(actor.tenant_id)


def attestations_visible_to(actor: Actor) -> QuerySet[Attestation]:
    require_view(actor)
    return Attestation.objects.for_tenant(actor.tenant_id)


def get_attestation_for(actor: Actor, attestation_id: uuid.UUID | str, action: str = VIEW) -> Attestation:
    """Missing, another company's, or not allowed: the same answer."""
    if not actor.access().tenant_wide(VIEW) or not actor.access().tenant_wide(action):
        raise NotFound(_("no such attestation"), field="attestation_id")
    try:
        return attestations_visible_to(actor).get(pk=attestation_id)
    except (Attestation.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such attestation"), field="attestation_id") from None


def snapshots_visible_to(actor: Actor) -> QuerySet[PostureSnapshot]:
    require_view(actor)
    return PostureSnapshot.objects.for_tenant(actor.tenant_id)


def get_snapshot_for(actor: Actor, snapshot_id: uuid.UUID | str) -> PostureSnapshot:
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such snapshot"), field="snapshot_id")
    try:
        return snapshots_visible_to(actor).get(pk=snapshot_id)
    except (PostureSnapshot.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such snapshot"), field="snapshot_id") from None


def history(tenant_id: uuid.UUID, *, until: dt.date, days: int = HISTORY_DAYS) -> list[PostureSnapshot]:
    """Snapshots of the last ``days`` days up to ``until``, oldest first."""
    since = until - dt.timedelta(days=days - 1)
    rows = PostureSnapshot.objects.for_tenant(tenant_id).filter(day__gte=since, day__lte=until)
    return list(rows.defer("rules").order_by("day"))


def snapshot_before(tenant_id: uuid.UUID, day: dt.date) -> PostureSnapshot | None:
    """The latest snapshot of a day before ``day``."""
    return PostureSnapshot.objects.for_tenant(tenant_id).filter(day__lt=day).order_by("-day").first()


@dataclass(frozen=True)
class Change:
    rule_id: str
    title: str
    before: str
    after: str
    before_label: str
    after_label: str


def changes_since(posture: Posture, previous: PostureSnapshot | None) -> list[Change]:
    """Rules whose status differs from the previous snapshot (a rule new to the catalogue counts too)."""
    if previous is None:
        return []
    before = previous.statuses()
    found = []
    for result in posture.results:
        old = before.get(result.rule.id, "")
        new = str(result.status)
        if old != new:
            item = rule(result.rule.id)
            found.append(
                Change(
                    rule_id=result.rule.id,
                    title=str(item.title) if item else result.rule.id,
                    before=old,
                    after=new,
                    before_label=status_label(old) if old else _("not in the catalogue"),
                    after_label=status_label(new),
                )
            )
    return found
