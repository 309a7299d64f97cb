"""Console pages of access reviews: "My reviews" for every reviewer (certify, revoke after a confirmation,
certify several at once), and for those who run reviews the campaigns (create, open, close), the quarterly
schedule, and each campaign's evidence with its CSV export."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid, NotFound
from harbour.core.pagination import keyset_page
from harbour.directory.models import Role
from harbour.directory.views.base import PAGE_SIZE, Confirmation, ConsoleRequest, confirm, require_tenant_wide
from harbour.reviews import actions
from harbour.reviews.forms import (
    BulkCertifyForm,
    CampaignForm,
    CertifyForm,
    ConfirmForm,
    RevokeForm,
    ScheduleForm,
    at_morning,
)
from harbour.reviews.models import Decision, ReviewCampaign, ReviewItem
from harbour.reviews.queries import (
    GRANT_LIVE,
    MANAGE,
    VIEW,
    campaigns_for,
    counts_of,
    decided_by,
    decision_counts,
    default_roles,
    get_campaign_for,
    get_item_for,
    grant_states,
    items_of,
    items_to_decide,
    schedule_for,
    with_counts,
)
from harbour.reviews.report import csv_text, decision_label, grant_now_label

WAITING_SHOWN = 500
DECIDED_SHOWN = 20


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _with_states(tenant_id: uuid.UUID, items: list[ReviewItem]) -> list[tuple[ReviewItem, str]]:
    states = grant_states(tenant_id, items)
    return [(item, states[item.grant_id]) for item in items]


# ------------------------------------------------------------------------------------------- my reviews
def _home_context(request: ConsoleRequest, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    waiting = list(items_to_decide(actor).order_by("campaign__due_at", "member_name", "id")[:WAITING_SHOWN])
    row_errors: dict[uuid.UUID, str] = extra.pop("row_errors", {})
    page_errors: list[str] = extra.pop("page_errors", [])
    shown = {item.pk for item in waiting}
    page_errors += [error for pk, error in row_errors.items() if pk not in shown]
    return {
        "waiting": [
            (item, state, grant_now_label(state), row_errors.get(item.pk, ""))
            for item, state in _with_states(actor.tenant_id, waiting)
        ],
        "decided": list(decided_by(actor)[:DECIDED_SHOWN]),
        "may_view": actor.access().tenant_wide(VIEW),
        "page_errors": page_errors,
        **extra,
    }


@member_required
def home(request: ConsoleRequest) -> HttpResponse:
    """What waits for the member's decision (any member: a manager needs no admin role to review)."""
    return render(request, "reviews/home.html", _home_context(request))


@require_POST
@member_required
def certify(request: ConsoleRequest, item_id: uuid.UUID) -> HttpResponse:
    item = get_item_for(request.actor, item_id)
    form = CertifyForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.decide(request.actor, item, decision="certify", comment=form.cleaned_data["comment"])
        except HarbourError as exc:
            error = exc.message
        else:
            messages.success(request, _("Certified: %(item)s.") % {"item": item})
            return redirect("reviews:home")
    else:
        error = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(
        request, "reviews/home.html", _home_context(request, row_errors={item.pk: error}), status=400
    )


@member_required
def revoke(request: ConsoleRequest, item_id: uuid.UUID) -> HttpResponse:
    """Revoking removes the grant at once: say so, ask why, then do it."""
    actor = request.actor
    item = get_item_for(actor, item_id)
    where = item.scope_name or _("the whole company")
    state = grant_states(item.tenant_id, [item])[item.grant_id]
    if state == GRANT_LIVE:
        effect = _("%(member)s loses the %(role)s role over %(where)s at once, with the rights it gives.") % {
            "member": item.member_name,
            "role": item.role_name,
            "where": where,
        }
    else:
        effect = _(
            "The grant has ended already (%(state)s): the review records it as revoked, nothing more."
        ) % {"state": grant_now_label(state)}
    confirmation = Confirmation(
        title=_("Revoke %(role)s from %(member)s?") % {"role": item.role_name, "member": item.member_name},
        consequences=[
            effect,
            _("The decision, your comment and the time are kept as evidence of the review."),
        ],
        action_url=reverse("reviews:revoke", args=[item.pk]),
        button=_("Revoke the access"),
        cancel_url=reverse("reviews:home"),
    )

    def perform(form: Any) -> HttpResponse:
        actions.decide(actor, item, decision="revoke", comment=form.cleaned_data["comment"])
        messages.success(request, _("Revoked: %(item)s.") % {"item": item})
        return redirect("reviews:home")

    return confirm(request, confirmation, RevokeForm, perform)


@require_POST
@member_required
def bulk_certify(request: ConsoleRequest) -> HttpResponse:
    actor = request.actor
    form = BulkCertifyForm(request.POST, item_ids=request.POST.getlist("items"))
    if form.is_valid():
        try:
            items = [get_item_for(actor, value) for value in form.cleaned_data["items"]]
            decided = actions.decide_many(
                actor, items, decision="certify", comment=form.cleaned_data["comment"]
            )
        except NotFound:
            raise
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Certified %(n)d item(s).") % {"n": len(decided)})
            return redirect("reviews:home")
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return render(request, "reviews/home.html", _home_context(request, page_errors=errors), status=400)


# ------------------------------------------------------------------------------------------- campaigns
def _role_choices(request: ConsoleRequest) -> list[tuple[str, str]]:
    roles = Role.objects.for_tenant(request.actor.tenant_id).order_by("name")
    return [(str(r.pk), r.display_name) for r in roles]


def _campaigns_context(request: ConsoleRequest, **forms_in_use: Any) -> dict[str, Any]:
    actor = request.actor
    may_manage = actor.access().tenant_wide(MANAGE)
    rows = [(c, counts_of(c)) for c in with_counts(campaigns_for(actor))[:100]]
    context: dict[str, Any] = {"campaigns": rows, "may_manage": may_manage}
    schedule = schedule_for(actor)
    context["schedule"] = schedule
    if may_manage:
        choices = _role_choices(request)
        defaults = [str(r.pk) for r in default_roles(actor.tenant_id)]
        context["campaign_form"] = CampaignForm(roles=choices, initial={"roles": defaults})
        context["schedule_form"] = ScheduleForm(
            roles=choices,
            initial={
                "quarterly": schedule.quarterly,
                "roles": [str(r) for r in schedule.roles],
                "days_open": schedule.days_open,
                "escalate_after_days": schedule.escalate_after_days,
            },
        )
    context.update(forms_in_use)
    return context


@member_required
def campaigns(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    if request.method != "POST":
        return render(request, "reviews/campaigns.html", _campaigns_context(request))
    _require(request, MANAGE)
    form = CampaignForm(request.POST, roles=_role_choices(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaign = actions.create_campaign(
                request.actor,
                name=data["name"],
                role_ids=data["roles"],
                due_at=actions.end_of_day(data["due_date"]),
                escalate_at=at_morning(data["escalate_on"]),
                opens_at=at_morning(data["opens_on"]),
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Created the access review as a draft: open it when ready."))
            return redirect("reviews:campaign", campaign.pk)
    context = _campaigns_context(request, campaign_form=form)
    return render(request, "reviews/campaigns.html", context, status=400)


@require_POST
@member_required
def schedule(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    form = ScheduleForm(request.POST, roles=_role_choices(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_schedule(
                request.actor,
                quarterly=data["quarterly"],
                role_ids=data["roles"],
                days_open=data["days_open"],
                escalate_after_days=data["escalate_after_days"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the quarterly schedule."))
            return redirect("reviews:campaigns")
    context = _campaigns_context(request, schedule_form=form)
    return render(request, "reviews/campaigns.html", context, status=400)


@member_required
def campaign(request: ConsoleRequest, campaign_id: uuid.UUID) -> HttpResponse:
    """The campaign and its evidence, a page of items at a time."""
    _require(request, VIEW)
    actor = request.actor
    found = get_campaign_for(actor, campaign_id)
    decision = request.GET.get("decision") or ""
    qs = items_of(found)
    if decision in Decision.values:
        qs = qs.filter(decision=decision)
    else:
        decision = ""
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(qs, ("member_name", "id"), cursor, PAGE_SIZE)
    except Invalid:
        page, cursor = keyset_page(qs, ("member_name", "id"), None, PAGE_SIZE), None
    rows = [
        (item, decision_label(item, found), grant_now_label(state))
        for item, state in _with_states(found.tenant_id, page.items)
    ]
    context = {
        "campaign": found,
        "counts": decision_counts(found),
        "rows": rows,
        "decision": decision,
        "decisions": Decision.choices,
        "next_cursor": page.next_cursor,
        "is_later_page": bool(cursor),
        "may_manage": actor.access().tenant_wide(MANAGE),
        "is_draft": found.state == ReviewCampaign.State.DRAFT,
        "is_open": found.state == ReviewCampaign.State.OPEN,
    }
    return render(request, "reviews/campaign.html", context)


@require_POST
@member_required
def open_campaign(request: ConsoleRequest, campaign_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    found = get_campaign_for(request.actor, campaign_id)
    try:
        opened = actions.open_campaign(request.actor, found)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        n = decision_counts(opened)["total"]
        messages.success(request, _("Opened: %(n)d grant(s) to review; the reviewers were told.") % {"n": n})
    return redirect("reviews:campaign", found.pk)


@member_required
def close_campaign(request: ConsoleRequest, campaign_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    actor = request.actor
    found = get_campaign_for(actor, campaign_id)
    pending = decision_counts(found)[Decision.PENDING]
    confirmation = Confirmation(
        title=_("Close %(name)s?") % {"name": found.name},
        consequences=[
            _("Decisions become final; nobody can certify or revoke in this review any more."),
            _("%(n)d item(s) not decided yet will be recorded as not decided; their access stays as it is.")
            % {"n": pending},
        ],
        action_url=reverse("reviews:close", args=[found.pk]),
        button=_("Close the review"),
        cancel_url=reverse("reviews:campaign", args=[found.pk]),
    )

    def perform(form: Any) -> HttpResponse:
        actions.close_campaign(actor, found)
        messages.success(request, _("Closed the access review; its evidence is kept."))
        return redirect("reviews:campaign", found.pk)

    return confirm(request, confirmation, ConfirmForm, perform)


@member_required
def report_csv(request: ConsoleRequest, campaign_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_campaign_for(request.actor, campaign_id)
    text, rows = csv_text(found)
    actions.record_export(request.actor, found, rows=rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{found.pk}.csv"'
    return response
