"""Console pages of data requests: the handlers' list (open first, days left, overdue highlighted), a
request's page with its clock and the actions (notice of delay, complete, refuse, withdraw), the disclosure
log and the s27 log book with its CSV; and "My data requests" for every member."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.time import now, today_in_hong_kong
from harbour.data_requests import actions
from harbour.data_requests.forms import (
    AccessCompleteForm,
    CorrectionCompleteForm,
    DelayNoticeForm,
    DisclosureForm,
    OwnRequestForm,
    RefuseForm,
    RequestForm,
    WithdrawForm,
)
from harbour.data_requests.log_book import LANGUAGES, csv_text, ground_label
from harbour.data_requests.models import OPEN_STATES, DataRequest, Kind, State, Timeliness, grounds_for
from harbour.data_requests.queries import (
    disclosures_for,
    get_request_for,
    log_book_for,
    lookback_disclosures,
    may_manage,
    may_view_all,
    member_by_email,
    my_requests,
    open_first,
    requests_for,
)
from harbour.directory.views.base import PAGE_SIZE, Confirmation, ConsoleRequest, confirm

BADGES = {
    Timeliness.RUNNING: "active",
    Timeliness.ON_TIME: "pass",
    Timeliness.NOTICE_GIVEN: "warning",
    Timeliness.LATE: "fail",
    Timeliness.OVERDUE: "fail",
    Timeliness.WITHDRAWN: "deactivated",
}


def _require_view(request: ConsoleRequest) -> None:
    if not may_view_all(request.actor):
        raise Http404


def _require_manage(request: ConsoleRequest) -> None:
    if not may_manage(request.actor):
        raise Http404


def clock_of(found: DataRequest) -> dict[str, Any]:
    """What the page shows of a request's clock: day, days left, standing and its badge."""
    today = today_in_hong_kong()
    status = found.timeliness(now())
    return {
        "day": found.day_number(today),
        "days_left": found.days_left(today),
        "status": status,
        "status_label": Timeliness(status).label,
        "badge": BADGES[Timeliness(status)],
        "highlight": status == Timeliness.OVERDUE,
    }


def _rows(requests: Any) -> list[tuple[DataRequest, dict[str, Any]]]:
    return [(r, clock_of(r)) for r in requests]


# ------------------------------------------------------------------------------------------ the list
@member_required
def request_list(request: ConsoleRequest) -> HttpResponse:
    _require_view(request)
    qs = requests_for(request.actor)
    kind = request.GET.get("kind") or ""
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    open_rows = _rows(open_first(qs.filter(state__in=OPEN_STATES)))
    closed = Paginator(qs.exclude(state__in=OPEN_STATES).order_by("-received_on", "-created_at"), PAGE_SIZE)
    page = closed.get_page(request.GET.get("page"))
    context = {
        "open_rows": open_rows,
        "closed_rows": _rows(page.object_list),
        "page": page,
        "kind": kind,
        "kinds": Kind.choices,
        "overdue": sum(1 for _r, clock in open_rows if clock["highlight"]),
        "may_manage": may_manage(request.actor),
    }
    return render(request, "data_requests/list.html", context)


def _access_choices(request: ConsoleRequest) -> list[tuple[str, str]]:
    qs = requests_for(request.actor).filter(kind=Kind.ACCESS).order_by("-received_on")[:200]
    return [(str(r.pk), f"{r.requester_name} · {r.received_on.isoformat()}") for r in qs]


@member_required
def new_request(request: ConsoleRequest) -> HttpResponse:
    _require_manage(request)
    choices = _access_choices(request)
    form = RequestForm(request.POST or None, access_requests=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            requester = member_by_email(request.actor, data["requester_email"], field="requester_id")
            linked = None
            if data["access_request"]:
                linked = get_request_for(request.actor, data["access_request"])
            found = actions.record_request(
                request.actor,
                kind=data["kind"],
                received_on=data["received_on"],
                description=data["description"],
                language=data["language"],
                requester=requester,
                requester_name=data["requester_name"],
                requester_contact=data["requester_contact"],
                fee=data["fee"],
                fee_note=data["fee_note"],
                access_request=linked,
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("Recorded. Due by the end of %(day)s.") % {"day": found.due_on.isoformat()}
            )
            return redirect("data_requests:detail", found.pk)
    status = 400 if form.errors else 200
    return render(request, "data_requests/new.html", {"form": form}, status=status)


# ------------------------------------------------------------------------------------ one request
@member_required
def request_detail(request: ConsoleRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    found = get_request_for(actor, request_id)
    handler = may_manage(actor)
    lookback = []
    if found.kind == Kind.CORRECTION and may_view_all(actor):
        lookback = list(lookback_disclosures(found, until=found.closed_at))
    context = {
        "req": found,
        "clock": clock_of(found),
        "is_open": found.is_open,
        "may_manage": handler,
        "may_view_all": may_view_all(actor),
        "is_mine": found.requester_id == actor.pk,
        "may_delay": handler and found.state == State.RECEIVED and now() < found.deadline,
        "refusal_ground": str(grounds_for(found.kind).get(found.refusal_ground, found.refusal_ground)),
        "third_parties": list(found.third_parties.all()),
        "lookback": lookback,
        "log_book_entries": list(found.log_book_entries.all()) if may_view_all(actor) else [],
    }
    return render(request, "data_requests/detail.html", context)


def _action_page(
    request: ConsoleRequest,
    found: DataRequest,
    form: Any,
    title: str,
    button: str,
    template_extra: dict[str, Any],
) -> HttpResponse:
    context = {"req": found, "clock": clock_of(found), "form": form, "title": title, "button": button}
    context.update(template_extra)
    return render(request, "data_requests/action.html", context, status=400 if form.errors else 200)


@member_required
def delay_notice(request: ConsoleRequest, request_id: uuid.UUID) -> HttpResponse:
    _require_manage(request)
    found = get_request_for(request.actor, request_id)
    form = DelayNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_delay_notice(request.actor, found, reasons=form.cleaned_data["reasons"])
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Notice of delay recorded; the request stays open."))
            return redirect("data_requests:detail", found.pk)
    note = _("Give it in writing before the end of %(day)s (Hong Kong time).") % {
        "day": found.due_on.isoformat()
    }
    return _action_page(
        request, found, form, _("Notice of delay"), _("Record the notice of delay"), {"note": note}
    )


@member_required
def complete(request: ConsoleRequest, request_id: uuid.UUID) -> HttpResponse:
    _require_manage(request)
    actor = request.actor
    found = get_request_for(actor, request_id)
    data = request.POST if request.method == "POST" else None
    form: AccessCompleteForm | CorrectionCompleteForm
    if found.kind == Kind.ACCESS:
        form = AccessCompleteForm(data, initial={"supplied_on": today_in_hong_kong()})
    else:
        disclosures = list(lookback_disclosures(found))
        form = CorrectionCompleteForm(
            data, disclosures=disclosures, initial={"corrected_copy_supplied_on": today_in_hong_kong()}
        )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            if isinstance(form, AccessCompleteForm):
                actions.complete_access(
                    actor,
                    found,
                    data_held=cleaned["data_held"],
                    supplied=cleaned["supplied"],
                    supplied_on=cleaned["supplied_on"],
                )
            else:
                actions.complete_correction(
                    actor,
                    found,
                    satisfied_inaccurate=cleaned["satisfied_inaccurate"],
                    correction_made=cleaned["correction_made"],
                    corrected_copy_supplied_on=cleaned["corrected_copy_supplied_on"],
                    third_parties=[
                        actions.ThirdPartyAnswer(*answer) for answer in form.third_party_answers()
                    ],
                )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Completed."))
            return redirect("data_requests:detail", found.pk)
    note = (
        _(
            "Supply a copy of the data as it stood when the request was received, "
            "or say in writing that none is held."
        )
        if found.kind == Kind.ACCESS
        else _(
            "Correct the data, give the requester a corrected copy, and send the corrected data "
            "to every third party "
            "it was disclosed to from 12 months before the request (or say why one is not told)."
        )
    )
    return _action_page(request, found, form, _("Complete the request"), _("Complete"), {"note": note})


@member_required
def refuse(request: ConsoleRequest, request_id: uuid.UUID) -> HttpResponse:
    _require_manage(request)
    found = get_request_for(request.actor, request_id)
    form = RefuseForm(request.POST or None, kind=found.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.refuse_request(
                request.actor, found, ground=form.cleaned_data["ground"], reasons=form.cleaned_data["reasons"]
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Refused; the refusal is entered in the log book."))
            return redirect("data_requests:detail", found.pk)
    note = _("Give the notice of refusal with its reasons in writing by the end of %(day)s.") % {
        "day": found.due_on.isoformat()
    }
    return _action_page(request, found, form, _("Refuse the request"), _("Refuse"), {"note": note})


@member_required
def withdraw(request: ConsoleRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    found = get_request_for(actor, request_id)
    if found.requester_id != actor.pk:
        _require_manage(request)
    back = reverse("data_requests:detail", args=[found.pk])
    confirmation = Confirmation(
        title=_("Record that %(name)s withdrew the request?") % {"name": found.requester_name},
        consequences=[
            _("The request closes: the clock stops and it cannot be answered here any more."),
            _("The withdrawal, who recorded it and when are kept."),
        ],
        action_url=reverse("data_requests:withdraw", args=[found.pk]),
        button=_("Withdraw the request"),
        cancel_url=back,
    )

    def perform(form: Any) -> HttpResponse:
        actions.withdraw_request(actor, found, note=form.cleaned_data["note"])
        messages.success(request, _("The request is withdrawn."))
        return redirect(back)

    return confirm(request, confirmation, WithdrawForm, perform)


# ------------------------------------------------------------------------------------------ my requests
@member_required
def mine(request: ConsoleRequest) -> HttpResponse:
    """Any member: ask for a copy of one's own data and follow the request."""
    form = OwnRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.lodge_own_access_request(
                request.actor,
                description=form.cleaned_data["description"],
                language=form.cleaned_data["language"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Your request is recorded. The company must answer by the end of %(day)s.")
                % {"day": found.due_on.isoformat()},
            )
            return redirect("data_requests:mine")
    context = {"rows": _rows(my_requests(request.actor)[:200]), "form": form}
    return render(request, "data_requests/mine.html", context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------ disclosures
@member_required
def disclosures(request: ConsoleRequest) -> HttpResponse:
    _require_view(request)
    actor = request.actor
    handler = may_manage(actor)
    form = DisclosureForm(request.POST or None) if handler else None
    if request.method == "POST":
        _require_manage(request)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                subject = member_by_email(actor, data["subject_email"], field="subject_id")
                actions.record_disclosure(
                    actor,
                    subject=subject,
                    subject_name=data["subject_name"],
                    recipient=data["recipient"],
                    data_disclosed=data["data_disclosed"],
                    disclosed_at=data["disclosed_at"],
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Disclosure recorded."))
                return redirect("data_requests:disclosures")
    page = Paginator(disclosures_for(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form}
    status = 400 if form is not None and form.errors else 200
    return render(request, "data_requests/disclosures.html", context, status=status)


# ------------------------------------------------------------------------------------------ log book
@member_required
def log_book(request: ConsoleRequest) -> HttpResponse:
    _require_view(request)
    page = Paginator(log_book_for(request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, ground_label(e)) for e in page.object_list]
    return render(request, "data_requests/log_book.html", {"page": page, "rows": rows})


@member_required
def log_book_csv(request: ConsoleRequest) -> HttpResponse:
    _require_view(request)
    lang = request.GET.get("lang") or "en"
    if lang not in LANGUAGES:
        lang = "en"
    text, rows = csv_text(log_book_for(request.actor), lang)
    actions.record_log_book_export(request.actor, rows=rows, language=lang)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="log-book-{lang}.csv"'
    return response
