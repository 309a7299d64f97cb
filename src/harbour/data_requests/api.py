"""REST API v1 of data access and correction requests: the requests and their clock (record, notice of
delay, complete, refuse, withdraw), a member's own access requests, the disclosure log and the s27 log
book (JSON and CSV)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from harbour.data_requests import actions
from harbour.data_requests.log_book import csv_text
from harbour.data_requests.models import OPEN_STATES, DataRequest, Kind, State
from harbour.data_requests.queries import (
    access_request_named,
    disclosures_for,
    get_request_for,
    log_book_for,
    lookback_disclosures,
    member_named,
    my_requests,
    open_first,
    requests_for,
    require_manage,
)
from harbour.data_requests.schemas import (
    CompleteIn,
    DelayNoticeIn,
    DisclosureIn,
    DisclosureOut,
    LogBookEntryOut,
    OwnRequestIn,
    RefuseIn,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    ThirdPartyOut,
    WithdrawIn,
)

router = Router(tags=["Data access and correction requests"])
SHOWN = 500


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _detail(found: DataRequest) -> RequestDetailOut:
    lookback: list[DisclosureOut] = []
    if found.kind == Kind.CORRECTION:
        until = found.closed_at if found.closed_at else None
        lookback = [DisclosureOut.of(d) for d in lookback_disclosures(found, until=until)]
    third = [ThirdPartyOut.of(n) for n in found.third_parties.all()]
    return RequestDetailOut(**RequestOut.of(found).dict(), lookback_disclosures=lookback, third_parties=third)


@router.get(
    "/data-requests", response=list[RequestOut], summary="Requests: open first, nearest deadline first"
)
def list_requests(
    request: HttpRequest, kind: str | None = None, state: str | None = None
) -> list[RequestOut]:
    qs = requests_for(_actor(request))
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in State.values:
        qs = qs.filter(state=state)
    return [RequestOut.of(r) for r in open_first(qs)[:SHOWN]]


@router.post("/data-requests", response={201: RequestDetailOut}, summary="Record a request received")
def record_request(request: HttpRequest, body: RequestIn) -> tuple[int, RequestDetailOut]:
    actor = _actor(request)
    require_manage(actor)
    found = actions.record_request(
        actor,
        kind=body.kind,
        received_on=body.received_on,
        description=body.description,
        language=body.language,
        requester=member_named(actor, body.requester_id, field="requester_id"),
        requester_name=body.requester_name,
        requester_contact=body.requester_contact,
        fee=body.fee,
        fee_note=body.fee_note,
        access_request=access_request_named(actor, body.access_request_id),
    )
    return 201, _detail(found)


@router.get("/data-requests/mine", response=list[RequestOut], summary="My own data requests")
def list_mine(request: HttpRequest) -> list[RequestOut]:
    return [RequestOut.of(r) for r in my_requests(_actor(request))[:SHOWN]]


@router.post("/data-requests/mine", response={201: RequestOut}, summary="Ask for a copy of my personal data")
def lodge_mine(request: HttpRequest, body: OwnRequestIn) -> tuple[int, RequestOut]:
    found = actions.lodge_own_access_request(
        _actor(request), description=body.description, language=body.language
    )
    return 201, RequestOut.of(found)


@router.get("/data-requests/disclosures", response=list[DisclosureOut], summary="The disclosure log")
def list_disclosures(request: HttpRequest, subject_id: str | None = None) -> list[DisclosureOut]:
    qs = disclosures_for(_actor(request))
    if subject_id:
        member = member_named(_actor(request), subject_id, field="subject_id")
        qs = qs.filter(subject=member)
    return [DisclosureOut.of(d) for d in qs[:SHOWN]]


@router.post("/data-requests/disclosures", response={201: DisclosureOut}, summary="Record a disclosure")
def record_disclosure(request: HttpRequest, body: DisclosureIn) -> tuple[int, DisclosureOut]:
    actor = _actor(request)
    require_manage(actor)
    found = actions.record_disclosure(
        actor,
        subject=member_named(actor, body.subject_id, field="subject_id"),
        subject_name=body.subject_name,
        recipient=body.recipient,
        data_disclosed=body.data_disclosed,
        disclosed_at=body.disclosed_at,
    )
    return 201, DisclosureOut.of(found)


@router.get("/data-requests/log-book", response=list[LogBookEntryOut], summary="The s27 log book of refusals")
def log_book(request: HttpRequest) -> list[LogBookEntryOut]:
    return [LogBookEntryOut.of(e) for e in log_book_for(_actor(request))[:SHOWN]]


@router.get("/data-requests/log-book.csv", summary="The s27 log book as CSV (lang: en or zh-hant)")
def log_book_csv(request: HttpRequest, lang: str = "en") -> StreamingHttpResponse:
    actor = _actor(request)
    text, rows = csv_text(log_book_for(actor), lang)
    actions.record_log_book_export(actor, rows=rows, language=lang)
    response = StreamingHttpResponse(iter([text]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="log-book-{lang}.csv"'
    return response


@router.get("/data-requests/{request_id}", response=RequestDetailOut, summary="A request and its clock")
def get_request(request: HttpRequest, request_id: str) -> RequestDetailOut:
    return _detail(get_request_for(_actor(request), request_id))


@router.post(
    "/data-requests/{request_id}/delay-notice",
    response=RequestDetailOut,
    summary="Record the notice of delay (before the end of day 40)",
)
def delay_notice(request: HttpRequest, request_id: str, body: DelayNoticeIn) -> RequestDetailOut:
    actor = _actor(request)
    found = actions.send_delay_notice(actor, get_request_for(actor, request_id), reasons=body.reasons)
    return _detail(found)


@router.post("/data-requests/{request_id}/complete", response=RequestDetailOut, summary="Complete a request")
def complete(request: HttpRequest, request_id: str, body: CompleteIn) -> RequestDetailOut:
    actor = _actor(request)
    found = get_request_for(actor, request_id)
    require_manage(actor)
    if found.kind == Kind.ACCESS:
        done = actions.complete_access(
            actor, found, data_held=body.data_held, supplied=body.supplied, supplied_on=body.supplied_on
        )
    else:
        done = actions.complete_correction(
            actor,
            found,
            satisfied_inaccurate=body.satisfied_inaccurate,
            correction_made=body.correction_made,
            corrected_copy_supplied_on=body.corrected_copy_supplied_on,
            third_parties=[
                actions.ThirdPartyAnswer(t.disclosure_id, t.notified, t.notified_on, t.reason)
                for t in body.third_parties
            ],
        )
    return _detail(done)


@router.post(
    "/data-requests/{request_id}/refuse",
    response=RequestDetailOut,
    summary="Refuse with a ground and reasons (writes the log-book entry)",
)
def refuse(request: HttpRequest, request_id: str, body: RefuseIn) -> RequestDetailOut:
    actor = _actor(request)
    found = actions.refuse_request(
        actor, get_request_for(actor, request_id), ground=body.ground, reasons=body.reasons
    )
    return _detail(found)


@router.post("/data-requests/{request_id}/withdraw", response=RequestDetailOut, summary="Record a withdrawal")
def withdraw(request: HttpRequest, request_id: str, body: WithdrawIn) -> RequestDetailOut:
    actor = _actor(request)
    found = actions.withdraw_request(actor, get_request_for(actor, request_id), note=body.note)
    return _detail(found)
