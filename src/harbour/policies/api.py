"""REST API v1 of policies: documents and their versions (draft, edit, publish), the acknowledgements and
the outstanding members of a version, and each member's own pending policies and acknowledgement."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from harbour.core.errors import Invalid
from harbour.core.time import now
from harbour.directory.models import Department
from harbour.policies import actions
from harbour.policies.queries import (
    acknowledgements_of,
    deadline_of,
    documents_visible_to,
    get_document_for,
    get_version_for,
    get_version_to_read,
    outstanding_members,
    pending_for,
    progress_of,
    versions_of,
)
from harbour.policies.schemas import (
    AcknowledgementOut,
    DocumentIn,
    DocumentOut,
    OutstandingOut,
    PendingOut,
    PublishIn,
    VersionIn,
    VersionOut,
)

router = Router(tags=["Policies and acknowledgements"])
ROWS_SHOWN = 2000


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _document_out(document: Any) -> DocumentOut:
    return DocumentOut.of(document, [VersionOut.of(v) for v in versions_of(document)])


@router.get("/policies", response=list[DocumentOut], summary="Policies and their versions")
def list_documents(request: HttpRequest) -> list[DocumentOut]:
    return [_document_out(d) for d in documents_visible_to(_actor(request))[:200]]


@router.post("/policies", response={201: DocumentOut}, summary="Create a policy (no version yet)")
def create_document(request: HttpRequest, body: DocumentIn) -> tuple[int, DocumentOut]:
    document = actions.create_document(_actor(request), kind=body.kind, name=body.name)
    return 201, _document_out(document)


@router.post(
    "/policies/default-conduct",
    response={201: VersionOut},
    summary="Create the Employee Conduct Policy with a draft from Harbour's default text",
)
def create_default_conduct(request: HttpRequest) -> tuple[int, VersionOut]:
    return 201, VersionOut.of(actions.create_default_conduct_policy(_actor(request)))


@router.get("/policies/mine/pending", response=list[PendingOut], summary="Policies I must acknowledge")
def my_pending(request: HttpRequest) -> list[PendingOut]:
    language = get_language() or "en"
    return [PendingOut.of(p, language) for p in pending_for(_actor(request))]


@router.get("/policies/{document_id}", response=DocumentOut, summary="A policy and its versions")
def get_document(request: HttpRequest, document_id: str) -> DocumentOut:
    return _document_out(get_document_for(_actor(request), document_id))


@router.post(
    "/policies/{document_id}/versions",
    response={201: VersionOut},
    summary="Draft the next version (texts not given start as the newest version's)",
)
def draft_version(request: HttpRequest, document_id: str, body: VersionIn) -> tuple[int, VersionOut]:
    actor = _actor(request)
    document = get_document_for(actor, document_id)
    version = actions.draft_version(actor, document, **body.dict())
    return 201, VersionOut.of(version)


@router.get("/policies/versions/{version_id}", response=VersionOut, summary="A version and its progress")
def get_version(request: HttpRequest, version_id: str) -> VersionOut:
    version = get_version_for(_actor(request), version_id)
    return VersionOut.of(version, progress_of(version))


@router.patch("/policies/versions/{version_id}", response=VersionOut, summary="Edit a draft")
def update_version(request: HttpRequest, version_id: str, body: VersionIn) -> VersionOut:
    actor = _actor(request)
    version = actions.update_draft(actor, get_version_for(actor, version_id), **body.dict(exclude_unset=True))
    return VersionOut.of(version)


@router.post(
    "/policies/versions/{version_id}/publish",
    response=VersionOut,
    summary="Publish a draft: everyone in scope must acknowledge it; the previous version is superseded",
)
def publish_version(request: HttpRequest, version_id: str, body: PublishIn) -> VersionOut:
    actor = _actor(request)
    version = actions.publish_version(
        actor,
        get_version_for(actor, version_id),
        deadline_days=body.deadline_days,
        scope_all=body.scope_all,
        department_ids=body.department_ids,
    )
    return VersionOut.of(version, progress_of(version))


@router.get(
    "/policies/versions/{version_id}/acknowledgements",
    response=list[AcknowledgementOut],
    summary="Who acknowledged a version, newest first",
)
def list_acknowledgements(request: HttpRequest, version_id: str) -> list[AcknowledgementOut]:
    version = get_version_for(_actor(request), version_id)
    return [AcknowledgementOut.of(a) for a in acknowledgements_of(version)[:ROWS_SHOWN]]


@router.get(
    "/policies/versions/{version_id}/outstanding",
    response=list[OutstandingOut],
    summary="Who has not acknowledged a version yet (optionally one department's subtree, or overdue only)",
)
def list_outstanding(
    request: HttpRequest, version_id: str, department_id: str | None = None, overdue: bool = False
) -> list[OutstandingOut]:
    actor = _actor(request)
    version = get_version_for(actor, version_id)
    if version.state == "draft":
        return []  # nobody is asked before publication
    department = None
    if department_id:
        try:
            department = Department.objects.for_tenant(actor.tenant_id).get(pk=department_id)
        except (Department.DoesNotExist, ValueError, ValidationError):
            raise Invalid(_("no such department"), field="department_id") from None
    at = now()
    members = outstanding_members(version, department=department, overdue_only=overdue, at=at)[:ROWS_SHOWN]
    rows = []
    for member in members:
        deadline = deadline_of(version, member.joined_at)
        rows.append(OutstandingOut.of(member, deadline, version.state == "published" and deadline < at))
    return rows


@router.post(
    "/policies/versions/{version_id}/acknowledge",
    response=AcknowledgementOut,
    summary="Acknowledge a version addressed to me",
)
def acknowledge(request: HttpRequest, version_id: str) -> AcknowledgementOut:
    actor = _actor(request)
    return AcknowledgementOut.of(actions.acknowledge(actor, get_version_to_read(actor, version_id)))
