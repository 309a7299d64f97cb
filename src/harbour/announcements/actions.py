"""Writes of announcements: draft (incomplete allowed), edit, delete a draft, send now, schedule for a Hong
Kong time / reschedule / cancel, the periodic sending of due ones, read receipts, a reader's language.

The four-part gate (``HB-GOV-ANNOUNCE``): nothing is sent or scheduled while any part — title, background,
effective date, consequences of violation, IT support contact, each text in English and Traditional Chinese —
is missing; the refusal names every missing field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from harbour.announcements.delivery_messages import tell_recipients
from harbour.announcements.models import Announcement, Audience, Delivery, Language, ReaderLanguage
from harbour.announcements.queries import (
    MANAGE,
    departments_by_id,
    languages_of,
    primary_departments,
    recipients_of,
)
from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.validation import clean_text

TITLE_MAX = 200
TEXT_MAX = 5000
TEXT_FIELDS = (
    "title_zh",
    "background_en",
    "background_zh",
    "consequences_en",
    "consequences_zh",
    "it_contact_en",
    "it_contact_zh",
)
EDITABLE = ("title", *TEXT_FIELDS, "effective_date", "audience", "department_ids")


class IncompleteAnnouncement(Invalid):
    """The template gate's refusal: ``missing`` lists every empty required field."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _("every part of the announcement is needed before it is sent or scheduled; missing: %(fields)s")
            % {"fields": ", ".join(missing)},
            field=missing[0],
        )
        self.missing = missing


def system_actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "announcement schedule")


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def _departments(actor: Actor, values: Sequence[uuid.UUID | str]) -> list[dict[str, str]]:
    wanted: list[str] = []
    for value in values:
        try:
            text = str(uuid.UUID(str(value)))
        except ValueError:
            raise Invalid(_("no such department: %(id)s") % {"id": value}, field="department_ids") from None
        if text not in wanted:
            wanted.append(text)
    found = departments_by_id(actor.tenant_id, wanted)
    missing = [value for value in wanted if value not in found]
    if missing:
        raise Invalid(_("no such department: %(id)s") % {"id": missing[0]}, field="department_ids")
    return [{"id": value, "name": found[value].name} for value in wanted]


def _clean(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    """Validate the given fields (all before any write); answers model field → value."""
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise Invalid(_("unknown field: %(field)s") % {"field": unknown[0]}, field=unknown[0])
    cleaned: dict[str, Any] = {}
    if "title" in values:
        cleaned["title"] = clean_text(values["title"], field="title", max_length=TITLE_MAX, required=True)
    for name in TEXT_FIELDS:
        if name in values:
            limit = TITLE_MAX if name == "title_zh" else TEXT_MAX
            cleaned[name] = clean_text(values[name] or "", field=name, max_length=limit)
    if "effective_date" in values:
        day = values["effective_date"]
        if day is not None and not isinstance(day, dt.date):
            try:
                day = dt.date.fromisoformat(str(day))
            except ValueError:
                raise Invalid(_("give the effective date as YYYY-MM-DD"), field="effective_date") from None
        if isinstance(day, dt.datetime):
            day = day.date()
        cleaned["effective_date"] = day
    if "audience" in values:
        if values["audience"] not in Audience.values:
            raise Invalid(
                _("the audience is one of: %(choices)s") % {"choices": ", ".join(Audience.values)},
                field="audience",
            )
        cleaned["audience"] = values["audience"]
    if "department_ids" in values:
        cleaned["departments"] = _departments(actor, values["department_ids"] or [])
    return cleaned


def _require_complete(announcement: Announcement) -> None:
    missing = announcement.missing_parts()
    if missing:
        raise IncompleteAnnouncement(missing)


def _locked(announcement: Announcement) -> Announcement:
    return Announcement.objects.for_tenant(announcement.tenant_id).select_for_update().get(pk=announcement.pk)


def _refuse_sent(announcement: Announcement) -> None:
    if announcement.state == Announcement.State.SENT:
        raise Conflict(_("this announcement has been sent and can no longer change"), field="state")


# ---------------------------------------------------------------------------------------------- drafts
@tenant_atomic
def create_announcement(actor: Actor, **values: Any) -> Announcement:
    """A draft: only the English title is needed now; the rest may follow before it is sent."""
    _require_manage(actor)
    values.setdefault("title", "")
    cleaned = _clean(actor, values)
    announcement = Announcement.objects.create(
        tenant_id=actor.tenant_id, created_by=actor if isinstance(actor, Member) else None, **cleaned
    )
    record(actor, "announcement.created", target=announcement, after=announcement.snapshot())
    return announcement


@tenant_atomic
def update_announcement(actor: Actor, announcement: Announcement, **values: Any) -> Announcement:
    """Change a draft, or a scheduled announcement as long as it stays complete; a sent one is final."""
    _require_manage(actor)
    announcement = _locked(announcement)
    _refuse_sent(announcement)
    cleaned = _clean(actor, values)
    before = announcement.snapshot()
    for name, value in cleaned.items():
        setattr(announcement, name, value)
    if announcement.state == Announcement.State.SCHEDULED:
        _require_complete(announcement)
    announcement.save()
    record(actor, "announcement.updated", target=announcement, before=before, after=announcement.snapshot())
    return announcement


@tenant_atomic
def delete_announcement(actor: Actor, announcement: Announcement) -> None:
    _require_manage(actor)
    announcement = _locked(announcement)
    _refuse_sent(announcement)
    if announcement.state == Announcement.State.SCHEDULED:
        raise Conflict(_("cancel the schedule before deleting the announcement"), field="state")
    before = announcement.snapshot()
    record(actor, "announcement.deleted", target=announcement, before=before)
    announcement.delete()


# ------------------------------------------------------------------------------------ schedule and send
@tenant_atomic
def schedule_announcement(actor: Actor, announcement: Announcement, *, at: dt.datetime) -> Announcement:
    """Send it at ``at`` (a time in the future); calling again on a scheduled one reschedules it."""
    _require_manage(actor)
    announcement = _locked(announcement)
    _refuse_sent(announcement)
    if at.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field="scheduled_for")
    if at <= now():
        raise Invalid(_("the sending time must be in the future"), field="scheduled_for")
    _require_complete(announcement)
    before = announcement.snapshot()
    announcement.state = Announcement.State.SCHEDULED
    announcement.scheduled_for = at
    announcement.save(update_fields=["state", "scheduled_for", "updated_at"])
    record(actor, "announcement.scheduled", target=announcement, before=before, after=announcement.snapshot())
    return announcement


@tenant_atomic
def cancel_schedule(actor: Actor, announcement: Announcement) -> Announcement:
    """A scheduled announcement goes back to draft; nothing is sent."""
    _require_manage(actor)
    announcement = _locked(announcement)
    if announcement.state != Announcement.State.SCHEDULED:
        raise Conflict(_("only a scheduled announcement can be cancelled"), field="state")
    before = announcement.snapshot()
    announcement.state = Announcement.State.DRAFT
    announcement.scheduled_for = None
    announcement.save(update_fields=["state", "scheduled_for", "updated_at"])
    record(
        actor,
        "announcement.schedule_cancelled",
        target=announcement,
        before=before,
        after=announcement.snapshot(),
    )
    return announcement


def _deliver(actor: Actor, announcement: Announcement, *, allow_nobody: bool) -> Announcement:
    """Fix the recipients (one delivery each), tell them, mark it sent and audit — in the caller's
    transaction, on a locked row that is not yet sent."""
    _require_complete(announcement)
    recipients = recipients_of(announcement)
    if not recipients and not allow_nobody:
        raise Invalid(
            _("nobody would receive it: the chosen departments have no active or invited member"),
            field="department_ids",
        )
    at = now()
    ids = [m.pk for m in recipients]
    languages = languages_of(announcement.tenant_id, ids)
    places = primary_departments(announcement.tenant_id, ids)
    rows = [
        Delivery(
            tenant_id=announcement.tenant_id,
            announcement=announcement,
            member=member,
            member_name=member.name,
            member_email=member.email,
            department_name=places.get(member.pk, ""),
            language=languages.get(member.pk, Language.BOTH),
            delivered_at=at,
        )
        for member in recipients
    ]
    Delivery.objects.for_tenant(announcement.tenant_id).bulk_create(rows, batch_size=500)
    before = announcement.snapshot()
    announcement.state = Announcement.State.SENT
    announcement.sent_at = at
    announcement.sent_by = actor if isinstance(actor, Member) else None
    announcement.recipient_count = len(rows)
    announcement.save(update_fields=["state", "sent_at", "sent_by", "recipient_count", "updated_at"])
    tell_recipients(announcement, list(zip(recipients, rows, strict=True)))
    record(
        actor,
        "announcement.sent",
        target=announcement,
        before=before,
        after=announcement.snapshot(),
        recipients=len(rows),
    )
    return announcement


@tenant_atomic
def send_announcement(actor: Actor, announcement: Announcement) -> Announcement:
    """Send a draft (or a scheduled one early) now."""
    _require_manage(actor)
    announcement = _locked(announcement)
    _refuse_sent(announcement)
    return _deliver(actor, announcement, allow_nobody=False)


@tenant_atomic
def send_if_due(actor: Actor, announcement_id: uuid.UUID, *, at: dt.datetime) -> bool:
    """The schedule's step for one announcement: sent only if still scheduled and due at ``at`` (a second
    run, or a cancellation meanwhile, finds nothing to do)."""
    if not isinstance(actor, SystemActor):
        raise Forbidden(_("only the schedule sends due announcements"))
    found = (
        Announcement.objects.for_tenant(actor.tenant_id)
        .select_for_update()
        .filter(pk=announcement_id, state=Announcement.State.SCHEDULED, scheduled_for__lte=at)
        .first()
    )
    if found is None:
        return False
    _deliver(actor, found, allow_nobody=True)
    return True


def send_due(tenant_id: uuid.UUID, *, at: dt.datetime | None = None) -> int:
    """Every scheduled announcement of the company due at ``at`` (now by default), each in its own
    transaction; answers how many were sent."""
    at = at or now()
    due = list(
        Announcement.objects.for_tenant(tenant_id)
        .filter(state=Announcement.State.SCHEDULED, scheduled_for__lte=at)
        .order_by("scheduled_for", "id")
        .values_list("pk", flat=True)
    )
    actor = system_actor(tenant_id)
    return sum(1 for pk in due if send_if_due(actor, pk, at=at))


# ------------------------------------------------------------------------------------------- receipts
@tenant_atomic
def mark_read(actor: Actor, delivery: Delivery) -> Delivery:
    """The recipient opened it: the first time is recorded, later openings change nothing."""
    if (
        actor.actor_id is None
        or delivery.member_id != actor.actor_id
        or delivery.tenant_id != actor.tenant_id
    ):
        raise Forbidden(_("only its recipient can mark an announcement read"))
    at = now()
    changed = (
        Delivery.objects.for_tenant(delivery.tenant_id)
        .filter(pk=delivery.pk, read_at__isnull=True)
        .update(read_at=at)
    )
    delivery.refresh_from_db()
    if changed:
        record(actor, "announcement.read", target=delivery.announcement, read_at=at.isoformat())
    return delivery


@tenant_atomic
def record_receipts_export(actor: Actor, announcement: Announcement, *, rows: int) -> None:
    require_permission(actor, "announcement.view", Tenant.objects.get(pk=actor.tenant_id))
    record(actor, "announcement.receipts_exported", target=announcement, rows=rows)


@tenant_atomic
def choose_language(actor: Actor, language: str) -> ReaderLanguage:
    """Self-service: the language the actor reads announcements in (console and email)."""
    if not isinstance(actor, Member):
        raise Forbidden(_("only a member chooses their own language"))
    if language not in Language.values:
        raise Invalid(
            _("the language is one of: %(choices)s") % {"choices": ", ".join(Language.values)},
            field="language",
        )
    found = ReaderLanguage.objects.for_tenant(actor.tenant_id).filter(member=actor).first()
    before = found.snapshot() if found else None
    if found is None:
        found = ReaderLanguage.objects.create(tenant_id=actor.tenant_id, member=actor, language=language)
    else:
        found.language = language
        found.save(update_fields=["language", "updated_at"])
    record(actor, "announcement.language_chosen", target=actor, before=before, after=found.snapshot())
    return found
