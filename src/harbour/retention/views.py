"""Console pages of retention: the schedules (period, basis, enforced or not, what is due and held), legal
holds (place, lift), the preview of an erasure run with "run now", and the erasure history with a chart of
records erased per month."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.erasure import categories
from harbour.core.errors import HarbourError, Invalid
from harbour.directory.forms import Choices
from harbour.directory.models import Member
from harbour.directory.queries import members_visible_to
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm, require_tenant_wide
from harbour.retention import actions, runs
from harbour.retention.forms import HoldForm, LiftForm, RunForm, ScheduleForm
from harbour.retention.permission_codes import MANAGE, VIEW
from harbour.retention.queries import (
    category_label,
    erased_per_month,
    get_hold_for,
    hold_is_live,
    holds_visible_to,
    preview_for,
    runs_visible_to,
    statuses_for,
)

HISTORY_SHOWN = 200
HOLDS_SHOWN = 500


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _may_manage(request: ConsoleRequest) -> bool:
    return bool(request.actor.access().tenant_wide(MANAGE))


# ------------------------------------------------------------------------------------------------ schedules
def _schedules_page(request: ConsoleRequest, forms: dict[str, ScheduleForm] | None = None) -> HttpResponse:
    rows = statuses_for(request.actor)
    forms = forms or {}
    table = []
    for row in rows:
        form = forms.get(row.category.code) or ScheduleForm(
            initial={"days": row.schedule.days, "enabled": row.schedule.enabled},
            prefix=row.category.code,
        )
        table.append((row, form))
    context = {"rows": table, "may_manage": _may_manage(request)}
    return render(request, "retention/schedules.html", context, status=400 if forms else 200)


@member_required
def schedules_page(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    return _schedules_page(request)


@require_POST
@member_required
def schedule_page(request: ConsoleRequest, category: str) -> HttpResponse:
    _require(request, MANAGE)
    if category not in {c.code for c in categories()}:
        raise Http404
    form = ScheduleForm(request.POST, prefix=category)
    if form.is_valid():
        try:
            actions.update_schedule(
                request.actor, category, days=form.cleaned_data["days"], enabled=form.cleaned_data["enabled"]
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the retention schedule."))
            return redirect("retention:schedules")
    return _schedules_page(request, {category: form})


# -------------------------------------------------------------------------------------------------- holds
def _category_choices() -> Choices:
    return [(c.code, _("Every record of: %(label)s") % {"label": c.label}) for c in categories()]


def _find_member(request: ConsoleRequest, text: str) -> Member:
    text = text.strip()
    found = members_visible_to(request.actor).filter(Q(email__iexact=text) | Q(employee_number=text)).first()
    if found is None:
        raise Invalid(_("no member with that email address or employee number"), field="member_id")
    return found


@member_required
def holds_page(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    form = HoldForm(request.POST or None, categories=_category_choices())
    if request.method == "POST":
        _require(request, MANAGE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = _find_member(request, data["member"]) if data["scope"] == HoldForm.MEMBER else None
                actions.place_hold(
                    request.actor,
                    reason=data["reason"],
                    category="" if member is not None else data["scope"],
                    member=member,
                    ends_on=data["ends_on"],
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Placed the legal hold: those records are not erased while it lasts.")
                )
                return redirect("retention:holds")
    holds = [
        (hold, hold_is_live(hold), category_label(hold.category) if hold.category else "")
        for hold in holds_visible_to(request.actor)[:HOLDS_SHOWN]
    ]
    context = {"holds": holds, "form": form, "may_manage": _may_manage(request)}
    return render(request, "retention/holds.html", context, status=400 if form.errors else 200)


@member_required
def lift_page(request: ConsoleRequest, hold_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    hold = get_hold_for(request.actor, hold_id)
    what = hold.member.name if hold.member is not None else category_label(hold.category)
    confirmation = Confirmation(
        title=_("Lift the legal hold on %(what)s?") % {"what": what},
        consequences=[
            _("Records it kept become erasable: the next erasure run erases those whose period has run out."),
            _("The reason is kept with the hold and in the operation log."),
        ],
        action_url=reverse("retention:lift", args=[hold.pk]),
        button=_("Lift the hold"),
        cancel_url=reverse("retention:holds"),
    )

    def perform(form: Any) -> HttpResponse:
        actions.lift_hold(request.actor, hold, reason=form.cleaned_data["reason"])
        messages.success(request, _("Lifted the legal hold."))
        return redirect("retention:holds")

    return confirm(request, confirmation, LiftForm, perform)


# ------------------------------------------------------------------------------------- preview and run now
@member_required
def preview_page(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    code = request.GET.get("category") or None
    try:
        rows = preview_for(request.actor, code)
    except Invalid:
        raise Http404 from None
    context = {"rows": rows, "may_manage": _may_manage(request), "category": code}
    return render(request, "retention/preview.html", context)


@member_required
def run_now_page(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    rows = preview_for(request.actor)
    due = sum(len(row.due.erase) for row in rows)
    held = sum(len(row.due.held) for row in rows)
    confirmation = Confirmation(
        title=_("Erase what is due now?"),
        consequences=[
            _(
                "%(n)d record(s) whose retention period has run out are erased for good: "
                "personal data is removed, a neutral tombstone stays for references."
            )
            % {"n": due},
            _("%(n)d record(s) on legal hold are kept.") % {"n": held},
            _(
                "The evidence (counts, cut-off date, a digest of the erased ids) "
                "is kept in the erasure history."
            ),
        ],
        action_url=reverse("retention:run_now"),
        button=_("Erase now"),
        cancel_url=reverse("retention:preview"),
    )

    def perform(form: Any) -> HttpResponse:
        done = runs.run_all(request.actor)
        erased = sum(run.erased for run in done)
        messages.success(request, _("Erasure finished: %(n)d record(s) erased.") % {"n": erased})
        return redirect("retention:history")

    return confirm(request, confirmation, RunForm, perform)


# ---------------------------------------------------------------------------------------------- history
@member_required
def history_page(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    history = [(run, category_label(run.category)) for run in runs_visible_to(request.actor)[:HISTORY_SHOWN]]
    chart = bar_chart(erased_per_month(request.actor.tenant_id))
    context = {"runs": history, "chart": chart, "may_manage": _may_manage(request)}
    return render(request, "retention/history.html", context)
