"""PICS and PPS versions, who was shown which PICS, members never shown it, and the consent ledger."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory.models import Member
from harbour.pdpo import actions
from harbour.pdpo.models import ConsentEntry, Notice, NoticeShown
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company
from tests.pdpo import builders

pytestmark = pytest.mark.django_db


def _notice(api: ApiClient, kind: str = "pics") -> dict[str, object]:
    response = api.post(
        "/pdpo/notices",
        {
            "kind": kind,
            "title": "Staff PICS",
            "body_en": "We use **data**. <script>alert(1)</script>",
            "body_zh": "我們使用**資料**。",
        },
    )
    assert response.status_code == 201, response.content
    made: dict[str, object] = body(response)
    return made


def test_publishing_supersedes_the_previous_version(admin_api: ApiClient, company: Company) -> None:
    first = _notice(admin_api)
    assert first["version"] == 1 and first["state"] == "draft"
    admin_api.post(f"/pdpo/notices/{first['id']}/publish")
    second = _notice(admin_api)
    assert second["version"] == 2
    assert body(admin_api.post(f"/pdpo/notices/{second['id']}/publish"))["state"] == "published"
    states = {n["version"]: n["state"] for n in body(admin_api.get("/pdpo/notices")) if n["kind"] == "pics"}
    assert states == {1: "superseded", 2: "published"}
    # a published version keeps what people were shown
    assert_problem(admin_api.patch(f"/pdpo/notices/{second['id']}", {"title": "Changed"}), 409, "state")


def test_member_sees_the_current_pics_and_their_viewing_is_recorded_once(
    admin_api: ApiClient, company: Company, as_member: Callable[[Member], Client]
) -> None:
    notice = builders.notice(company)
    gary = company.member
    assert gary is not None
    before = {m["id"] for m in body(admin_api.get("/pdpo/pics/not-shown"))}
    assert str(gary.pk) in before
    client = as_member(gary)
    page = client.get(reverse("pdpo:pics"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>name</strong>" in html and "<script>x</script>" not in html and "&lt;script&gt;" in html
    client.get(reverse("pdpo:pics"))
    assert NoticeShown.objects.for_tenant(company.tenant).filter(notice=notice, member=gary).count() == 1
    after = {m["id"] for m in body(admin_api.get("/pdpo/pics/not-shown"))}
    assert str(gary.pk) not in after

    # a new version: Gary has not been shown it yet
    new = actions.save_notice(company.system, kind="pics", title="v2", body_en="New", body_zh="新")
    actions.publish_notice(company.system, new)
    assert str(gary.pk) in {m["id"] for m in body(admin_api.get("/pdpo/pics/not-shown"))}


def test_officer_records_a_person_outside_harbour(admin_api: ApiClient, company: Company) -> None:
    notice = builders.notice(company)
    response = admin_api.post(
        f"/pdpo/notices/{notice.pk}/shown",
        {"person_name": "Applicant Wong", "person_email": "wong@example.com", "how": "paper form"},
    )
    assert response.status_code == 201, response.content
    shown = body(admin_api.get(f"/pdpo/notices/{notice.pk}/shown"))
    assert [(s["person_name"], s["member_id"], s["version"]) for s in shown] == [("Applicant Wong", None, 1)]
    assert_problem(
        admin_api.post(f"/pdpo/notices/{notice.pk}/shown", {"person_name": ""}), 422, "person_name"
    )
    assert_problem(
        admin_api.post(
            f"/pdpo/notices/{notice.pk}/shown", {"person_name": "X", "person_email": "not-an-email"}
        ),
        422,
        "person_email",
    )
    draft = builders.notice(company, "pics", published=False)
    assert_problem(admin_api.post(f"/pdpo/notices/{draft.pk}/shown", {"person_name": "Y"}), 409, "notice_id")
    assert NoticeShown.objects.for_tenant(company.tenant).count() == 1


def test_consent_current_state_is_the_latest_entry(admin_api: ApiClient, company: Company) -> None:
    gary = str(company.member.pk)  # type: ignore[union-attr]
    purpose = "Staff photo on the company website"
    grant = {"member_id": gary, "purpose": purpose, "action": "grant", "channel": "written"}
    assert admin_api.post("/pdpo/consents", grant).status_code == 201
    assert_problem(admin_api.post("/pdpo/consents", grant), 409, "action")  # already granted
    current = body(admin_api.get("/pdpo/consents/current"))
    assert [(c["purpose"], c["granted"]) for c in current] == [(purpose, True)]

    withdraw = {**grant, "action": "withdraw", "channel": "email", "purpose": purpose.upper()}
    assert admin_api.post("/pdpo/consents", withdraw).status_code == 201
    current = body(admin_api.get("/pdpo/consents/current"))
    assert [(c["purpose"], c["granted"]) for c in current] == [(purpose, False)]
    assert ConsentEntry.objects.for_tenant(company.tenant).count() == 2  # a withdrawal adds, never deletes


def test_consent_is_express_only_and_withdrawal_needs_a_grant(admin_api: ApiClient, company: Company) -> None:
    base = {"person_name": "Client Chan", "purpose": "Marketing emails", "channel": "written"}
    assert_problem(admin_api.post("/pdpo/consents", {**base, "action": "implied"}), 422, "action")
    assert_problem(
        admin_api.post("/pdpo/consents", {**base, "action": "grant", "channel": "silence"}), 422, "channel"
    )
    assert_problem(admin_api.post("/pdpo/consents", {**base, "action": "withdraw"}), 409, "action")
    assert_problem(
        admin_api.post("/pdpo/consents", {**base, "person_name": "", "action": "grant"}), 422, "person_name"
    )
    assert_problem(
        admin_api.post("/pdpo/consents", {**base, "action": "grant", "at": "2099-01-01T00:00:00+08:00"}),
        422,
        "at",
    )
    assert not ConsentEntry.objects.for_tenant(company.tenant).exists()
    assert admin_api.post("/pdpo/consents", {**base, "action": "grant"}).status_code == 201


def test_member_api_reads_and_acknowledges_the_current_pics(member_api: ApiClient, company: Company) -> None:
    assert body(member_api.get("/pdpo/pics/current"))["notice"] is None
    assert_problem(member_api.post("/pdpo/pics/current/seen"), 404)
    notice = builders.notice(company)
    assert body(member_api.post("/pdpo/pics/current/seen"))["notice_id"] == str(notice.pk)
    assert body(member_api.get("/pdpo/pics/current"))["shown_at"] is not None
    assert Notice.objects.for_tenant(company.tenant).count() == 1


def test_outside_people_records_are_erasable_after_two_years(company: Company) -> None:
    import datetime as dt

    from harbour.core.erasure import category
    from harbour.core.time import now

    erasable = category("pdpo_pics_outside_people")
    assert erasable is not None and erasable.default_days == 730
    notice = builders.notice(company)
    assert company.member is not None
    old = actions.record_notice_shown(company.system, notice, person_name="Applicant")
    actions.record_own_pics_view(company.member, notice)
    today = (now() + dt.timedelta(days=732)).date()
    due = erasable.find_due(company.tenant.pk, today, 730)
    assert list(due) == [old.pk]  # members' records are not touched
    assert erasable.erase(company.tenant.pk, due) == 1
    assert NoticeShown.objects.for_tenant(company.tenant).count() == 1
