"""Announcements through the API, as an officer and the recipients use them: the four-part gate (every
missing part named, nothing sent), both languages, audiences with their sub-departments, read receipts
counted once, emails in the reader's language, bad input, permissions and other companies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from harbour.announcements import actions
from harbour.announcements.models import REQUIRED_PARTS, Announcement, Delivery
from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import MemberState
from harbour.security.models import Notice
from tests.announcements.builders import FOUR_PARTS, complete
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company, make_member

BASE = "/announcements"


def _create(api: ApiClient, **values: Any) -> dict[str, Any]:
    response = api.post(BASE, {"title": "Company devices only", **values})
    assert response.status_code == 201, response.content
    return dict(body(response))


def _full() -> dict[str, Any]:
    return {**FOUR_PARTS, "effective_date": FOUR_PARTS["effective_date"].isoformat()}


def _nothing_sent(company: Company) -> None:
    assert Delivery.objects.for_tenant(company.tenant).count() == 0
    assert Notice.objects.for_tenant(company.tenant).count() == 0
    assert mail.outbox == []


def test_an_incomplete_draft_is_saved_but_sending_names_every_missing_part(
    company: Company, admin_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _create(admin_api, background_en="Why")
    assert draft["state"] == "draft"
    expected = [p for p in REQUIRED_PARTS if p not in ("title", "background_en")]
    assert draft["missing"] == expected

    with django_capture_on_commit_callbacks(execute=True):
        refused = admin_api.post(f"{BASE}/{draft['id']}/send")
    problem = assert_problem(refused, 422, field="title_zh")
    assert problem["missing"] == expected
    for name in expected:
        assert name in problem["detail"]
    assert Announcement.objects.for_tenant(company.tenant).get().state == Announcement.State.DRAFT
    _nothing_sent(company)


@pytest.mark.parametrize("part", [p for p in REQUIRED_PARTS if p != "title"])
def test_each_missing_part_is_named_and_nothing_is_sent_or_scheduled(
    part: str, company: Company, admin_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    values = _full()
    values[part] = None if part == "effective_date" else "   "
    draft = _create(admin_api, **values)
    assert draft["missing"] == [part]
    with django_capture_on_commit_callbacks(execute=True):
        problem = assert_problem(admin_api.post(f"{BASE}/{draft['id']}/send"), 422, field=part)
        assert problem["missing"] == [part]
        later = (now() + dt.timedelta(days=1)).isoformat()
        assert_problem(
            admin_api.post(f"{BASE}/{draft['id']}/schedule", {"scheduled_for": later}), 422, field=part
        )
    found = Announcement.objects.for_tenant(company.tenant).get()
    assert (found.state, found.scheduled_for, found.sent_at) == (Announcement.State.DRAFT, None, None)
    _nothing_sent(company)


def test_the_gate_holds_in_the_action_itself(company: Company) -> None:
    draft = actions.create_announcement(company.system, title="No Chinese", **complete(consequences_zh=""))
    with pytest.raises(actions.IncompleteAnnouncement) as refused:
        actions.send_announcement(company.system, draft)
    assert refused.value.missing == ["consequences_zh"]
    assert refused.value.field == "consequences_zh"
    draft.refresh_from_db()
    assert draft.state == Announcement.State.DRAFT
    assert Delivery.objects.for_tenant(company.tenant).count() == 0


def test_sending_delivers_once_to_every_member_with_a_notice_and_an_email_each(
    company: Company, admin_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _create(admin_api, **_full())
    assert draft["missing"] == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_api.post(f"{BASE}/{draft['id']}/send")
    assert sent.status_code == 200, sent.content
    out = body(sent)
    assert out["state"] == "sent" and out["recipient_count"] == 4
    names = sorted(Delivery.objects.for_tenant(company.tenant).values_list("member_name", flat=True))
    assert names == ["Ada Admin", "Fiona Finance", "Gary General", "Helen HR"]
    assert Notice.objects.for_tenant(company.tenant).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@acme.com.hk",
        "fiona@acme.com.hk",
        "gary@acme.com.hk",
        "helen@acme.com.hk",
    ]
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="announcement.sent")
    assert event.data["recipients"] == 4 and event.after["state"] == "sent"

    # sent is final: no edit, no second sending, no schedule, no delete — each names the field
    for call in (
        admin_api.patch(f"{BASE}/{draft['id']}", {"title": "Changed"}),
        admin_api.post(f"{BASE}/{draft['id']}/send"),
        admin_api.post(
            f"{BASE}/{draft['id']}/schedule", {"scheduled_for": (now() + dt.timedelta(days=1)).isoformat()}
        ),
        admin_api.delete(f"{BASE}/{draft['id']}"),
    ):
        assert_problem(call, 409, field="state")
    assert Delivery.objects.for_tenant(company.tenant).count() == 4
    assert Announcement.objects.for_tenant(company.tenant).get().title == "Company devices only"


def test_emails_come_in_the_language_each_reader_chose_and_in_both_otherwise(
    company: Company, admin_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    assert company.member is not None and company.outsider is not None
    actions.choose_language(company.member, "zh-hant")  # Gary reads Chinese
    actions.choose_language(company.outsider, "en")  # Helen reads English
    draft = _create(admin_api, **_full())
    with django_capture_on_commit_callbacks(execute=True):
        admin_api.post(f"{BASE}/{draft['id']}/send")
    by_address = {m.to[0]: m for m in mail.outbox}

    gary = by_address["gary@acme.com.hk"]
    assert gary.subject == FOUR_PARTS["title_zh"]
    assert FOUR_PARTS["consequences_zh"] in gary.body and FOUR_PARTS["it_contact_zh"] in gary.body
    assert FOUR_PARTS["consequences_en"] not in gary.body

    helen = by_address["helen@acme.com.hk"]
    assert helen.subject == "Company devices only"
    assert FOUR_PARTS["background_en"] in helen.body and "2027-01-01" in helen.body
    assert FOUR_PARTS["background_zh"] not in helen.body

    fiona = by_address["fiona@acme.com.hk"]  # never chose: both
    assert fiona.subject == f"Company devices only / {FOUR_PARTS['title_zh']}"
    assert FOUR_PARTS["consequences_en"] in fiona.body and FOUR_PARTS["consequences_zh"] in fiona.body

    languages = dict(Delivery.objects.for_tenant(company.tenant).values_list("member_name", "language"))
    assert languages == {
        "Ada Admin": "both",
        "Fiona Finance": "both",
        "Gary General": "zh-hant",
        "Helen HR": "en",
    }
    notices = dict(Notice.objects.for_tenant(company.tenant).values_list("member__name", "title"))
    assert notices["Gary General"] == FOUR_PARTS["title_zh"]
    assert notices["Helen HR"] == "Company devices only"


def test_a_department_audience_takes_its_subtree_and_leaves_out_suspended_and_deactivated(
    company: Company, admin_api: ApiClient
) -> None:
    finance, accounts = company.departments["finance"], company.departments["accounts"]
    invited = make_member(
        company,
        name="Ivy Invited",
        email="ivy@acme.com.hk",
        departments=[accounts],
        state=MemberState.INVITED,
    )
    suspended = make_member(company, name="Sid Suspended", email="sid@acme.com.hk", departments=[accounts])
    directory.suspend_member(company.system, suspended, reason="leave")
    gone = make_member(company, name="Dee Departed", email="dee@acme.com.hk", departments=[finance])
    directory.deactivate_member(company.system, gone, reason="left")

    draft = _create(admin_api, **_full(), audience="departments", department_ids=[str(finance.pk)])
    assert draft["departments"] == [{"id": str(finance.pk), "name": "Finance"}]
    sent = body(admin_api.post(f"{BASE}/{draft['id']}/send"))
    assert sent["recipient_count"] == 3
    rows = Delivery.objects.for_tenant(company.tenant)
    assert sorted(rows.values_list("member_name", flat=True)) == [
        "Fiona Finance",
        "Gary General",
        "Ivy Invited",
    ]
    assert dict(rows.values_list("member_name", "department_name"))["Gary General"] == "Accounts Payable"
    assert invited.pk in set(rows.values_list("member_id", flat=True))

    stats = body(admin_api.get(f"{BASE}/{draft['id']}/stats"))
    assert stats["recipients"] == 3 and stats["read"] == 0
    assert {d["department"]: d["recipients"] for d in stats["departments"]} == {
        "Accounts Payable": 2,
        "Finance": 1,
    }


def test_recipients_are_fixed_when_sent(company: Company, admin_api: ApiClient) -> None:
    draft = _create(admin_api, **_full())
    admin_api.post(f"{BASE}/{draft['id']}/send")
    make_member(
        company, name="Late Joiner", email="late@acme.com.hk", departments=[company.departments["hr"]]
    )
    assert body(admin_api.get(f"{BASE}/{draft['id']}/stats"))["recipients"] == 4


def test_bad_input_names_the_field_and_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    other = actions.create_announcement(company.system, title="Kept")
    cases: list[tuple[Any, str]] = [
        (admin_api.post(BASE, {"title": "  "}), "title"),
        (admin_api.post(BASE, {"title": "x" * 201}), "title"),
        (admin_api.post(BASE, {"title": "Bad audience", "audience": "everyone"}), "audience"),
        (
            admin_api.post(BASE, {"title": "Ghost", "audience": "departments", "department_ids": ["nope"]}),
            "department_ids",
        ),
        (
            admin_api.post(
                BASE,
                {
                    "title": "Ghost",
                    "audience": "departments",
                    "department_ids": ["00000000-0000-0000-0000-000000000001"],
                },
            ),
            "department_ids",
        ),
        (
            admin_api.patch(
                f"{BASE}/{other.pk}", {"department_ids": ["00000000-0000-0000-0000-000000000001"]}
            ),
            "department_ids",
        ),
        (admin_api.patch(f"{BASE}/{other.pk}", {"title": ""}), "title"),
    ]
    for response, field in cases:
        assert_problem(response, 422, field=field)
    assert list(Announcement.objects.for_tenant(company.tenant).values_list("title", flat=True)) == ["Kept"]

    # another company's department is unknown here
    from tests.factories import make_company

    elsewhere = make_company("elsewhere", domains=["elsewhere.com.hk"])
    refused = admin_api.patch(
        f"{BASE}/{other.pk}",
        {"audience": "departments", "department_ids": [str(elsewhere.departments["finance"].pk)]},
    )
    assert_problem(refused, 422, field="department_ids")
    other.refresh_from_db()
    assert other.audience == "all" and other.departments == []

    full = actions.create_announcement(company.system, title="Full", **complete())
    past = (now() - dt.timedelta(minutes=1)).isoformat()
    assert_problem(
        admin_api.post(f"{BASE}/{full.pk}/schedule", {"scheduled_for": past}), 422, field="scheduled_for"
    )
    assert_problem(admin_api.post(f"{BASE}/{full.pk}/cancel"), 409, field="state")
    assert_problem(admin_api.get(f"{BASE}/{full.pk}/receipts", state="maybe"), 422, field="state")
    full.refresh_from_db()
    assert (full.state, full.scheduled_for) == (Announcement.State.DRAFT, None)


def test_a_department_audience_with_nobody_in_it_is_not_sent(company: Company, admin_api: ApiClient) -> None:
    empty = directory.create_department(company.system, name="Projects")
    draft = _create(admin_api, **_full(), audience="departments", department_ids=[str(empty.pk)])
    assert_problem(admin_api.post(f"{BASE}/{draft['id']}/send"), 422, field="department_ids")
    no_departments = _create(admin_api, **_full(), audience="departments")
    assert no_departments["missing"] == ["department_ids"]
    assert_problem(admin_api.post(f"{BASE}/{no_departments['id']}/send"), 422, field="department_ids")
    assert Delivery.objects.for_tenant(company.tenant).count() == 0


def test_reading_is_recorded_once_and_counted(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    draft = _create(admin_api, **_full())
    admin_api.post(f"{BASE}/{draft['id']}/send")

    inbox = body(member_api.get(f"{BASE}/inbox"))
    assert [item["id"] for item in inbox] == [draft["id"]] and inbox[0]["read_at"] is None
    first = body(member_api.post(f"{BASE}/inbox/{draft['id']}/read"))
    assert first["read_at"] is not None
    second = body(member_api.post(f"{BASE}/inbox/{draft['id']}/read"))
    assert second["read_at"] == first["read_at"]
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="announcement.read").count() == 1

    stats = body(admin_api.get(f"{BASE}/{draft['id']}/stats"))
    assert (stats["recipients"], stats["read"], stats["unread"], stats["percent_read"]) == (4, 1, 3, 25)
    unread = body(admin_api.get(f"{BASE}/{draft['id']}/receipts", state="unread"))
    assert sorted(r["name"] for r in unread) == ["Ada Admin", "Fiona Finance", "Helen HR"]
    read = body(admin_api.get(f"{BASE}/{draft['id']}/receipts", state="read"))
    assert [r["name"] for r in read] == ["Gary General"]

    csv = admin_api.get(f"{BASE}/{draft['id']}/receipts.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().strip().splitlines()
    assert len(lines) == 5 and "Gary General" in [line.split(",")[0] for line in lines]
    assert (
        AuditEvent.objects.for_tenant(company.tenant).filter(kind="announcement.receipts_exported").count()
        == 1
    )


def test_the_inbox_lists_unread_first_and_only_ones_own(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    older = _create(admin_api, **_full(), title="Older")
    admin_api.post(f"{BASE}/{older['id']}/send")
    newer = _create(admin_api, **_full(), title="Newer")
    admin_api.post(f"{BASE}/{newer['id']}/send")
    hr_only = _create(
        admin_api,
        **_full(),
        title="HR only",
        audience="departments",
        department_ids=[str(company.departments["hr"].pk)],
    )
    admin_api.post(f"{BASE}/{hr_only['id']}/send")
    member_api.post(f"{BASE}/inbox/{newer['id']}/read")
    titles = [item["title"] for item in body(member_api.get(f"{BASE}/inbox"))]
    assert titles == ["Older", "Newer"]  # unread first; Gary is not in HR
    assert member_api.get(f"{BASE}/inbox/{hr_only['id']}").status_code == 404
    assert member_api.post(f"{BASE}/inbox/{hr_only['id']}/read").status_code == 404


def test_members_without_the_permission_see_no_announcements_and_write_none(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    draft = _create(admin_api, **_full())
    before = Announcement.objects.for_tenant(company.tenant).count()
    assert member_api.get(BASE).status_code in (403, 404)
    assert member_api.post(BASE, {"title": "Mine"}).status_code in (403, 404)
    for call in (
        member_api.get(f"{BASE}/{draft['id']}"),
        member_api.post(f"{BASE}/{draft['id']}/send"),
        member_api.patch(f"{BASE}/{draft['id']}", {"title": "x"}),
        member_api.delete(f"{BASE}/{draft['id']}"),
    ):
        assert_problem(call, 404)
    assert Announcement.objects.for_tenant(company.tenant).count() == before
    assert Delivery.objects.for_tenant(company.tenant).count() == 0


def test_another_company_sees_nothing(company: Company, other_company: Company, admin_api: ApiClient) -> None:
    assert other_company.admin is not None
    draft = _create(admin_api, **_full())
    admin_api.post(f"{BASE}/{draft['id']}/send")
    other = api_as(other_company.admin)
    assert body(other.get(BASE)) == []
    assert body(other.get(f"{BASE}/inbox")) == []
    for call in (
        other.get(f"{BASE}/{draft['id']}"),
        other.get(f"{BASE}/{draft['id']}/stats"),
        other.get(f"{BASE}/{draft['id']}/receipts"),
        other.get(f"{BASE}/inbox/{draft['id']}"),
        other.post(f"{BASE}/inbox/{draft['id']}/read"),
    ):
        assert_problem(call, 404)
    assert Delivery.objects.for_tenant(company.tenant).filter(read_at__isnull=False).count() == 0


def test_the_administrator_role_holds_the_codes_and_deleting_a_draft_is_audited(
    company: Company, admin_api: ApiClient
) -> None:
    admin_role = company.roles["administrator"]
    assert {"announcement.view", "announcement.manage"} <= set(admin_role.permissions)
    draft = _create(admin_api)
    assert admin_api.delete(f"{BASE}/{draft['id']}").status_code == 204
    assert Announcement.objects.for_tenant(company.tenant).count() == 0
    kinds = list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(kind__startswith="announcement.")
        .values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["announcement.created", "announcement.deleted"]


def test_read_receipts_are_erasable_once_their_retention_has_run_out(company: Company) -> None:
    import datetime as dt

    from harbour.core.erasure import category
    from harbour.core.time import today_in_hong_kong

    receipts = category("announcement_receipts")
    assert receipts is not None and receipts.minimum_days == 365
    draft = actions.create_announcement(company.system, title="Old news", **complete())
    sent = actions.send_announcement(company.system, draft)
    today = today_in_hong_kong()
    assert list(receipts.find_due(company.tenant.pk, today, 730)) == []
    Announcement.objects.for_tenant(company.tenant).filter(pk=sent.pk).update(
        sent_at=now() - dt.timedelta(days=800)
    )
    due = receipts.find_due(company.tenant.pk, today, 730)
    assert len(due) == 4
    assert receipts.erase(company.tenant.pk, due) == 4
    assert Delivery.objects.for_tenant(company.tenant).count() == 0
    assert Announcement.objects.for_tenant(company.tenant).get().recipient_count == 4


def test_the_inbox_and_list_read_a_fixed_number_of_queries(
    company: Company, admin_api: ApiClient, member_api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        actions.send_announcement(
            company.system, actions.create_announcement(company.system, title=f"N{n}", **complete())
        )
    with django_assert_max_num_queries(12):
        assert len(body(member_api.get(f"{BASE}/inbox"))) == 5
    with django_assert_max_num_queries(12):
        assert len(body(admin_api.get(BASE))) == 5


def test_a_member_chooses_their_language_through_the_api(company: Company, member_api: ApiClient) -> None:
    assert body(member_api.get(f"{BASE}/inbox/language")) == {"language": "both"}
    assert body(member_api.request("put", f"{BASE}/inbox/language", {"language": "zh-hant"})) == {
        "language": "zh-hant"
    }
    assert body(member_api.get(f"{BASE}/inbox/language")) == {"language": "zh-hant"}
    refused = member_api.request("put", f"{BASE}/inbox/language", {"language": "fr"})
    assert_problem(refused, 422, field="language")
    assert body(member_api.get(f"{BASE}/inbox/language")) == {"language": "zh-hant"}
    kinds = AuditEvent.objects.for_tenant(company.tenant).filter(kind="announcement.language_chosen")
    assert kinds.count() == 1
