"""Writes of access reviews: create a campaign, open it (the grants are snapshotted and each reviewer is
told), decide items (certify, or revoke — the grant goes at once), close it, set the quarterly schedule.

Deciding needs no permission code: the campaign names each item's reviewer (the member's manager, else an
administrator other than the member), and once an item is escalated the administrators may decide it too.
Nobody ever decides about their own access.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import TENANT_WIDE, AccessSet, Actor, require_permission
from harbour.core.time import HONG_KONG, local, now
from harbour.directory.actions import revoke_grant
from harbour.directory.models import Member, MemberState, Role, RoleGrant
from harbour.directory.validation import clean_text
from harbour.reviews.models import (
    Decision,
    Effect,
    ReviewCampaign,
    ReviewerBasis,
    ReviewItem,
    ReviewSchedule,
)
from harbour.reviews.notify import campaign_url, my_reviews_url, tell
from harbour.reviews.queries import (
    GRANT_EXPIRED,
    GRANT_LIVE,
    GRANT_REMOVED,
    MANAGE,
    administrators,
    decision_counts,
    default_roles,
    grant_states,
    may_decide,
    review_managers,
)

MAX_DAYS_OPEN = 90
ESCALATE_BEFORE_DUE = dt.timedelta(days=7)
DECISIONS = {"certify": Decision.CERTIFIED, "revoke": Decision.REVOKED}
COMMENT_MAX = 1000


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def end_of_day(day: dt.date) -> dt.datetime:
    """A due date in the console is a Hong Kong day: the campaign is due at its last minute."""
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=HONG_KONG)


def _roles(actor: Actor, role_ids: Sequence[uuid.UUID | str] | None) -> list[Role]:
    if role_ids is None:
        return default_roles(actor.tenant_id)
    wanted: list[str] = []
    for value in role_ids:
        try:
            text = str(uuid.UUID(str(value)))
        except ValueError:
            raise Invalid(_("no such role: %(id)s") % {"id": value}, field="role_ids") from None
        if text not in wanted:
            wanted.append(text)
    if not wanted:
        raise Invalid(_("choose at least one role to review"), field="role_ids")
    found = {str(r.pk): r for r in Role.objects.for_tenant(actor.tenant_id).filter(pk__in=wanted)}
    missing = [value for value in wanted if value not in found]
    if missing:
        raise Invalid(_("no such role: %(id)s") % {"id": missing[0]}, field="role_ids")
    return [found[value] for value in wanted]


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field=field)
    return value


# ------------------------------------------------------------------------------------------- campaigns
@tenant_atomic
def create_campaign(
    actor: Actor,
    *,
    name: str,
    due_at: dt.datetime,
    role_ids: Sequence[uuid.UUID | str] | None = None,
    escalate_at: dt.datetime | None = None,
    opens_at: dt.datetime | None = None,
    quarter: str = "",
) -> ReviewCampaign:
    """A draft campaign over ``role_ids`` (the Administrator and Department Manager roles by default).
    With ``opens_at`` the clock opens it then; otherwise an administrator opens it."""
    _require_manage(actor)
    name = clean_text(name, field="name", max_length=120, required=True)
    roles = _roles(actor, role_ids)
    at = now()
    if opens_at is not None and _aware(opens_at, "opens_at") <= at:
        raise Invalid(_("the opening time has passed: choose a later one, or open it now"), field="opens_at")
    start = opens_at or at
    if _aware(due_at, "due_at") <= start:
        raise Invalid(_("the due date must come after the opening"), field="due_at")
    if due_at - start > dt.timedelta(days=MAX_DAYS_OPEN):
        raise Invalid(
            _("a review stays open at most %(days)d days") % {"days": MAX_DAYS_OPEN}, field="due_at"
        )
    if escalate_at is None:
        escalate_at = max(start + (due_at - start) / 2, due_at - ESCALATE_BEFORE_DUE)
    elif not start < _aware(escalate_at, "escalate_at") < due_at:
        raise Invalid(_("escalation must fall between the opening and the due date"), field="escalate_at")
    campaign = ReviewCampaign.objects.create(
        tenant_id=actor.tenant_id,
        name=name,
        roles=[{"id": str(r.pk), "name": r.display_name} for r in roles],
        opens_at=opens_at,
        due_at=due_at,
        escalate_at=escalate_at,
        quarter=quarter,
        created_by=actor if isinstance(actor, Member) else None,
    )
    record(actor, "review.campaign_created", target=campaign, after=campaign.snapshot())
    return campaign


def _locked(campaign: ReviewCampaign) -> ReviewCampaign:
    return ReviewCampaign.objects.for_tenant(campaign.tenant_id).select_for_update().get(pk=campaign.pk)


def choose_reviewer(
    member: Member, admins: Sequence[Member], preferred: Member | None = None
) -> tuple[Member | None, str]:
    """The member's manager; without one (or when it is the member, or not active), an administrator
    other than the member — the campaign's creator when they are one. Never the member themself."""
    manager = member.manager
    if manager is not None and manager.pk != member.pk and manager.state == MemberState.ACTIVE:
        return manager, ReviewerBasis.MANAGER
    others = [a for a in admins if a.pk != member.pk]
    if not others:
        return None, ReviewerBasis.NONE
    chosen = next((a for a in others if preferred is not None and a.pk == preferred.pk), others[0])
    return chosen, ReviewerBasis.ADMINISTRATOR


@tenant_atomic
def open_campaign(actor: Actor, campaign: ReviewCampaign) -> ReviewCampaign:
    """Snapshot every live grant of the roles under review as an item with its reviewer, and tell each
    reviewer what waits for them."""
    _require_manage(actor)
    campaign = _locked(campaign)
    if campaign.state != ReviewCampaign.State.DRAFT:
        raise Conflict(_("this access review has been opened already"), field="state")
    at = now()
    if campaign.due_at <= at:
        raise Conflict(
            _("its due date has passed; create a new access review with a later one"), field="due_at"
        )
    role_ids = [role["id"] for role in campaign.roles]
    grants = (
        RoleGrant.objects.for_tenant(campaign.tenant_id)
        .filter(role_id__in=role_ids)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
        .select_related("member", "member__manager", "role", "scope")
        .order_by("member__name", "created_at")
    )
    admins = administrators(campaign.tenant_id)
    items = []
    for grant in grants:
        reviewer, basis = choose_reviewer(grant.member, admins, campaign.created_by)
        items.append(
            ReviewItem(
                tenant_id=campaign.tenant_id,
                campaign=campaign,
                grant_id=grant.pk,
                member=grant.member,
                member_name=grant.member.name,
                member_email=grant.member.email,
                role=grant.role,
                role_name=grant.role.display_name,
                scope=grant.scope,
                scope_name=grant.scope.name if grant.scope else "",
                granted_at=grant.created_at,
                grant_expires_at=grant.expires_at,
                reviewer=reviewer,
                reviewer_name=reviewer.name if reviewer else "",
                reviewer_basis=basis,
            )
        )
    ReviewItem.objects.bulk_create(items, batch_size=500)
    before = campaign.snapshot()
    campaign.state = ReviewCampaign.State.OPEN
    campaign.opened_at = at
    campaign.save(update_fields=["state", "opened_at", "updated_at"])
    unassigned = sum(1 for item in items if item.reviewer is None)
    record(
        actor,
        "review.campaign_opened",
        target=campaign,
        before=before,
        after=campaign.snapshot(),
        items=len(items),
        reviewers=len({item.reviewer_id for item in items if item.reviewer_id}),
        without_reviewer=unassigned,
    )
    _tell_reviewers(campaign, items)
    return campaign


def _tell_reviewers(campaign: ReviewCampaign, items: Iterable[ReviewItem]) -> None:
    per_reviewer: dict[uuid.UUID, list[ReviewItem]] = defaultdict(list)
    people: dict[uuid.UUID, Member] = {}
    for item in items:
        if item.reviewer is not None:
            per_reviewer[item.reviewer.pk].append(item)
            people[item.reviewer.pk] = item.reviewer
    due = local(campaign.due_at).strftime("%Y-%m-%d %H:%M")
    for reviewer_id, theirs in per_reviewer.items():
        title = _("Access review: %(n)d grant(s) to review by %(due)s") % {"n": len(theirs), "due": due}
        body = _(
            "%(campaign)s asks you to confirm who still needs their access. Certify what is still needed and "
            "revoke the rest by %(due)s (Hong Kong time)."
        ) % {"campaign": campaign.name, "due": due}
        tell([people[reviewer_id]], title=title, body=body, url=my_reviews_url())


@tenant_atomic
def close_campaign(actor: Actor, campaign: ReviewCampaign, *, automatic: bool = False) -> ReviewCampaign:
    """Close the campaign: decisions are final, and items nobody decided stay recorded as not decided."""
    _require_manage(actor)
    campaign = _locked(campaign)
    if campaign.state != ReviewCampaign.State.OPEN:
        raise Conflict(_("only an open access review can be closed"), field="state")
    counts = decision_counts(campaign)
    before = campaign.snapshot()
    campaign.state = ReviewCampaign.State.CLOSED
    campaign.closed_at = now()
    campaign.closed_by = actor if isinstance(actor, Member) else None
    campaign.closed_automatically = automatic
    campaign.summary = counts
    campaign.save(
        update_fields=["state", "closed_at", "closed_by", "closed_automatically", "summary", "updated_at"]
    )
    record(
        actor,
        "review.campaign_closed",
        target=campaign,
        before=before,
        after=campaign.snapshot(),
        automatic=automatic,
        not_decided=counts[Decision.PENDING],
    )
    if counts[Decision.PENDING]:
        tell(
            [m for m in review_managers(campaign.tenant_id) if m.pk != actor.actor_id],
            title=_("%(campaign)s closed with %(n)d item(s) not decided")
            % {"campaign": campaign.name, "n": counts[Decision.PENDING]},
            body=_("The evidence records them as not decided; the access they cover was left as it was."),
            url=campaign_url(campaign.pk),
        )
    return campaign


# ----------------------------------------------------------------------------------------------- deciding
@dataclass(frozen=True)
class _ReviewerMandate:
    """The reviewer carrying out a revocation: the review itself gives them the right to remove the grant
    under review (reviewers need no administrator role), and the log names them as who removed it."""

    reviewer: Actor

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.reviewer.tenant_id

    @property
    def actor_id(self) -> uuid.UUID | None:
        return self.reviewer.actor_id

    @property
    def actor_label(self) -> str:
        return self.reviewer.actor_label

    @property
    def actor_type(self) -> str:
        return self.reviewer.actor_type

    def access(self) -> AccessSet:
        return AccessSet(scopes={"role.grant": (TENANT_WIDE,)})


def _clean_decision(decision: str, comment: str) -> tuple[str, str]:
    value = DECISIONS.get((decision or "").strip().lower())
    if value is None:
        raise Invalid(_("decide 'certify' or 'revoke'"), field="decision")
    comment = clean_text(comment, field="comment", max_length=COMMENT_MAX)
    if value == Decision.REVOKED and not comment:
        raise Invalid(_("say why the access is revoked"), field="comment")
    return value, comment


def _check(actor: Actor, item: ReviewItem, value: str, grant_state: str) -> None:
    if item.campaign.state != ReviewCampaign.State.OPEN:
        raise Conflict(_("this access review is not open"), field="item_id")
    if not item.is_pending:
        raise Conflict(_("%(item)s has been decided already") % {"item": item}, field="item_id")
    if item.member_id is not None and item.member_id == actor.actor_id:
        raise Forbidden(_("nobody reviews their own access"))
    if not may_decide(actor, item):
        raise Forbidden(
            _("only the assigned reviewer decides this item (administrators too, once escalated)")
        )
    if value == Decision.CERTIFIED and grant_state != GRANT_LIVE:
        raise Conflict(
            _("%(item)s has ended meanwhile: there is nothing to certify; record it as revoked")
            % {"item": item},
            field="decision",
        )


def _apply(actor: Actor, item: ReviewItem, value: str, comment: str, grant_state: str) -> ReviewItem:
    before = item.snapshot()
    effect = ""
    if value == Decision.REVOKED:
        if grant_state == GRANT_REMOVED:
            effect = Effect.ALREADY_REMOVED
        elif grant_state == GRANT_EXPIRED:
            effect = Effect.ALREADY_EXPIRED
        else:
            grant = (
                RoleGrant.objects.for_tenant(item.tenant_id)
                .select_related("member", "role")
                .get(pk=item.grant_id)
            )
            revoke_grant(
                _ReviewerMandate(actor),
                grant,
                reason=_("access review: %(campaign)s") % {"campaign": item.campaign.name},
            )
            effect = Effect.REMOVED
    item.decision = value
    item.comment = comment
    item.decided_by = actor if isinstance(actor, Member) else None
    item.decided_by_name = actor.actor_label
    item.decided_at = now()
    item.effect = effect
    item.save(
        update_fields=[
            "decision",
            "comment",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "effect",
            "updated_at",
        ]
    )
    kind = "review.item_revoked" if value == Decision.REVOKED else "review.item_certified"
    record(
        actor,
        kind,
        target=item,
        before=before,
        after=item.snapshot(),
        campaign=str(item.campaign_id),
        campaign_name=item.campaign.name,
    )
    return item


def _locked_items(actor: Actor, items: Sequence[ReviewItem]) -> list[ReviewItem]:
    ids = [item.pk for item in items]
    found = {
        item.pk: item
        for item in ReviewItem.objects.for_tenant(actor.tenant_id)
        .select_for_update(of=("self",))
        .select_related("campaign")
        .filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


@tenant_atomic
def decide(actor: Actor, item: ReviewItem, *, decision: str, comment: str = "") -> ReviewItem:
    """Certify the access, or revoke it: the grant is removed at once (unless it ended meanwhile, which
    is recorded as such and not removed twice)."""
    return decide_many(actor, [item], decision=decision, comment=comment)[0]


@tenant_atomic
def decide_many(
    actor: Actor, items: Sequence[ReviewItem], *, decision: str, comment: str = ""
) -> list[ReviewItem]:
    """The same decision on several items, all or nothing: every item is checked before the first change."""
    value, comment = _clean_decision(decision, comment)
    if not items:
        raise Invalid(_("choose at least one item"), field="item_ids")
    if len({item.pk for item in items}) != len(items):
        raise Invalid(_("an item is named twice"), field="item_ids")
    locked = _locked_items(actor, items)
    if len(locked) != len(items):
        raise Conflict(_("an item is no longer there"), field="item_ids")
    states = grant_states(actor.tenant_id, locked)
    for item in locked:
        _check(actor, item, value, states[item.grant_id])
    return [_apply(actor, item, value, comment, states[item.grant_id]) for item in locked]


# ------------------------------------------------------------------------------------------------ schedule
@tenant_atomic
def update_schedule(
    actor: Actor,
    *,
    quarterly: bool | None = None,
    role_ids: Sequence[uuid.UUID | str] | None = None,
    days_open: int | None = None,
    escalate_after_days: int | None = None,
) -> ReviewSchedule:
    """Switch the quarterly campaigns on or off and say what they cover (no roles named: the defaults)."""
    _require_manage(actor)
    ReviewSchedule.objects.get_or_create(tenant_id=actor.tenant_id)
    schedule = ReviewSchedule.objects.for_tenant(actor.tenant_id).select_for_update().get()
    before = schedule.snapshot()
    if role_ids is not None:
        schedule.roles = [str(r.pk) for r in _roles(actor, role_ids)] if role_ids else []
    if days_open is not None:
        if not 2 <= days_open <= MAX_DAYS_OPEN:
            raise Invalid(
                _("a review stays open between 2 and %(days)d days") % {"days": MAX_DAYS_OPEN},
                field="days_open",
            )
        schedule.days_open = days_open
    if escalate_after_days is not None:
        schedule.escalate_after_days = escalate_after_days
    if not 1 <= schedule.escalate_after_days < schedule.days_open:
        raise Invalid(
            _("escalation comes at least a day after opening and before the due date"),
            field="escalate_after_days",
        )
    if quarterly is not None:
        schedule.quarterly = quarterly
    schedule.save()
    record(actor, "review.schedule_changed", target=schedule, before=before, after=schedule.snapshot())
    return schedule


@tenant_atomic
def record_export(actor: Actor, campaign: ReviewCampaign, *, rows: int, fmt: str = "csv") -> None:
    """An evidence download is itself logged (who took a copy of the review, and when)."""
    require_permission(actor, "review.view", Tenant.objects.get(pk=actor.tenant_id))
    record(actor, "review.report_exported", target=campaign, rows=rows, format=fmt)
