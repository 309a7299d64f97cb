"""Every write to plans and subscriptions (change, schedule, cancel, renew) and to the catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.entitlements import Feature, Quota, forget_entitlements, what_stops_working
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Account, Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.tenancy import home_rows
from harbour.core.time import add_months, today_in_hong_kong
from harbour.plans.models import Plan, PlanRevision, Subscription, Term
from harbour.plans.pricing import MONTHS, Price, clean_seats, clean_term, clean_unit_price, price_of
from harbour.plans.source import DatabaseSource, effective_terms
from harbour.plans.units import format_bytes

_source = DatabaseSource()


@dataclass
class PlanChange:
    """What a requested plan/seats/term would do, before anything is written."""

    plan: Plan
    seats: int
    term: str
    price: Price
    current_plan: Plan
    current_seats: int | None
    current_term: str | None
    immediate: bool
    effective_on: dt.date
    lost_features: list[str] = field(default_factory=list)
    stops_working: list[str] = field(default_factory=list)
    refusals: list[tuple[str, str]] = field(default_factory=list)  # (field, message)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def lost_feature_labels(self) -> list[str]:
        return [str(Feature(f).label) for f in self.lost_features]


def _may_set_price(actor: Actor) -> bool:
    """Negotiated prices are set by the platform operator, or by trusted server-side code (CLI, seeding)."""
    if actor.actor_type == "system":
        return True
    account = getattr(actor, "account", None)
    return bool(account is not None and account.is_operator)


def _current(tenant: Tenant) -> tuple[Subscription | None, Plan, int | None, str | None]:
    subscription = Subscription.objects.for_tenant(tenant).first()
    plan, seats = effective_terms(subscription)
    return subscription, plan, seats, subscription.term if subscription is not None else None


def _seat_limit(plan: Plan, seats: int) -> int | None:
    if plan.is_free:
        cap = plan.quotas.get(Quota.SEATS.value)
        return None if cap is None else int(cap)
    return seats


def _lowers(
    plan: Plan, seats: int, term: str, current: Plan, cur_seats: int | None, cur_term: str | None
) -> bool:
    if current.is_free:
        return False
    return (
        plan.rank < current.rank
        or (cur_seats is not None and seats < cur_seats)
        or (cur_term == Term.ANNUAL and term == Term.MONTHLY)
    )


def _refusals(tenant: Tenant, plan: Plan, seats: int) -> list[tuple[str, str]]:
    """Changes that would lose data or leave accounts without seats are refused, not scheduled."""
    refusals: list[tuple[str, str]] = []
    if not plan.is_available:
        refusals.append(("plan", _("%(plan)s is no longer offered") % {"plan": plan.display_name}))
    taken = _source.seats_taken(tenant.id)
    limit = _seat_limit(plan, seats)
    if limit is not None and taken > limit:
        refusals.append(
            (
                "seats",
                _(
                    "%(taken)d accounts hold seats but %(plan)s would allow %(limit)d: deactivate "
                    "%(excess)d accounts first or keep more seats"
                )
                % {"taken": taken, "plan": plan.display_name, "limit": limit, "excess": taken - limit},
            )
        )
    if tenant.database != "default" and Feature.DEDICATED_DATABASE.value not in plan.features:
        refusals.append(
            (
                "plan",
                _(
                    "the company's data is in a dedicated database, which %(plan)s does not include: "
                    "move it back to the shared database first (harbour tenant move)"
                )
                % {"plan": plan.display_name},
            )
        )
    storage_cap = plan.quotas.get(Quota.STORAGE_BYTES.value)
    stored = _source.used(tenant.id, Quota.STORAGE_BYTES.value)
    if storage_cap is not None and stored > storage_cap:
        refusals.append(
            (
                "plan",
                _(
                    "the company stores %(used)s but %(plan)s includes %(cap)s: files would be lost; "
                    "delete files first or choose a plan with more storage"
                )
                % {"used": format_bytes(stored), "plan": plan.display_name, "cap": format_bytes(storage_cap)},
            )
        )
    return refusals


def preview_plan_change(
    actor: Actor, plan: Plan, seats: int, term: str, *, unit_price: Decimal | None = None
) -> PlanChange:
    """What choosing ``plan``/``seats``/``term`` would do now or at the end of the period."""
    require_permission(actor, "plan.manage", Tenant.objects.get(pk=actor.tenant_id))
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    clean_seats(seats)
    clean_term(term)
    if unit_price is not None:
        if not _may_set_price(actor):
            raise Forbidden(_("only the platform operator sets a negotiated price"), field="unit_price")
        unit_price = clean_unit_price(unit_price)
    elif plan.is_custom_price:
        raise Invalid(
            _("%(plan)s is priced by contract: ask your platform operator to set it up")
            % {"plan": plan.display_name},
            field="unit_price",
        )
    subscription, current, cur_seats, cur_term = _current(tenant)
    lowers = _lowers(plan, seats, term, current, cur_seats, cur_term)
    today = today_in_hong_kong()
    lost = [f for f in current.features if f not in plan.features]
    return PlanChange(
        plan=plan,
        seats=seats,
        term=term,
        price=price_of(plan, seats, term, unit_price=unit_price),
        current_plan=current,
        current_seats=cur_seats,
        current_term=cur_term,
        immediate=not lowers,
        effective_on=subscription.renews_on if lowers and subscription is not None else today,
        lost_features=lost,
        stops_working=what_stops_working(tenant, [Feature(f) for f in lost]),
        refusals=_refusals(tenant, plan, seats),
    )


@tenant_atomic
def change_subscription(
    actor: Actor, plan: Plan, seats: int, term: str, *, unit_price: Decimal | None = None
) -> tuple[Subscription, PlanChange]:
    """Upgrades apply at once; a change that lowers the plan, seats or term waits for the end of the period.
    A change that would lose data or leave accounts without a seat is refused."""
    change = preview_plan_change(actor, plan, seats, term, unit_price=unit_price)
    if change.refusals:
        field_name, message = change.refusals[0]
        raise Conflict(message, field=field_name)
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant_id)
    subscription = Subscription.objects.for_tenant(tenant).select_for_update().first()
    today = today_in_hong_kong()
    if subscription is None:
        subscription = Subscription(
            tenant=tenant,
            plan=plan,
            seats=seats,
            term=term,
            started_on=today,
            renews_on=add_months(today, MONTHS[term]),
            unit_price=change.price.unit_price,
        )
        subscription.save()
        record(actor, "subscription.changed", target=subscription, before=None, after=subscription.snapshot())
    elif change.immediate:
        before = subscription.snapshot()
        unchanged = (plan.pk, seats, term) == (subscription.plan_id, subscription.seats, subscription.term)
        if unchanged and not subscription.has_scheduled_change:
            raise Conflict(_("the company is already on these terms"), field="plan")
        if term != subscription.term or subscription.plan.is_free:
            subscription.started_on, subscription.renews_on = today, add_months(today, MONTHS[term])
        subscription.plan, subscription.seats, subscription.term = plan, seats, term
        subscription.unit_price = change.price.unit_price
        subscription.scheduled_plan, subscription.scheduled_seats, subscription.scheduled_term = (
            None,
            None,
            "",
        )
        subscription.save()
        record(
            actor, "subscription.changed", target=subscription, before=before, after=subscription.snapshot()
        )
    else:
        before = subscription.snapshot()
        subscription.scheduled_plan, subscription.scheduled_seats = plan, seats
        subscription.scheduled_term = term
        subscription.save()
        record(
            actor,
            "subscription.change_scheduled",
            target=subscription,
            before=before,
            after=subscription.snapshot(),
            effective_on=subscription.renews_on.isoformat(),
            stops_working=change.stops_working,
        )
    forget_entitlements(tenant)
    return subscription, change


@tenant_atomic
def cancel_scheduled_change(actor: Actor) -> Subscription:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "plan.manage", tenant)
    subscription = Subscription.objects.for_tenant(tenant).select_for_update().first()
    if subscription is None or not subscription.has_scheduled_change:
        raise Conflict(_("no plan change is scheduled"), field="scheduled_plan")
    before = subscription.snapshot()
    subscription.scheduled_plan, subscription.scheduled_seats, subscription.scheduled_term = None, None, ""
    subscription.save()
    record(
        actor,
        "subscription.change_cancelled",
        target=subscription,
        before=before,
        after=subscription.snapshot(),
    )
    return subscription


def renew_due_subscriptions(today: dt.date | None = None) -> int:
    """Roll every subscription whose period ended into the next one, applying a scheduled change first
    (or dropping it, audited, when it has become impossible). Idempotent: safe to run any number of times."""
    today = today or today_in_hong_kong()
    renewed = 0
    due = home_rows(
        subscription
        for qs in Subscription.objects.in_every_database()
        for subscription in qs.filter(renews_on__lte=today).only("pk", "tenant_id")
    )
    for found in due:
        with tenant_transaction(found.tenant_id):
            subscription = (
                Subscription.objects.for_tenant(found.tenant_id).select_for_update().get(pk=found.pk)
            )
            if subscription.renews_on > today:
                continue
            tenant = Tenant.objects.get(pk=subscription.tenant_id)
            system = SystemActor(tenant.id, "plan renewal")
            before = subscription.snapshot()
            reason = ""
            if subscription.scheduled_plan is not None:
                seats = subscription.scheduled_seats or subscription.seats
                refusals = _refusals(tenant, subscription.scheduled_plan, seats)
                if refusals:
                    reason = refusals[0][1]
                else:
                    subscription.plan, subscription.seats = subscription.scheduled_plan, seats
                    subscription.term = subscription.scheduled_term or subscription.term
                    if subscription.plan.price_per_seat_month is not None:
                        subscription.unit_price = subscription.plan.price_per_seat_month
                subscription.scheduled_plan, subscription.scheduled_seats = None, None
                subscription.scheduled_term = ""
            while subscription.renews_on <= today:
                subscription.started_on = subscription.renews_on
                subscription.renews_on = add_months(subscription.renews_on, MONTHS[subscription.term])
            subscription.save()
            if reason:
                record(
                    system,
                    "subscription.change_cancelled",
                    target=subscription,
                    before=before,
                    after=subscription.snapshot(),
                    reason=reason,
                )
            record(
                system,
                "subscription.renewed",
                target=subscription,
                before=before,
                after=subscription.snapshot(),
            )
            renewed += 1
    return renewed


# ----------------------------------------------------------------------------------- operator catalogue
_EDITABLE = (
    "name",
    "name_zh",
    "price_per_seat_month",
    "annual_discount_percent",
    "features",
    "quotas",
    "summary",
    "is_available",
)


@transaction.atomic
def update_catalogue_plan(operator: Account, plan: Plan, **changes: Any) -> Plan:
    """The platform operator edits a tier; every company on it feels the change at its next request.
    Kept as a revision (who, when, before, after): the catalogue belongs to no single company's log."""
    if not operator.is_operator:
        raise Forbidden(_("only the platform operator edits the plan catalogue"))
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise Invalid(
            _("%(field)s cannot be changed") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    values = _clean_catalogue_values(plan, changes)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = _plan_snapshot(plan)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    after = _plan_snapshot(plan)
    if after != before:
        PlanRevision.objects.create(plan=plan, changed_by=operator, before=before, after=after)
    return plan


def _plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        name: (str(getattr(plan, name)) if isinstance(getattr(plan, name), Decimal) else getattr(plan, name))
        for name in Plan.audit_fields
    }


def _clean_catalogue_values(plan: Plan, changes: dict[str, Any]) -> dict[str, Any]:
    values = dict(changes)
    if "name" in values:
        name = str(values["name"]).strip()
        if not name or len(name) > 80:
            raise Invalid(_("a plan needs a name of at most 80 characters"), field="name")
        values["name"] = name
    if "price_per_seat_month" in values and values["price_per_seat_month"] is not None:
        try:
            values["price_per_seat_month"] = clean_unit_price(Decimal(str(values["price_per_seat_month"])))
        except Invalid as exc:
            raise Invalid(exc.message, field="price_per_seat_month") from None
    if "annual_discount_percent" in values:
        try:
            discount = Decimal(str(values["annual_discount_percent"]))
        except ArithmeticError:
            discount = Decimal("-1")
        if not discount.is_finite() or not Decimal("0") <= discount <= Decimal("100"):
            raise Invalid(_("the discount is between 0 and 100 per cent"), field="annual_discount_percent")
        values["annual_discount_percent"] = discount
    if "features" in values:
        features = values["features"]
        if not isinstance(features, list) or any(f not in Feature.values for f in features):
            raise Invalid(_("features must be a list of known features"), field="features")
        values["features"] = sorted(set(features), key=Feature.values.index)
    if "quotas" in values:
        quotas = values["quotas"]
        if not isinstance(quotas, dict) or any(
            q not in Quota.values
            or (v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0))
            for q, v in quotas.items()
        ):
            raise Invalid(_("quotas map known quotas to a whole number or null (unlimited)"), field="quotas")
    return values
