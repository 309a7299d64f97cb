"""REST API v1 of announcements: drafts (create, read, change, delete), send now, schedule / cancel, read
receipts (list, CSV) and statistics for officers; the caller's own inbox, marking one read, and the
language their announcements come in."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from harbour.announcements import actions
from harbour.announcements.queries import (
    announcements_for,
    deliveries_of,
    get_announcement_for,
    get_delivery_for,
    inbox_of,
    language_of,
    read_stats,
)
from harbour.announcements.receipts import csv_filename, receipts_csv
from harbour.announcements.schemas import (
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPatch,
    InboxItemOut,
    LanguageIn,
    LanguageOut,
    ReceiptOut,
    ScheduleIn,
    StatsOut,
)
from harbour.core.errors import Invalid
from harbour.core.problems import problem_response

router = Router(tags=["Announcements"])
LISTED = 200
RECEIPTS_LISTED = 5000


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _incomplete(exc: actions.IncompleteAnnouncement) -> HttpResponse:
    """The template gate's refusal, with every missing field listed (``missing``) besides the first
    (``field``)."""
    return problem_response(
        exc.status, str(exc.title), exc.message, slug=exc.slug, field=exc.field, missing=exc.missing
    )


@router.get("/announcements", response=list[AnnouncementOut], summary="Announcements, newest first")
def list_announcements(request: HttpRequest) -> list[AnnouncementOut]:
    return [AnnouncementOut.of(a) for a in announcements_for(_actor(request))[:LISTED]]


@router.post("/announcements", response={201: AnnouncementOut}, summary="Write an announcement (a draft)")
def create_announcement(request: HttpRequest, body: AnnouncementIn) -> tuple[int, AnnouncementOut]:
    announcement = actions.create_announcement(_actor(request), **body.dict())
    return 201, AnnouncementOut.of(announcement)


@router.get("/announcements/inbox", response=list[InboxItemOut], summary="Announcements I received")
def my_inbox(request: HttpRequest) -> list[InboxItemOut]:
    return [InboxItemOut.of(d) for d in inbox_of(_actor(request))[:LISTED]]


@router.get(
    "/announcements/inbox/language",
    response=LanguageOut,
    summary="The language my announcements come in (both until chosen)",
)
def my_language(request: HttpRequest) -> LanguageOut:
    actor = _actor(request)
    return LanguageOut(language=language_of(actor.actor_id, actor.tenant_id))


@router.put("/announcements/inbox/language", response=LanguageOut, summary="Choose that language")
def choose_language(request: HttpRequest, body: LanguageIn) -> LanguageOut:
    return LanguageOut(language=actions.choose_language(_actor(request), body.language).language)


@router.get(
    "/announcements/inbox/{uuid:announcement_id}",
    response=InboxItemOut,
    summary="One announcement I received",
)
def my_announcement(request: HttpRequest, announcement_id: uuid.UUID) -> InboxItemOut:
    return InboxItemOut.of(get_delivery_for(_actor(request), announcement_id))


@router.post(
    "/announcements/inbox/{uuid:announcement_id}/read",
    response=InboxItemOut,
    summary="Mark it read (the first time is kept)",
)
def mark_read(request: HttpRequest, announcement_id: uuid.UUID) -> InboxItemOut:
    actor = _actor(request)
    return InboxItemOut.of(actions.mark_read(actor, get_delivery_for(actor, announcement_id)))


@router.get("/announcements/{uuid:announcement_id}", response=AnnouncementOut, summary="One announcement")
def get_announcement(request: HttpRequest, announcement_id: uuid.UUID) -> AnnouncementOut:
    return AnnouncementOut.of(get_announcement_for(_actor(request), announcement_id))


@router.patch(
    "/announcements/{uuid:announcement_id}",
    response=AnnouncementOut,
    summary="Change a draft (or a scheduled one, which must stay complete)",
)
def update_announcement(request: HttpRequest, announcement_id: uuid.UUID, body: AnnouncementPatch) -> Any:
    actor = _actor(request)
    found = get_announcement_for(actor, announcement_id)
    changes = body.dict(exclude_unset=True)
    if "title" in changes and changes["title"] is None:
        raise Invalid(_("title is required"), field="title")
    try:
        return AnnouncementOut.of(actions.update_announcement(actor, found, **changes))
    except actions.IncompleteAnnouncement as exc:
        return _incomplete(exc)


@router.delete("/announcements/{uuid:announcement_id}", response={204: None}, summary="Delete a draft")
def delete_announcement(request: HttpRequest, announcement_id: uuid.UUID) -> tuple[int, None]:
    actor = _actor(request)
    actions.delete_announcement(actor, get_announcement_for(actor, announcement_id))
    return 204, None


@router.post(
    "/announcements/{uuid:announcement_id}/send",
    response=AnnouncementOut,
    summary="Send it now (every part must be filled in)",
)
def send_announcement(request: HttpRequest, announcement_id: uuid.UUID) -> Any:
    actor = _actor(request)
    found = get_announcement_for(actor, announcement_id)
    try:
        return AnnouncementOut.of(actions.send_announcement(actor, found))
    except actions.IncompleteAnnouncement as exc:
        return _incomplete(exc)


@router.post(
    "/announcements/{uuid:announcement_id}/schedule",
    response=AnnouncementOut,
    summary="Send it at a future time (again to reschedule)",
)
def schedule_announcement(request: HttpRequest, announcement_id: uuid.UUID, body: ScheduleIn) -> Any:
    actor = _actor(request)
    found = get_announcement_for(actor, announcement_id)
    try:
        return AnnouncementOut.of(actions.schedule_announcement(actor, found, at=body.scheduled_for))
    except actions.IncompleteAnnouncement as exc:
        return _incomplete(exc)


@router.post(
    "/announcements/{uuid:announcement_id}/cancel",
    response=AnnouncementOut,
    summary="Cancel the schedule (back to draft)",
)
def cancel_schedule(request: HttpRequest, announcement_id: uuid.UUID) -> AnnouncementOut:
    actor = _actor(request)
    return AnnouncementOut.of(actions.cancel_schedule(actor, get_announcement_for(actor, announcement_id)))


@router.get(
    "/announcements/{uuid:announcement_id}/receipts",
    response=list[ReceiptOut],
    summary="Read receipts (state=read or unread to filter)",
)
def receipts(request: HttpRequest, announcement_id: uuid.UUID, state: str = "") -> list[ReceiptOut]:
    found = get_announcement_for(_actor(request), announcement_id)
    qs = deliveries_of(found).order_by("member_name", "id")
    if state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif state:
        raise Invalid(_("state is read or unread"), field="state")
    return [ReceiptOut.of(d) for d in qs[:RECEIPTS_LISTED]]


@router.get("/announcements/{uuid:announcement_id}/receipts.csv", summary="Read receipts as CSV")
def receipts_export(request: HttpRequest, announcement_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    found = get_announcement_for(actor, announcement_id)
    text, rows = receipts_csv(found)
    actions.record_receipts_export(actor, found, rows=rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(found)}"'
    return response


@router.get(
    "/announcements/{uuid:announcement_id}/stats",
    response=StatsOut,
    summary="Read and unread counts, per department",
)
def stats(request: HttpRequest, announcement_id: uuid.UUID) -> StatsOut:
    return StatsOut.of(read_stats(get_announcement_for(_actor(request), announcement_id)))
