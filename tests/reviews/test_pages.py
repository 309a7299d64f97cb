"""The Access reviews pages: administrators create, open and close campaigns and read the evidence;
reviewers — even without any administrative role — certify, revoke after a confirmation, or certify
several at once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.test import Client

from harbour.core.time import today_in_hong_kong
from harbour.directory.models import BuiltinRole, Member, RoleGrant
from harbour.reviews.models import Decision, ReviewCampaign, ReviewItem, ReviewSchedule
from tests.reviews.conftest import People, open_review

Login = Callable[[Member], Client]


def test_the_reviewer_sees_the_entry_and_decides_without_any_admin_role(
    people: People, as_member: Login
) -> None:
    helen = as_member(people.helen)
    assert b"Nothing waits for your decision." in helen.get("/reviews/").content
    campaign = open_review(people)
    page = helen.get("/reviews/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        '<a href="/reviews/" aria-current="page">' in text
        and "Fiona Finance" in text
        and "Department Manager" in text
    )
    assert "Ada Admin" not in text  # only what is hers to decide
    item = people.item_of(campaign, people.manager)

    confirm = helen.get(f"/reviews/items/{item.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Fiona Finance loses the Department Manager role over Finance at once" in confirm.content.decode()
    refused = helen.post(f"/reviews/items/{item.pk}/revoke/", {"comment": ""})
    assert refused.status_code == 400 and b"field-error" in refused.content
    assert RoleGrant.objects.for_tenant(people.company.tenant).filter(member=people.manager).exists()
    done = helen.post(f"/reviews/items/{item.pk}/revoke/", {"comment": "moved to Sales"})
    assert done.status_code == 302
    assert (
        not RoleGrant.objects.for_tenant(people.company.tenant)
        .filter(member=people.manager, role__builtin=BuiltinRole.DEPARTMENT_MANAGER)
        .exists()
    )
    after = helen.get("/reviews/").content.decode()
    assert "Nothing waits for your decision." in after and "moved to Sales" in after  # her recent decisions


def test_certify_one_and_bulk_certify(people: People, as_member: Login) -> None:
    campaign = open_review(people)
    ada = as_member(people.admin)
    bob_item = people.item_of(campaign, people.backup)
    assert ada.post(f"/reviews/items/{bob_item.pk}/certify/", {"comment": "on call"}).status_code == 302
    bob_item.refresh_from_db()
    assert bob_item.decision == Decision.CERTIFIED and bob_item.comment == "on call"
    again = ada.post(f"/reviews/items/{bob_item.pk}/certify/", {})
    assert again.status_code == 400 and b"has been decided already" in again.content

    # Bob may not certify Fiona's item (Helen reviews it): the batch is refused whole
    fiona_item = people.item_of(campaign, people.manager)
    bob = as_member(people.backup)
    ada_item = people.item_of(campaign, people.admin)
    refused = bob.post("/reviews/items/certify/", {"items": [str(ada_item.pk), str(fiona_item.pk)]})
    assert refused.status_code == 400 and b"only the assigned reviewer decides this item" in refused.content
    ada_item.refresh_from_db()
    assert ada_item.decision == Decision.PENDING
    assert bob.post("/reviews/items/certify/", {}).status_code == 400
    assert bob.post("/reviews/items/certify/", {"items": [str(ada_item.pk)]}).status_code == 302
    ada_item.refresh_from_db()
    assert ada_item.decision == Decision.CERTIFIED and ada_item.decided_by_id == people.backup.pk


def test_a_stranger_gets_404_for_items_and_campaign_pages(people: People, as_member: Login) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    gary = as_member(people.gary)
    assert gary.post(f"/reviews/items/{item.pk}/certify/", {}).status_code == 404
    assert gary.get(f"/reviews/items/{item.pk}/revoke/").status_code == 404
    assert gary.get("/reviews/campaigns/").status_code == 404
    assert gary.get(f"/reviews/campaigns/{campaign.pk}/").status_code == 404
    assert gary.get(f"/reviews/campaigns/{campaign.pk}/report.csv").status_code == 404
    assert gary.get("/reviews/").status_code == 200  # his own (empty) list
    item.refresh_from_db()
    assert item.decision == Decision.PENDING


def test_the_administrator_creates_opens_reads_and_closes_a_campaign(
    people: People, as_member: Login
) -> None:
    ada = as_member(people.admin)
    page = ada.get("/reviews/campaigns/")
    assert page.status_code == 200 and b"New access review" in page.content
    roles = people.company.roles
    due = today_in_hong_kong() + dt.timedelta(days=14)

    bad = ada.post(
        "/reviews/campaigns/",
        {"name": "Late", "roles": [str(roles["administrator"].pk)], "due_date": "2020-01-01"},
    )
    assert bad.status_code == 400 and b"the due date must come after the opening" in bad.content
    missing = ada.post("/reviews/campaigns/", {"name": "", "due_date": due.isoformat()})
    assert missing.status_code == 400
    assert not ReviewCampaign.objects.for_tenant(people.company.tenant).exists()

    created = ada.post(
        "/reviews/campaigns/",
        {
            "name": "Admins and managers",
            "roles": [str(roles["administrator"].pk), str(roles["department_manager"].pk)],
            "due_date": due.isoformat(),
        },
    )
    assert created.status_code == 302
    campaign = ReviewCampaign.objects.for_tenant(people.company.tenant).get()
    assert campaign.state == ReviewCampaign.State.DRAFT
    assert ada.get(created["Location"]).status_code == 200
    assert ada.post(f"/reviews/campaigns/{campaign.pk}/open/").status_code == 302
    listing = ada.get("/reviews/campaigns/").content.decode()
    assert "<td>3</td>\n      <td>3</td>" in listing  # three items, none decided yet
    detail = ada.get(f"/reviews/campaigns/{campaign.pk}/").content.decode()
    assert "Fiona Finance" in detail and "Helen HR" in detail and "Not decided yet" in detail

    confirm = ada.get(f"/reviews/campaigns/{campaign.pk}/close/").content.decode()
    assert "3 item(s) not decided yet will be recorded as not decided" in confirm
    assert ada.post(f"/reviews/campaigns/{campaign.pk}/close/").status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == ReviewCampaign.State.CLOSED and campaign.closed_by_id == people.admin.pk
    closed = ada.get(f"/reviews/campaigns/{campaign.pk}/?decision=pending").content.decode()
    assert "not decided by the close" in closed
    csv = ada.get(f"/reviews/campaigns/{campaign.pk}/report.csv")
    assert csv.status_code == 200 and csv["Content-Disposition"].startswith("attachment")
    assert csv.content.decode().count("not decided by the close") == 3


def test_the_schedule_form(people: People, as_member: Login) -> None:
    ada = as_member(people.admin)
    refused = ada.post(
        "/reviews/schedule/", {"quarterly": "on", "days_open": "10", "escalate_after_days": "12"}
    )
    assert refused.status_code == 400 and b"escalation comes at least a day after opening" in refused.content
    assert not ReviewSchedule.objects.for_tenant(people.company.tenant).exists()
    saved = ada.post(
        "/reviews/schedule/", {"quarterly": "on", "days_open": "21", "escalate_after_days": "14"}
    )
    assert saved.status_code == 302
    assert ReviewSchedule.objects.for_tenant(people.company.tenant).get().quarterly
    assert b"On: a campaign opens" in ada.get("/reviews/campaigns/").content


def test_the_campaign_page_costs_the_same_for_many_items(
    people: People, as_member: Login, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    campaign = open_review(people)
    ada = as_member(people.admin)
    with django_assert_max_num_queries(40) as few:
        ada.get(f"/reviews/campaigns/{campaign.pk}/")
    items = ReviewItem.objects.for_tenant(campaign.tenant_id).filter(campaign=campaign)
    template = items.first()
    assert template is not None
    extra = []
    for n in range(30):  # grants that are gone since: each row also shows how its grant stands
        clone = ReviewItem.objects.for_tenant(campaign.tenant_id).get(pk=template.pk)
        clone.id, clone.grant_id, clone.member_name = uuid.uuid4(), uuid.uuid4(), f"Member {n:02d}"
        extra.append(clone)
    ReviewItem.objects.bulk_create(extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert ada.get(f"/reviews/campaigns/{campaign.pk}/").status_code == 200
