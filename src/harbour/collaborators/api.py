"""REST API v1 of temporary collaborators: ask for one, decide, extend, end early."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from harbour.collaborators import actions
from harbour.collaborators.models import RequestState
from harbour.collaborators.queries import (
    get_extension_for,
    get_request_for,
    requests_visible_to,
    require_any_access,
)
from harbour.collaborators.schemas import (
    ApproveIn,
    CollaboratorFilters,
    CollaboratorIn,
    CollaboratorOut,
    CollaboratorPage,
    EndIn,
    ExtensionIn,
    ReasonIn,
)
from harbour.core.errors import Invalid
from harbour.core.pagination import keyset_page
from harbour.directory.queries import get_department_for

router = Router(tags=["collaborators"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _out(actor: Any, request_id: uuid.UUID) -> CollaboratorOut:
    return CollaboratorOut.of(get_request_for(actor, request_id))


@router.get(
    "/collaborators", response=CollaboratorPage, summary="Temporary collaborators, oldest request first"
)
def list_collaborators(request: HttpRequest, filters: Query[CollaboratorFilters]) -> CollaboratorPage:
    """The requests the caller sponsored, and those of the departments where they approve."""
    actor = _actor(request)
    require_any_access(actor)
    qs = requests_visible_to(actor)
    if filters.state is not None:
        if filters.state not in RequestState.values:
            raise Invalid(
                _("state is one of: %(states)s") % {"states": ", ".join(RequestState.values)}, field="state"
            )
        qs = qs.filter(state=filters.state)
    if filters.mine:
        qs = qs.filter(sponsor_id=actor.actor_id)
    page = keyset_page(qs, ("created_at", "id"), filters.cursor, filters.limit)
    return CollaboratorPage(items=[CollaboratorOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.post("/collaborators", response={201: CollaboratorOut}, summary="Ask for a temporary collaborator")
def request_collaborator(request: HttpRequest, body: CollaboratorIn) -> tuple[int, CollaboratorOut]:
    actor = _actor(request)
    department = get_department_for(actor, body.department_id) if body.department_id else None
    made = actions.request_collaborator(
        actor,
        email=body.email,
        name=body.name,
        organisation=body.organisation,
        purpose=body.purpose,
        department=department,
        days=body.days,
    )
    return 201, _out(actor, made.pk)


@router.get("/collaborators/{request_id}", response=CollaboratorOut, summary="One request and its extensions")
def get_collaborator(request: HttpRequest, request_id: uuid.UUID) -> CollaboratorOut:
    return _out(_actor(request), request_id)


@router.post("/collaborators/{request_id}/approve", response=CollaboratorOut, summary="Approve: invite them")
def approve(request: HttpRequest, request_id: uuid.UUID, body: ApproveIn | None = None) -> CollaboratorOut:
    actor = _actor(request)
    found = get_request_for(actor, request_id)
    actions.approve_request(actor, found, days=body.days if body is not None else None)
    return _out(actor, request_id)


@router.post("/collaborators/{request_id}/reject", response=CollaboratorOut, summary="Reject, with a reason")
def reject(request: HttpRequest, request_id: uuid.UUID, body: ReasonIn) -> CollaboratorOut:
    actor = _actor(request)
    actions.reject_request(actor, get_request_for(actor, request_id), reason=body.reason)
    return _out(actor, request_id)


@router.post(
    "/collaborators/{request_id}/revoke",
    response=CollaboratorOut,
    summary="End the access now (or withdraw a request still waiting)",
)
def revoke(request: HttpRequest, request_id: uuid.UUID, body: EndIn | None = None) -> CollaboratorOut:
    actor = _actor(request)
    actions.end_early(
        actor, get_request_for(actor, request_id), reason=body.reason if body is not None else ""
    )
    return _out(actor, request_id)


@router.post(
    "/collaborators/{request_id}/extensions",
    response={201: CollaboratorOut},
    summary="Ask for a later end (needs approval)",
)
def extend(request: HttpRequest, request_id: uuid.UUID, body: ExtensionIn) -> tuple[int, CollaboratorOut]:
    actor = _actor(request)
    actions.request_extension(
        actor, get_request_for(actor, request_id), ends_at=body.ends_at, reason=body.reason
    )
    return 201, _out(actor, request_id)


@router.post(
    "/collaborators/{request_id}/extensions/{extension_id}/approve",
    response=CollaboratorOut,
    summary="Approve an extension: the new end applies now",
)
def approve_extension(
    request: HttpRequest, request_id: uuid.UUID, extension_id: uuid.UUID
) -> CollaboratorOut:
    actor = _actor(request)
    found = get_request_for(actor, request_id)
    actions.approve_extension(actor, get_extension_for(actor, found, extension_id))
    return _out(actor, request_id)


@router.post(
    "/collaborators/{request_id}/extensions/{extension_id}/reject",
    response=CollaboratorOut,
    summary="Reject an extension, with a reason",
)
def reject_extension(
    request: HttpRequest, request_id: uuid.UUID, extension_id: uuid.UUID, body: ReasonIn
) -> CollaboratorOut:
    actor = _actor(request)
    found = get_request_for(actor, request_id)
    actions.reject_extension(actor, get_extension_for(actor, found, extension_id), reason=body.reason)
    return _out(actor, request_id)
