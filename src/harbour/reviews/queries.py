"""Reads of access reviews: campaigns (for those who run reviews), items (for their reviewers), the gates,
and who may decide an item."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import BuiltinRole, Member, MemberState, Role, RoleGrant
from harbour.reviews.models import Decision, ReviewCampaign, ReviewItem, ReviewSchedule

VIEW, MANAGE = "review.view", "review.manage"
DEFAULT_ROLES = (BuiltinRole.ADMINISTRATOR, BuiltinRole.DEPARTMENT_MANAGER)


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def campaigns_for(actor: Actor) -> QuerySet[ReviewCampaign]:
    require_permission(actor, VIEW, _tenant(actor))
    return ReviewCampaign.objects.for_tenant(actor.tenant_id).select_related("created_by")


def get_campaign_for(actor: Actor, campaign_id: uuid.UUID | str) -> ReviewCampaign:
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such access review"), field="campaign_id")
    try:
        return campaigns_for(actor).get(pk=campaign_id)
    except (ReviewCampaign.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such access review"), field="campaign_id") from None


def items_of(campaign: ReviewCampaign) -> QuerySet[ReviewItem]:
    return ReviewItem.objects.for_tenant(campaign.tenant_id).filter(campaign=campaign)


def decision_counts(campaign: ReviewCampaign) -> dict[str, int]:
    """Decision → number of items, every decision present (zero when none)."""
    counts = {value: 0 for value in Decision.values}
    for row in items_of(campaign).values("decision").annotate(n=Count("id")):
        counts[row["decision"]] = row["n"]
    counts["total"] = sum(counts[value] for value in Decision.values)
    return counts


def with_counts(campaigns: QuerySet[ReviewCampaign]) -> QuerySet[ReviewCampaign]:
    """Each campaign with its items counted by decision in the same query (``counts_of`` reads them)."""
    per = {value: Count("items", filter=Q(items__decision=value)) for value in Decision.values}
    return campaigns.annotate(n_total=Count("items"), **{f"n_{value}": n for value, n in per.items()})


def counts_of(campaign: ReviewCampaign) -> dict[str, int]:
    """The counts ``with_counts`` annotated, or one query when the campaign was loaded without them."""
    if not hasattr(campaign, "n_total"):
        return decision_counts(campaign)
    counts = {value: getattr(campaign, f"n_{value}") for value in Decision.values}
    counts["total"] = campaign.n_total
    return counts


def _escalation_reviewer(actor: Actor) -> bool:
    return actor.access().tenant_wide(MANAGE)


def items_to_decide(actor: Actor) -> QuerySet[ReviewItem]:
    """Pending items of open campaigns the actor may decide: assigned to them, or escalated to the
    administrators when they are one — never their own access."""
    qs = ReviewItem.objects.for_tenant(actor.tenant_id).filter(
        campaign__state=ReviewCampaign.State.OPEN, decision=Decision.PENDING
    )
    if actor.actor_id is None:
        return qs.none()
    mine = Q(reviewer_id=actor.actor_id) | Q(escalated_to_id=actor.actor_id)
    if _escalation_reviewer(actor):
        mine |= Q(escalated_at__isnull=False)
    return qs.filter(mine).exclude(member_id=actor.actor_id).select_related("campaign")


def decided_by(actor: Actor) -> QuerySet[ReviewItem]:
    if actor.actor_id is None:
        return ReviewItem.objects.for_tenant(actor.tenant_id).none()
    return (
        ReviewItem.objects.for_tenant(actor.tenant_id)
        .filter(decided_by_id=actor.actor_id)
        .select_related("campaign")
        .order_by("-decided_at")
    )


def get_item_for(actor: Actor, item_id: uuid.UUID | str) -> ReviewItem:
    """An item its reviewer, an escalation reviewer, or someone who sees the campaigns may look at;
    anyone else gets NotFound, as for a missing item."""
    try:
        item = ReviewItem.objects.for_tenant(actor.tenant_id).select_related("campaign").get(pk=item_id)
    except (ReviewItem.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such review item"), field="item_id") from None
    involved = actor.actor_id is not None and actor.actor_id in (
        item.reviewer_id,
        item.escalated_to_id,
        item.decided_by_id,
    )
    escalated = item.escalated_at is not None and _escalation_reviewer(actor)
    if not (involved or escalated or actor.access().tenant_wide(VIEW)):
        raise NotFound(_("no such review item"), field="item_id")
    return item


def may_decide(actor: Actor, item: ReviewItem) -> bool:
    """The assigned reviewer, or once escalated the administrators — never the holder of the access."""
    if actor.actor_id is None or item.tenant_id != actor.tenant_id:
        return False
    if item.member_id is not None and item.member_id == actor.actor_id:
        return False
    if actor.actor_id in (item.reviewer_id, item.escalated_to_id):
        return True
    return item.escalated_at is not None and _escalation_reviewer(actor)


def review_managers(tenant_id: uuid.UUID) -> list[Member]:
    """Active members holding ``review.manage`` company-wide by a live grant: the escalation reviewers."""
    role_ids = [
        r.pk for r in Role.objects.for_tenant(tenant_id).only("permissions") if MANAGE in r.permissions
    ]
    return _active_holders(tenant_id, Q(role_id__in=role_ids))


def administrators(tenant_id: uuid.UUID) -> list[Member]:
    """Active members with a live company-wide grant of the built-in Administrator role, by name."""
    return _active_holders(tenant_id, Q(role__builtin=BuiltinRole.ADMINISTRATOR))


def _active_holders(tenant_id: uuid.UUID, role: Q) -> list[Member]:
    grants = (
        RoleGrant.objects.for_tenant(tenant_id)
        .filter(role, scope__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
    )
    member_ids = set(grants.values_list("member_id", flat=True))
    return list(
        Member.objects.for_tenant(tenant_id)
        .filter(pk__in=member_ids, state=MemberState.ACTIVE)
        .order_by("name", "id")
    )


GRANT_LIVE, GRANT_EXPIRED, GRANT_REMOVED = "live", "expired", "removed"


def grant_states(tenant_id: uuid.UUID, items: Iterable[ReviewItem]) -> dict[uuid.UUID, str]:
    """How each item's grant stands now (one query): live, expired, or removed."""
    ids = {item.grant_id for item in items}
    found = dict(RoleGrant.objects.for_tenant(tenant_id).filter(pk__in=ids).values_list("pk", "expires_at"))
    at = now()
    states: dict[uuid.UUID, str] = {}
    for grant_id in ids:
        if grant_id not in found:
            states[grant_id] = GRANT_REMOVED
        elif found[grant_id] is not None and found[grant_id] <= at:
            states[grant_id] = GRANT_EXPIRED
        else:
            states[grant_id] = GRANT_LIVE
    return states


# ------------------------------------------------------------------------------------------------ schedule
def default_roles(tenant_id: uuid.UUID) -> list[Role]:
    """What a campaign covers when nobody chose: the Administrator and Department Manager roles."""
    return list(Role.objects.for_tenant(tenant_id).filter(builtin__in=DEFAULT_ROLES).order_by("builtin"))


def schedule_of(tenant_id: uuid.UUID) -> ReviewSchedule:
    """The company's schedule (defaults, unsaved, until first changed)."""
    found = ReviewSchedule.objects.for_tenant(tenant_id).first()
    return found or ReviewSchedule(tenant_id=tenant_id)


def schedule_for(actor: Actor) -> ReviewSchedule:
    require_permission(actor, VIEW, _tenant(actor))
    return schedule_of(actor.tenant_id)


def schedule_roles(schedule: ReviewSchedule) -> list[Role]:
    """The roles a scheduled campaign covers: those named that still exist, else the defaults."""
    named = list(Role.objects.for_tenant(schedule.tenant_id).filter(pk__in=schedule.roles).order_by("name"))
    return named or default_roles(schedule.tenant_id)
