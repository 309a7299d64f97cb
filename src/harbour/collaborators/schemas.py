"""API shapes of temporary collaborators."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import AwareDatetime

from harbour.collaborators.models import CollaboratorExtension, CollaboratorRequest
from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.directory.models import Member


class PersonOut(Schema):
    id: uuid.UUID
    name: str

    @classmethod
    def of(cls, member: Member | None) -> PersonOut | None:
        return cls(id=member.pk, name=member.name) if member is not None else None


class ExtensionOut(Schema):
    id: uuid.UUID
    state: str
    ends_at: dt.datetime
    reason: str
    requested_by: PersonOut | None
    previous_ends_at: dt.datetime | None
    decided_by: PersonOut | None
    decided_at: dt.datetime | None
    decision_reason: str
    created_at: dt.datetime

    @classmethod
    def of(cls, extension: CollaboratorExtension) -> ExtensionOut:
        return cls(
            id=extension.pk,
            state=extension.state,
            ends_at=extension.ends_at,
            reason=extension.reason,
            requested_by=PersonOut.of(extension.requested_by),
            previous_ends_at=extension.previous_ends_at,
            decided_by=PersonOut.of(extension.decided_by),
            decided_at=extension.decided_at,
            decision_reason=extension.decision_reason,
            created_at=extension.created_at,
        )


class CollaboratorOut(Schema):
    """A request and, once approved, the collaborator's access: ``member_id`` is the external account,
    ``ends_at`` when its access ends."""

    id: uuid.UUID
    state: str
    email: str
    name: str
    organisation: str
    purpose: str
    department_id: uuid.UUID | None
    department_name: str | None
    days: int
    sponsor: PersonOut | None
    decided_by: PersonOut | None
    decided_at: dt.datetime | None
    decision_reason: str
    member_id: uuid.UUID | None
    ends_at: dt.datetime | None
    ended_at: dt.datetime | None
    ended_by: PersonOut | None
    end_reason: str
    created_at: dt.datetime
    extensions: list[ExtensionOut]

    @classmethod
    def of(cls, request: CollaboratorRequest) -> CollaboratorOut:
        department = request.department if request.department_id else None
        return cls(
            id=request.pk,
            state=request.state,
            email=request.email,
            name=request.name,
            organisation=request.organisation,
            purpose=request.purpose,
            department_id=request.department_id,
            department_name=department.name if department is not None else None,
            days=request.days,
            sponsor=PersonOut.of(request.sponsor),
            decided_by=PersonOut.of(request.decided_by),
            decided_at=request.decided_at,
            decision_reason=request.decision_reason,
            member_id=request.member_id,
            ends_at=request.ends_at,
            ended_at=request.ended_at,
            ended_by=PersonOut.of(request.ended_by),
            end_reason=request.end_reason,
            created_at=request.created_at,
            extensions=[ExtensionOut.of(e) for e in request.extensions.all()],
        )


class CollaboratorPage(Schema):
    items: list[CollaboratorOut]
    next_cursor: str | None


class CollaboratorFilters(Schema):
    state: str | None = Field(
        None, description="requested, approved, rejected, withdrawn, expired or revoked"
    )
    mine: bool = Field(False, description="only the requests the caller sponsored")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class CollaboratorIn(Schema):
    email: str = Field(..., max_length=254)
    name: str = Field(..., max_length=150)
    organisation: str = Field(..., max_length=200)
    purpose: str = Field(..., max_length=2000)
    department_id: uuid.UUID | None = Field(None, description="whose managers approve (none: administrators)")
    days: int | None = Field(
        None, description="the term; 7 (or the company's maximum, if shorter) when left out"
    )


class ApproveIn(Schema):
    days: int | None = Field(None, description="fewer days than asked for; the request's days when left out")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class EndIn(Schema):
    reason: str = Field("", max_length=2000)


class ExtensionIn(Schema):
    ends_at: AwareDatetime
    reason: str = Field(..., max_length=2000)
