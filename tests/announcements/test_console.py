"""Announcements in the console: an officer drafts (incomplete allowed, missing parts shown), sends after a
confirmation (refused while a part is missing), schedules at a Hong Kong time, and reads the receipts; a
member opens their inbox and reads the announcement in their language, which records the receipt once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from harbour.announcements import actions
from harbour.announcements.models import Announcement, Delivery, ReaderLanguage
from harbour.core.time import HONG_KONG, now
from harbour.directory.models import Member
from tests.announcements.builders import FOUR_PARTS, complete
from tests.factories import Company

Login = Callable[[Member], Client]


def _form(**values: Any) -> dict[str, Any]:
    data = {"title": "Company devices only", "audience": "all", **values}
    if isinstance(data.get("effective_date"), dt.date):
        data["effective_date"] = data["effective_date"].isoformat()
    return data


def test_a_draft_saved_incomplete_shows_what_is_missing_and_cannot_be_sent(
    company: Company, as_member: Login
) -> None:
    assert company.admin is not None
    admin = as_member(company.admin)
    created = admin.post(reverse("announcements:create"), _form(background_en="Why we do it"))
    assert created.status_code == 302
    draft = Announcement.objects.for_tenant(company.tenant).get()
    page = admin.get(created["Location"]).content.decode()
    assert "Parts still missing" in page
    for label in (
        "Title (Traditional Chinese)",
        "Effective date",
        "IT support contact (Traditional Chinese)",
    ):
        assert label in page

    confirm = admin.get(reverse("announcements:send", args=[draft.pk])).content.decode()
    assert "Parts still missing" in confirm
    refused = admin.post(reverse("announcements:send", args=[draft.pk]))
    assert refused.status_code == 400
    assert "consequences_zh" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == Announcement.State.DRAFT
    assert Delivery.objects.for_tenant(company.tenant).count() == 0


def test_an_officer_completes_sends_and_reads_the_receipts(company: Company, as_member: Login) -> None:
    assert company.admin is not None and company.member is not None
    admin = as_member(company.admin)
    admin.post(reverse("announcements:create"), _form())
    draft = Announcement.objects.for_tenant(company.tenant).get()
    edited = admin.post(reverse("announcements:edit", args=[draft.pk]), _form(**complete()))
    assert edited.status_code == 302
    sent = admin.post(reverse("announcements:send", args=[draft.pk]))
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Announcement.State.SENT and draft.recipient_count == 4

    actions.mark_read(company.member, Delivery.objects.for_tenant(company.tenant).get(member=company.member))
    page = admin.get(reverse("announcements:detail", args=[draft.pk])).content.decode()
    assert "<svg" in page and "<script>" not in page  # drawn on the server, no inline script
    assert "Accounts Payable" in page and "Human Resources" in page  # the per-department table
    assert "Helen HR" in page and page.count("Gary General") == 0  # Gary read it: not in the unread list
    assert admin.get(reverse("announcements:edit", args=[draft.pk])).status_code == 302  # sent: final

    csv = admin.get(reverse("announcements:receipts_csv", args=[draft.pk]))
    assert csv.status_code == 200 and "Gary General" in csv.content.decode()

    listing = admin.get(reverse("announcements:manage")).content.decode()
    assert "1 / 4" in listing


def test_scheduling_takes_a_hong_kong_time_in_the_future(company: Company, as_member: Login) -> None:
    assert company.admin is not None
    admin = as_member(company.admin)
    draft = actions.create_announcement(company.system, title="Drill", **complete())
    url = reverse("announcements:schedule", args=[draft.pk])
    yesterday = (now().astimezone(HONG_KONG) - dt.timedelta(days=1)).date()
    refused = admin.post(url, {"day": yesterday.isoformat(), "time": "09:00"})
    assert refused.status_code == 400 and "must be in the future" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == Announcement.State.DRAFT

    day = yesterday + dt.timedelta(days=5)
    assert admin.post(url, {"day": day.isoformat(), "time": "09:30"}).status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_for == dt.datetime.combine(day, dt.time(9, 30), HONG_KONG)
    assert admin.post(reverse("announcements:cancel", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.scheduled_for) == (Announcement.State.DRAFT, None)


def test_a_member_reads_in_their_language_and_the_receipt_is_kept_once(
    company: Company, as_member: Login
) -> None:
    assert company.member is not None
    draft = actions.create_announcement(company.system, title="Company devices only", **complete())
    actions.send_announcement(company.system, draft)
    gary = as_member(company.member)

    inbox = gary.get(reverse("announcements:inbox")).content.decode()
    assert "Company devices only" in inbox and "Not yet" in inbox
    chosen = gary.post(reverse("announcements:language"), {"language": "zh-hant"})
    assert chosen.status_code == 302
    assert ReaderLanguage.objects.for_tenant(company.tenant).get(member=company.member).language == "zh-hant"

    page = gary.get(reverse("announcements:read", args=[draft.pk])).content.decode()
    assert FOUR_PARTS["consequences_zh"] in page and FOUR_PARTS["consequences_en"] not in page
    for section in ("background-title", "effective-title", "consequences-title", "contact-title"):
        assert f'id="{section}"' in page
    delivery = Delivery.objects.for_tenant(company.tenant).get(member=company.member)
    first = delivery.read_at
    assert first is not None

    english = gary.get(reverse("announcements:read", args=[draft.pk]) + "?lang=en").content.decode()
    assert FOUR_PARTS["consequences_en"] in english
    delivery.refresh_from_db()
    assert delivery.read_at == first


def test_pages_of_others_are_hidden(company: Company, as_member: Login) -> None:
    assert company.member is not None and company.admin is not None
    hr_only = actions.create_announcement(
        company.system,
        title="HR only",
        **complete(),
        audience="departments",
        department_ids=[company.departments["hr"].pk],
    )
    actions.send_announcement(company.system, hr_only)
    gary = as_member(company.member)
    assert gary.get(reverse("announcements:read", args=[hr_only.pk])).status_code == 404
    assert gary.get(reverse("announcements:manage")).status_code == 404
    assert gary.get(reverse("announcements:detail", args=[hr_only.pk])).status_code == 404
    assert "HR only" not in gary.get(reverse("announcements:inbox")).content.decode()
