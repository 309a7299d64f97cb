"""Writes of retention: set a category's schedule, place and lift legal holds. (Erasure runs are in
``runs``.) Each checks ``retention.manage``, validates before writing, and is audited in its transaction."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.directory.validation import clean_text
from harbour.retention.models import LegalHold, RetentionSchedule
from harbour.retention.permission_codes import MANAGE
from harbour.retention.queries import category_or_invalid, hold_is_live, maximum_days

REASON_MAX = 2000
MAX_DAYS = 100 * 365


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def _member_or_none(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


# ------------------------------------------------------------------------------------------------ schedules
@tenant_atomic
def update_schedule(
    actor: Actor, code: str, *, days: int | None = None, enabled: bool | None = None
) -> RetentionSchedule:
    """Set how long a category is kept and whether the erasure job enforces it. The period never goes
    below the category's legal minimum, nor above what the law allows (HR-RECRUIT-2Y, HR-FORMER-7Y)."""
    _require_manage(actor)
    cat = category_or_invalid(code)
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or days < 1 or days > MAX_DAYS:
            raise Invalid(
                _("give the period as a number of days, 1 to %(n)d") % {"n": MAX_DAYS}, field="days"
            )
        if days < cat.minimum_days:
            raise Invalid(
                _("%(label)s must be kept at least %(n)d days") % {"label": cat.label, "n": cat.minimum_days},
                field="days",
            )
        most = maximum_days(cat)
        if most is not None and days > most:
            raise Invalid(
                _(
                    "%(label)s may be kept at most %(n)d days; "
                    "keep particular records longer with a legal hold"
                )
                % {"label": cat.label, "n": most},
                field="days",
            )
    RetentionSchedule.objects.get_or_create(
        tenant_id=actor.tenant_id, category=code, defaults={"days": max(cat.default_days, cat.minimum_days)}
    )
    schedule = RetentionSchedule.objects.for_tenant(actor.tenant_id).select_for_update().get(category=code)
    before = schedule.snapshot()
    if days is not None:
        schedule.days = days
    if enabled is not None:
        schedule.enabled = enabled
    schedule.changed_by = _member_or_none(actor)
    schedule.save()
    record(actor, "retention.schedule_changed", target=schedule, before=before, after=schedule.snapshot())
    return schedule


# -------------------------------------------------------------------------------------------------- holds
@tenant_atomic
def place_hold(
    actor: Actor,
    *,
    reason: str,
    category: str = "",
    member: Member | None = None,
    ends_on: dt.date | None = None,
) -> LegalHold:
    """Keep a whole category, or one member's records, from erasure until lifted (or past ``ends_on``)."""
    _require_manage(actor)
    reason = clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    if bool(category) == (member is not None):
        raise Invalid(_("hold either a data category or one member, not both"), field="category")
    if category:
        category_or_invalid(category)
    if member is not None and member.tenant_id != actor.tenant_id:
        raise Invalid(_("no such member"), field="member_id")
    if ends_on is not None and ends_on < today_in_hong_kong():
        raise Invalid(_("the end date has passed"), field="ends_on")
    hold = LegalHold.objects.create(
        tenant_id=actor.tenant_id,
        category=category,
        member=member,
        reason=reason,
        ends_on=ends_on,
        placed_by=_member_or_none(actor),
    )
    record(actor, "retention.hold_placed", target=hold, after=hold.snapshot(), reason=reason)
    return hold


@tenant_atomic
def lift_hold(actor: Actor, hold: LegalHold, *, reason: str) -> LegalHold:
    """End a hold: its records become erasable again when their period has run out."""
    _require_manage(actor)
    reason = clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    hold = LegalHold.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=hold.pk)
    if not hold_is_live(hold):
        raise Conflict(_("this legal hold is no longer in force"), field="hold_id")
    before = hold.snapshot()
    hold.lifted_at = now()
    hold.lifted_by = _member_or_none(actor)
    hold.lift_reason = reason
    hold.save()
    record(actor, "retention.hold_lifted", target=hold, before=before, after=hold.snapshot(), reason=reason)
    return hold
