"""REST API v1 of the operation log: search, streaming export, verification, retention and legal hold."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from harbour.audit.chain import verify_company
from harbour.audit.retention import policy_of, set_legal_hold, set_retention
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import require_permission
from harbour.oplog.export import FORMATS
from harbour.oplog.filters import build_filters, person_by_id
from harbour.oplog.queries import full_log_included, log_page, search_log
from harbour.oplog.schemas import (
    EventOut,
    EventPage,
    ExportQuery,
    LogPageQuery,
    LogQuery,
    PolicyOut,
    PolicyPatch,
    VerdictOut,
)
from harbour.oplog.streaming import export_response

router = Router(tags=["operation log"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _tenant(request: HttpRequest) -> Tenant:
    return Tenant.objects.get(pk=_actor(request).tenant_id)


def _filters(request: HttpRequest, query: LogQuery) -> Any:
    actor = _actor(request)
    return build_filters(
        actor,
        person=person_by_id(actor, query.person_id),
        department_id=query.department_id,
        kind=query.kind,
        since=query.since,
        until=query.until,
    )


@router.get("/audit/events", response=EventPage, summary="Search the operation log, newest first")
def list_events(request: HttpRequest, query: Query[LogPageQuery]) -> EventPage:
    tenant = _tenant(request)
    entries = search_log(_actor(request), tenant, _filters(request, query))
    page = log_page(entries, query.cursor, query.limit)
    return EventPage(
        items=[EventOut.of(e) for e in page.items],
        next_cursor=page.next_cursor,
        full_log=full_log_included(tenant),
    )


@router.get(
    "/audit/events/export",
    summary="Export the operation log as CSV or JSON Lines (streamed, oldest first)",
)
def export_events(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    if query.format not in FORMATS:
        raise Invalid(_("the export format is csv or jsonl"), field="format")
    return export_response(_actor(request), _tenant(request), _filters(request, query), query.format)


@router.post("/audit/verify", response=VerdictOut, summary="Verify the company's whole log now")
def verify_log(request: HttpRequest) -> VerdictOut:
    actor, tenant = _actor(request), _tenant(request)
    require_permission(actor, "audit.view", tenant)
    verdict = verify_company(tenant.pk)
    return VerdictOut(
        intact=verdict.intact, entries=verdict.entries, broken_seq=verdict.broken_seq, reason=verdict.reason
    )


@router.get("/audit/policy", response=PolicyOut, summary="How long the log is kept; legal hold")
def get_policy(request: HttpRequest) -> PolicyOut:
    actor, tenant = _actor(request), _tenant(request)
    require_permission(actor, "audit.view", tenant)
    return PolicyOut.of(policy_of(tenant.pk))


@router.patch("/audit/policy", response=PolicyOut, summary="Change the retention or the legal hold")
def update_policy(request: HttpRequest, body: PolicyPatch) -> PolicyOut:
    actor, tenant = _actor(request), _tenant(request)
    require_permission(actor, "audit.manage", tenant)
    with tenant_transaction(tenant.pk):  # both changes, or neither
        if body.retention_days is not None:
            set_retention(actor, days=body.retention_days)
        if body.legal_hold is not None:
            set_legal_hold(actor, on=body.legal_hold, reason=body.legal_hold_reason)
    return PolicyOut.of(policy_of(tenant.pk))
