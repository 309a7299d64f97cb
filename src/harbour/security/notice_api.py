"""REST API v1 of a member's own notices: list them (unread first) and mark them read."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from harbour.directory.models import Member
from harbour.security.models import Notice
from harbour.security.notices import mark_read, notices_of

router = Router(tags=["notices"])
SHOWN = 200


class NoticeOut(Schema):
    id: uuid.UUID
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @classmethod
    def of(cls, notice: Notice) -> NoticeOut:
        return cls(
            id=notice.pk,
            title=notice.title,
            body=notice.body,
            url=notice.url,
            created_at=notice.created_at,
            read_at=notice.read_at,
        )


class MarkedOut(Schema):
    marked: int


def _member(request: HttpRequest) -> Member:
    return request.actor  # type: ignore[attr-defined]


@router.get(
    "/me/notices", response=list[NoticeOut], summary="The caller's notices, unread first, newest first"
)
def list_notices(request: HttpRequest) -> list[NoticeOut]:
    notices = list(notices_of(_member(request)).order_by("-created_at")[:SHOWN])
    notices.sort(key=lambda n: n.read_at is not None)  # stable: unread first, each part newest first
    return [NoticeOut.of(n) for n in notices]


@router.post(
    "/me/notices/{notice_id}/read", response=MarkedOut, summary="Mark one of the caller's notices read"
)
def read_notice(request: HttpRequest, notice_id: str) -> MarkedOut:
    return MarkedOut(marked=mark_read(_member(request), notice_id))


@router.post("/me/notices/read", response=MarkedOut, summary="Mark all the caller's notices read")
def read_all_notices(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=mark_read(_member(request)))
