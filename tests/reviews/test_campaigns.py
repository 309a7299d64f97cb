"""Access reviews through the API, as administrators and reviewers use them: who reviews what, certify and
revoke (the grant goes at once), nobody reviews themself, strangers cannot decide, other companies see
nothing, and bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import BuiltinRole, RoleGrant
from harbour.reviews import actions
from harbour.reviews.models import Decision, Effect, ReviewCampaign, ReviewerBasis, ReviewItem
from harbour.security.models import Notice
from tests.api.helpers import api_as, assert_problem, body
from tests.factories import Company
from tests.reviews.conftest import People, open_review


def _grant(people: People, member: Any, builtin: str) -> RoleGrant:
    return RoleGrant.objects.for_tenant(people.company.tenant).get(member=member, role__builtin=builtin)


def _counts(company: Company) -> tuple[int, int, int]:
    tenant = company.tenant
    return (
        ReviewCampaign.objects.for_tenant(tenant).count(),
        ReviewItem.objects.for_tenant(tenant).exclude(decision=Decision.PENDING).count(),
        RoleGrant.objects.for_tenant(tenant).count(),
    )


def test_opening_snapshots_the_admin_and_manager_grants_with_their_reviewers(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    admin_api = api_as(people.admin)
    due = now() + dt.timedelta(days=21)
    created = admin_api.post("/reviews/campaigns", {"name": "Q4 admin review", "due_at": due.isoformat()})
    assert created.status_code == 201, created.content
    campaign = body(created)
    assert campaign["state"] == "draft"
    assert sorted(r["name"] for r in campaign["roles"]) == ["Administrator", "Department Manager"]
    # escalation defaults to a week before the due date
    assert dt.datetime.fromisoformat(campaign["escalate_at"]) == due - dt.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        opened = admin_api.post(f"/reviews/campaigns/{campaign['id']}/open")
    assert opened.status_code == 200, opened.content
    items = {i["member_name"]: i for i in body(opened)["items"]}
    assert set(items) == {"Ada Admin", "Bob Backup", "Fiona Finance"}  # general members are not reviewed
    # Fiona has a manager: Helen, who holds no administrative right, reviews her.
    assert (items["Fiona Finance"]["reviewer_name"], items["Fiona Finance"]["reviewer_basis"]) == (
        "Helen HR",
        ReviewerBasis.MANAGER,
    )
    assert items["Fiona Finance"]["scope_name"] == "Finance"
    # No manager: an administrator other than the member — the campaign's creator unless it is them.
    assert items["Bob Backup"]["reviewer_name"] == "Ada Admin"
    assert items["Ada Admin"]["reviewer_name"] == "Bob Backup"
    assert all(i["decision"] == "pending" and i["grant_now"] == "live" for i in items.values())

    # each reviewer is told once, by notice and by email
    told = Notice.objects.for_tenant(people.company.tenant).filter(title__startswith="Access review")
    assert sorted(n.member.name for n in told) == ["Ada Admin", "Bob Backup", "Helen HR"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@acme.com.hk",
        "bob@acme.com.hk",
        "helen@acme.com.hk",
    ]
    assert "1 grant(s) to review" in mail.outbox[0].subject


def test_never_self_review_and_nobody_when_the_only_administrator_is_under_review(company: Company) -> None:
    assert company.admin is not None and company.manager is not None
    campaign = actions.create_campaign(company.admin, name="Solo", due_at=now() + dt.timedelta(days=10))
    actions.open_campaign(company.admin, campaign)
    items = {
        i.member_name: i for i in ReviewItem.objects.for_tenant(company.tenant).filter(campaign=campaign)
    }
    assert items["Fiona Finance"].reviewer_id == company.admin.pk
    # Ada is the only administrator: nobody else can review her grant, and she never reviews herself
    assert items["Ada Admin"].reviewer_id is None
    assert items["Ada Admin"].reviewer_basis == ReviewerBasis.NONE
    # a manager field naming the member themself (the directory refuses it; old data may hold it) is skipped
    fiona = company.manager
    fiona.manager = fiona
    assert actions.choose_reviewer(fiona, [company.admin]) == (company.admin, ReviewerBasis.ADMINISTRATOR)
    assert actions.choose_reviewer(company.admin, [company.admin]) == (None, ReviewerBasis.NONE)


def test_a_reviewer_without_admin_rights_revokes_and_the_grant_goes_at_once(people: People) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    grant = _grant(people, people.manager, BuiltinRole.DEPARTMENT_MANAGER)
    helen = api_as(people.helen)

    mine = body(helen.get("/reviews/mine"))
    assert [i["id"] for i in mine] == [str(item.pk)]
    decided = helen.post(
        f"/reviews/items/{item.pk}/decide", {"decision": "revoke", "comment": "moved to sales last month"}
    )
    assert decided.status_code == 200, decided.content
    out = body(decided)
    assert (out["decision"], out["effect"], out["grant_now"]) == ("revoked", "removed", "removed")
    assert out["decided_by_name"].startswith("Helen HR")
    assert not RoleGrant.objects.for_tenant(people.company.tenant).filter(pk=grant.pk).exists()

    log = AuditEvent.objects.for_tenant(people.company.tenant)
    revoked = log.get(kind="grant.revoked", target_id=str(grant.pk))
    assert revoked.actor_id == people.helen.pk and "Q4 admin review" in revoked.data["reason"]
    review_entry = log.get(kind="review.item_revoked", target_id=str(item.pk))
    assert review_entry.after["comment"] == "moved to sales last month"
    assert review_entry.subject_id == people.manager.pk
    assert body(helen.get("/reviews/mine")) == []  # decided: nothing waits any more
    again = helen.post(f"/reviews/items/{item.pk}/decide", {"decision": "certify"})
    assert_problem(again, 409, "item_id")


def test_certify_keeps_the_grant_and_records_who_when_and_why(people: People) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    decided = api_as(people.helen).post(
        f"/reviews/items/{item.pk}/decide", {"decision": "certify", "comment": "still runs Finance"}
    )
    assert decided.status_code == 200
    item.refresh_from_db()
    assert item.decision == Decision.CERTIFIED and item.comment == "still runs Finance"
    assert item.decided_by_id == people.helen.pk and item.decided_at is not None
    assert _grant(people, people.manager, BuiltinRole.DEPARTMENT_MANAGER)


def test_a_member_without_any_right_cannot_decide_someone_elses_item(people: People) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    before = _counts(people.company)
    # Gary has nothing to do with it: the item does not exist for him
    assert_problem(api_as(people.gary).post(f"/reviews/items/{item.pk}/decide", {"decision": "certify"}), 404)
    # Ada runs the review but is not Fiona's reviewer, and the item is not escalated
    refused = api_as(people.admin).post(f"/reviews/items/{item.pk}/decide", {"decision": "certify"})
    assert_problem(refused, 403)
    # Fiona never reviews her own access
    assert_problem(
        api_as(people.manager).post(f"/reviews/items/{item.pk}/decide", {"decision": "certify"}), 404
    )
    assert _counts(people.company) == before


def test_an_administrator_never_decides_their_own_escalated_item(people: People) -> None:
    from harbour.reviews.clock import escalate_unanswered, system_actor

    campaign = open_review(people)
    escalate_unanswered(system_actor(people.company.tenant.pk), at=campaign.escalate_at)
    own = people.item_of(campaign, people.admin)
    assert own.escalated_at is not None
    mine = {i["member_name"] for i in body(api_as(people.admin).get("/reviews/mine"))}
    assert "Ada Admin" not in mine and "Fiona Finance" in mine  # escalated to her, but never her own
    refused = api_as(people.admin).post(f"/reviews/items/{own.pk}/decide", {"decision": "certify"})
    assert_problem(refused, 403)
    own.refresh_from_db()
    assert own.decision == Decision.PENDING


def test_other_companies_see_and_decide_nothing(people: People, other_company: Company) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    assert other_company.admin is not None
    other = api_as(other_company.admin)
    assert_problem(other.get(f"/reviews/campaigns/{campaign.pk}"), 404)
    assert_problem(other.get(f"/reviews/campaigns/{campaign.pk}/report.csv"), 404)
    assert_problem(other.post(f"/reviews/campaigns/{campaign.pk}/close"), 404)
    assert_problem(
        other.post(f"/reviews/items/{item.pk}/decide", {"decision": "revoke", "comment": "x"}), 404
    )
    assert body(other.get("/reviews/campaigns")) == []
    assert body(other.get("/reviews/mine")) == []
    assert _grant(people, people.manager, BuiltinRole.DEPARTMENT_MANAGER)


def test_bad_input_names_the_field_and_changes_nothing(people: People) -> None:
    admin_api, helen = api_as(people.admin), api_as(people.helen)
    before = _counts(people.company)
    audit_before = AuditEvent.objects.for_tenant(people.company.tenant).count()
    due = (now() + dt.timedelta(days=10)).isoformat()
    cases = [
        ({"name": "", "due_at": due}, "name"),
        ({"name": "Late", "due_at": (now() - dt.timedelta(days=1)).isoformat()}, "due_at"),
        ({"name": "Long", "due_at": (now() + dt.timedelta(days=200)).isoformat()}, "due_at"),
        ({"name": "Roles", "due_at": due, "role_ids": []}, "role_ids"),
        ({"name": "Roles", "due_at": due, "role_ids": [str(people.admin.pk)]}, "role_ids"),
        (
            {"name": "Esc", "due_at": due, "escalate_at": (now() + dt.timedelta(days=11)).isoformat()},
            "escalate_at",
        ),
        (
            {"name": "Open", "due_at": due, "opens_at": (now() - dt.timedelta(hours=1)).isoformat()},
            "opens_at",
        ),
        ({"name": "Naive", "due_at": "2030-01-01T00:00:00"}, "due_at"),
    ]
    for payload, field in cases:
        assert_problem(admin_api.post("/reviews/campaigns", payload), 422, field)
    assert_problem(admin_api.post("/reviews/campaigns", {"name": "No date"}), 422, "due_at")

    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    after_open = _counts(people.company)
    assert_problem(helen.post(f"/reviews/items/{item.pk}/decide", {"decision": "maybe"}), 422, "decision")
    assert_problem(helen.post(f"/reviews/items/{item.pk}/decide", {"decision": "revoke"}), 422, "comment")
    too_long = {"decision": "certify", "comment": "x" * 1001}
    assert_problem(helen.post(f"/reviews/items/{item.pk}/decide", too_long), 422, "comment")
    assert _counts(people.company) == after_open and after_open[1:] == before[1:]
    assert_problem(admin_api.patch("/reviews/schedule", {"days_open": 1}), 422, "days_open")
    assert_problem(
        admin_api.patch("/reviews/schedule", {"days_open": 10, "escalate_after_days": 10}),
        422,
        "escalate_after_days",
    )
    assert body(admin_api.get("/reviews/schedule"))["days_open"] == 21
    kinds = set(
        AuditEvent.objects.for_tenant(people.company.tenant)
        .order_by("seq")[audit_before:]
        .values_list("kind", flat=True)
    )
    assert kinds == {"review.campaign_created", "review.campaign_opened"}  # only the review that was made


def test_bulk_certify_is_all_or_nothing(people: People) -> None:
    campaign = open_review(people)
    bob_item = people.item_of(campaign, people.backup)
    fiona_item = people.item_of(campaign, people.manager)
    ada = api_as(people.admin)
    # Fiona's item is Helen's to decide: the whole batch is refused
    refused = ada.post(
        "/reviews/items/decide", {"item_ids": [str(bob_item.pk), str(fiona_item.pk)], "decision": "certify"}
    )
    assert_problem(refused, 403)
    bob_item.refresh_from_db()
    assert bob_item.decision == Decision.PENDING
    done = ada.post("/reviews/items/decide", {"item_ids": [str(bob_item.pk)], "decision": "certify"})
    assert done.status_code == 200 and [i["decision"] for i in body(done)] == ["certified"]
    assert_problem(
        ada.post("/reviews/items/decide", {"item_ids": [], "decision": "certify"}), 422, "item_ids"
    )


def test_a_grant_gone_meanwhile_is_shown_as_such_and_not_revoked_twice(people: People) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    grant = _grant(people, people.manager, BuiltinRole.DEPARTMENT_MANAGER)
    directory.revoke_grant(people.admin, grant, reason="left Finance")
    helen = api_as(people.helen)
    [shown] = body(helen.get("/reviews/mine"))
    assert shown["grant_now"] == "removed"
    assert_problem(helen.post(f"/reviews/items/{item.pk}/decide", {"decision": "certify"}), 409, "decision")
    revoked = helen.post(
        f"/reviews/items/{item.pk}/decide", {"decision": "revoke", "comment": "gone already"}
    )
    assert body(revoked)["effect"] == Effect.ALREADY_REMOVED
    log = AuditEvent.objects.for_tenant(people.company.tenant).filter(
        kind="grant.revoked", target_id=str(grant.pk)
    )
    assert log.count() == 1  # the directory's revocation only


def test_an_expired_grant_is_recorded_not_removed(people: People) -> None:
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    grant = _grant(people, people.manager, BuiltinRole.DEPARTMENT_MANAGER)
    RoleGrant.objects.for_tenant(people.company.tenant).filter(pk=grant.pk).update(
        expires_at=now() - dt.timedelta(minutes=1)
    )
    revoked = api_as(people.helen).post(
        f"/reviews/items/{item.pk}/decide", {"decision": "revoke", "comment": "ended"}
    )
    assert (body(revoked)["effect"], body(revoked)["grant_now"]) == (Effect.ALREADY_EXPIRED, "expired")
    assert RoleGrant.objects.for_tenant(people.company.tenant).filter(pk=grant.pk).exists()


def test_revoking_the_last_administrator_is_refused_and_the_item_stays_pending(company: Company) -> None:
    assert company.admin is not None and company.manager is not None
    directory.update_member(company.system, company.admin, manager=company.manager)
    campaign = actions.create_campaign(company.admin, name="Solo", due_at=now() + dt.timedelta(days=10))
    actions.open_campaign(company.admin, campaign)
    item = ReviewItem.objects.for_tenant(company.tenant).get(campaign=campaign, member=company.admin)
    assert item.reviewer_id == company.manager.pk
    refused = api_as(company.manager).post(
        f"/reviews/items/{item.pk}/decide", {"decision": "revoke", "comment": "no longer needed"}
    )
    assert_problem(refused, 409)
    item.refresh_from_db()
    assert item.decision == Decision.PENDING
    assert RoleGrant.objects.for_tenant(company.tenant).filter(member=company.admin).exists()


def test_closing_records_undecided_items_as_such(people: People) -> None:
    campaign = open_review(people)
    api_as(people.helen).post(
        f"/reviews/items/{people.item_of(campaign, people.manager).pk}/decide", {"decision": "certify"}
    )
    closed = api_as(people.admin).post(f"/reviews/campaigns/{campaign.pk}/close")
    assert closed.status_code == 200
    out = body(closed)
    assert out["state"] == "closed" and out["counts"] == {
        "pending": 2,
        "certified": 1,
        "revoked": 0,
        "total": 3,
    }
    [listed] = body(api_as(people.admin).get("/reviews/campaigns"))
    assert listed["counts"] == out["counts"] and listed["closed_automatically"] is False
    entry = AuditEvent.objects.for_tenant(people.company.tenant).get(kind="review.campaign_closed")
    assert entry.data["not_decided"] == 2 and entry.after["summary"]["pending"] == 2
    # nothing can be decided any more, and the campaign cannot be closed twice
    bob_item = people.item_of(campaign, people.backup)
    assert_problem(
        api_as(people.admin).post(f"/reviews/items/{bob_item.pk}/decide", {"decision": "certify"}), 409
    )
    assert_problem(api_as(people.admin).post(f"/reviews/campaigns/{campaign.pk}/close"), 409, "state")


def test_the_evidence_csv_lists_every_item(people: People) -> None:
    campaign = open_review(people)
    api_as(people.helen).post(
        f"/reviews/items/{people.item_of(campaign, people.manager).pk}/decide",
        {"decision": "revoke", "comment": "=moved to sales"},
    )
    actions.close_campaign(people.admin, campaign)
    # the evidence outlives the member's name change and the grant
    directory.update_member(people.company.system, people.manager, name="Fiona Renamed")
    response = api_as(people.admin).get(f"/reviews/campaigns/{campaign.pk}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    fiona = next(r for r in rows if r["Member"] == "Fiona Finance")
    assert fiona["Role"] == "Department Manager" and fiona["Scope"] == "Finance"
    assert fiona["Reviewer"] == "Helen HR" and fiona["Reviewer because"] == "Manager"
    assert fiona["Decision"] == "Revoked" and fiona["Comment"] == "'=moved to sales"  # no formula
    assert fiona["Effect on the grant"] == "Grant removed" and fiona["Grant now"] == "removed"
    assert fiona["Decided at (Hong Kong)"].endswith("+08:00")
    bob = next(r for r in rows if r["Member"] == "Bob Backup")
    assert bob["Decision"] == "not decided by the close" and bob["Grant now"] == "in force"
    assert (
        AuditEvent.objects.for_tenant(people.company.tenant).filter(kind="review.report_exported").count()
        == 1
    )


def test_a_suspended_manager_does_not_review(people: People) -> None:
    directory.suspend_member(people.company.system, people.helen, reason="on leave")
    campaign = open_review(people)
    item = people.item_of(campaign, people.manager)
    assert item.reviewer_id == people.admin.pk and item.reviewer_basis == ReviewerBasis.ADMINISTRATOR


def test_a_custom_role_can_be_reviewed(people: People) -> None:
    clerks = directory.create_role(people.company.system, name="Payroll clerks", permissions=["member.view"])
    directory.grant_role(people.company.system, people.gary, clerks)
    directory.update_member(people.company.system, people.gary, manager=people.manager)
    created = api_as(people.admin).post(
        "/reviews/campaigns",
        {
            "name": "Clerks",
            "role_ids": [str(clerks.pk)],
            "due_at": (now() + dt.timedelta(days=5)).isoformat(),
        },
    )
    opened = body(api_as(people.admin).post(f"/reviews/campaigns/{body(created)['id']}/open"))
    assert [(i["member_name"], i["reviewer_name"]) for i in opened["items"]] == [
        ("Gary General", "Fiona Finance")
    ]
    assert body(created)["escalate_at"] < body(created)["due_at"]
