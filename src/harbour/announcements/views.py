"""Console pages of announcements: each member's "Announcements" inbox and the announcement in their language
(opening it records the read receipt once); for officers the list, writing and editing drafts (the missing
parts shown), sending now or at a Hong Kong time, cancelling, and the read receipts (chart, per department,
unread list, CSV)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.announcements import actions
from harbour.announcements.forms import AnnouncementForm, ConfirmForm, LanguageForm, ScheduleForm
from harbour.announcements.models import PART_LABELS, Announcement, Language
from harbour.announcements.queries import (
    MANAGE,
    VIEW,
    announcements_for,
    deliveries_of,
    get_announcement_for,
    get_delivery_for,
    inbox_of,
    language_of,
    read_stats,
    with_read_counts,
)
from harbour.announcements.receipts import csv_filename
from harbour.announcements.receipts import receipts_csv as receipts_csv_text
from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.time import local
from harbour.directory.models import Department
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm, require_tenant_wide

INBOX_SHOWN = 200
LISTED = 200
UNREAD_SHOWN = 500


def _require(request: ConsoleRequest, code: str) -> None:
    require_tenant_wide(request.actor, code)


def _missing_labels(announcement: Announcement) -> list[str]:
    return [str(PART_LABELS.get(name, name)) for name in announcement.missing_parts()]


# ------------------------------------------------------------------------------------------------- inbox
def _inbox_context(request: ConsoleRequest, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    chosen = language_of(actor.pk, actor.tenant_id)
    deliveries = list(inbox_of(actor)[:INBOX_SHOWN])
    zh = _reading_language(chosen) == Language.CHINESE
    rows = [
        (d, d.announcement.title_zh if zh and d.announcement.title_zh else d.announcement.title)
        for d in deliveries
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "unread": sum(1 for d in deliveries if d.read_at is None),
        "language_form": LanguageForm(initial={"language": chosen}),
        "may_view": actor.access().tenant_wide(VIEW),
    }
    context.update(extra)
    return context


def _reading_language(chosen: str) -> str:
    """A chosen language, else the console's."""
    if chosen in (Language.ENGLISH, Language.CHINESE):
        return chosen
    return Language.CHINESE if (translation.get_language() or "").startswith("zh") else Language.ENGLISH


@member_required
def inbox(request: ConsoleRequest) -> HttpResponse:
    """What the member received, unread first (any member: reading one's own needs no role)."""
    return render(request, "announcements/inbox.html", _inbox_context(request))


@require_POST
@member_required
def language(request: ConsoleRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            actions.choose_language(request.actor, form.cleaned_data["language"])
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved: announcements will reach you in the language chosen."))
            return redirect("announcements:inbox")
    return render(
        request, "announcements/inbox.html", _inbox_context(request, language_form=form), status=400
    )


@member_required
def read(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    """The announcement in the reader's language, its four parts as headed sections. Opening it records
    the read receipt (the first time only)."""
    actor = request.actor
    delivery = actions.mark_read(actor, get_delivery_for(actor, announcement_id))
    wanted = request.GET.get("lang", "")
    shown = (
        wanted
        if wanted in (Language.ENGLISH, Language.CHINESE)
        else _reading_language(language_of(actor.pk, actor.tenant_id))
    )
    other = Language.ENGLISH if shown == Language.CHINESE else Language.CHINESE
    announcement = delivery.announcement
    context = {
        "delivery": delivery,
        "announcement": announcement,
        "parts": announcement.in_language(shown),
        "shown": shown,
        "other": other,
        "other_label": Language(other).label,
        "text_lang": "zh-Hant-HK" if shown == Language.CHINESE else "en",
    }
    return render(request, "announcements/read.html", context)


# ------------------------------------------------------------------------------------------- officers
def _department_choices(request: ConsoleRequest) -> list[tuple[str, str]]:
    departments = Department.objects.for_tenant(request.actor.tenant_id).order_by("path")
    return [(str(d.pk), ("— " * d.depth) + d.name) for d in departments]


@member_required
def manage(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    actor = request.actor
    found = list(with_read_counts(announcements_for(actor))[:LISTED])
    context = {"announcements": found, "may_manage": actor.access().tenant_wide(MANAGE)}
    return render(request, "announcements/manage.html", context)


@member_required
def create(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    choices = _department_choices(request)
    if request.method != "POST":
        form = AnnouncementForm(departments=choices, initial={"audience": "all"})
        return render(request, "announcements/edit.html", {"form": form, "announcement": None})
    form = AnnouncementForm(request.POST, departments=choices)
    if form.is_valid():
        try:
            created = actions.create_announcement(request.actor, **form.values())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved as a draft."))
            return redirect("announcements:detail", created.pk)
    return render(request, "announcements/edit.html", {"form": form, "announcement": None}, status=400)


@member_required
def edit(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    found = get_announcement_for(request.actor, announcement_id)
    if found.state == Announcement.State.SENT:
        messages.error(request, _("This announcement has been sent and can no longer change."))
        return redirect("announcements:detail", found.pk)
    choices = _department_choices(request)
    if request.method != "POST":
        initial = {name: getattr(found, name) for name in actions.EDITABLE if name != "department_ids"}
        initial["departments"] = found.department_ids
        form = AnnouncementForm(departments=choices, initial=initial)
        return render(request, "announcements/edit.html", {"form": form, "announcement": found})
    form = AnnouncementForm(request.POST, departments=choices)
    if form.is_valid():
        try:
            actions.update_announcement(request.actor, found, **form.values())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("announcements:detail", found.pk)
    return render(request, "announcements/edit.html", {"form": form, "announcement": found}, status=400)


def _detail_context(request: ConsoleRequest, found: Announcement, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    context: dict[str, Any] = {
        "announcement": found,
        "english": found.in_language(Language.ENGLISH),
        "chinese": found.in_language(Language.CHINESE),
        "missing": _missing_labels(found),
        "may_manage": actor.access().tenant_wide(MANAGE),
        "is_sent": found.state == Announcement.State.SENT,
        "is_scheduled": found.state == Announcement.State.SCHEDULED,
        "schedule_form": ScheduleForm(
            initial={"day": local(found.scheduled_for).date(), "time": local(found.scheduled_for).time()}
            if found.scheduled_for
            else None
        ),
    }
    if found.state == Announcement.State.SENT:
        stats = read_stats(found)
        context["stats"] = stats
        context["chart"] = bar_chart([(_("Read"), stats.read), (_("Not read yet"), stats.unread)])
        context["unread_rows"] = list(
            deliveries_of(found).filter(read_at__isnull=True).order_by("member_name", "id")[:UNREAD_SHOWN]
        )
    context.update(extra)
    return context


@member_required
def detail(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_announcement_for(request.actor, announcement_id)
    return render(request, "announcements/detail.html", _detail_context(request, found))


@member_required
def send(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    """Sending cannot be undone: say to whom it goes, then do it (a missing part is refused, named)."""
    _require(request, MANAGE)
    actor = request.actor
    found = get_announcement_for(actor, announcement_id)
    if found.audience == "all":
        audience = _("every active and invited member of the company")
    else:
        audience = _("active and invited members of %(departments)s and the departments under them") % {
            "departments": ", ".join(found.department_names) or "—"
        }
    consequences = [
        _("It goes now to %(audience)s: a console notice and an email in each reader's language.")
        % {"audience": audience},
        _("Once sent it can no longer be changed; who read it, and when, is recorded."),
    ]
    missing = _missing_labels(found)
    if missing:
        consequences.insert(0, _("Parts still missing: %(parts)s.") % {"parts": ", ".join(missing)})
    confirmation = Confirmation(
        title=_("Send %(title)s now?") % {"title": found.title},
        consequences=consequences,
        action_url=reverse("announcements:send", args=[found.pk]),
        button=_("Send now"),
        cancel_url=reverse("announcements:detail", args=[found.pk]),
    )

    def perform(form: Any) -> HttpResponse:
        sent = actions.send_announcement(actor, found)
        messages.success(request, _("Sent to %(n)d member(s).") % {"n": sent.recipient_count})
        return redirect("announcements:detail", found.pk)

    return confirm(request, confirmation, ConfirmForm, perform)


@require_POST
@member_required
def schedule(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    found = get_announcement_for(request.actor, announcement_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            scheduled = actions.schedule_announcement(request.actor, found, at=form.at())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            when = (
                local(scheduled.scheduled_for).strftime("%Y-%m-%d %H:%M") if scheduled.scheduled_for else ""
            )
            messages.success(request, _("Scheduled for %(when)s (Hong Kong time).") % {"when": when})
            return redirect("announcements:detail", found.pk)
    context = _detail_context(request, found, schedule_form=form)
    return render(request, "announcements/detail.html", context, status=400)


@require_POST
@member_required
def cancel(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    found = get_announcement_for(request.actor, announcement_id)
    try:
        actions.cancel_schedule(request.actor, found)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cancelled: nothing was sent; the announcement is a draft again."))
    return redirect("announcements:detail", found.pk)


@member_required
def delete(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    actor = request.actor
    found = get_announcement_for(actor, announcement_id)
    confirmation = Confirmation(
        title=_("Delete the draft %(title)s?") % {"title": found.title},
        consequences=[_("The draft and its text are removed; the operation log keeps a copy.")],
        action_url=reverse("announcements:delete", args=[found.pk]),
        button=_("Delete the draft"),
        cancel_url=reverse("announcements:detail", args=[found.pk]),
    )

    def perform(form: Any) -> HttpResponse:
        actions.delete_announcement(actor, found)
        messages.success(request, _("Deleted the draft."))
        return redirect("announcements:manage")

    return confirm(request, confirmation, ConfirmForm, perform)


@member_required
def receipts_csv(request: ConsoleRequest, announcement_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    found = get_announcement_for(request.actor, announcement_id)
    text, rows = receipts_csv_text(found)
    actions.record_receipts_export(request.actor, found, rows=rows)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(found)}"'
    return response
