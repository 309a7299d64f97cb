"""Temporary collaborators through the API: a member asks, a manager of the department approves (never the
sponsor), the external account is invited with its end; extensions need the same approval and stay within the
company's longest term counted from their approval; the sponsor or an approver ends access early."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.collaborators.models import CollaboratorExtension, CollaboratorRequest
from harbour.directory.models import Member, MemberState
from harbour.security.actions import update_settings
from harbour.security.models import Notice
from tests.api.helpers import ApiClient, anonymous, api_as, assert_problem, body
from tests.collaborators.conftest import Ask, Clock, join
from tests.factories import Company, make_company, make_member


def _counts(company: Company) -> dict[str, int]:
    return {
        "requests": CollaboratorRequest.objects.for_tenant(company.tenant).count(),
        "extensions": CollaboratorExtension.objects.for_tenant(company.tenant).count(),
        "members": Member.objects.for_tenant(company.tenant).count(),
        "audit": AuditEvent.objects.for_tenant(company.tenant).count(),
        "notices": Notice.objects.for_tenant(company.tenant).count(),
    }


def _notice_titles(member: Member | None) -> list[str]:
    assert member is not None
    return list(
        Notice.objects.for_tenant(member.tenant_id).filter(member=member).values_list("title", flat=True)
    )


def _kinds(company: Company) -> list[str]:
    return list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(kind__startswith="collaborator.")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


# ------------------------------------------------------------------------------------- asking and approving
def test_a_member_asks_and_the_department_manager_approves(
    company: Company, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask()
    assert asked["state"] == "requested" and asked["days"] == 7
    assert asked["sponsor"]["name"] == "Gary General" and asked["member_id"] is None
    assert asked["department_name"] == "Accounts Payable"
    # the approvers of Accounts Payable (Finance's manager, the administrator) are told, by notice and email
    for approver in (company.manager, company.admin):
        assert any("Pat Partner" in t for t in _notice_titles(approver)), approver
    assert {m.to[0] for m in mail.outbox} == {company.manager.email, company.admin.email}  # type: ignore[union-attr]
    assert _notice_titles(company.outsider) == []

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_api.post(f"/collaborators/{asked['id']}/approve")
    assert response.status_code == 200, response.content
    approved = body(response)
    assert approved["state"] == "approved" and approved["decided_by"]["name"] == "Fiona Finance"
    member = Member.objects.for_tenant(company.tenant).get(pk=approved["member_id"])
    assert member.is_external and member.state == MemberState.INVITED
    assert member.email == "pat@partner.example" and member.title == "Partner Audit Ltd"
    assert member.department_ids() == [company.departments["accounts"].id]
    assert member.access_expires_at is not None
    assert member.access_expires_at.isoformat().replace("+00:00", "Z") == approved["ends_at"]
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.ends_at == request.decided_at + dt.timedelta(days=7)  # type: ignore[operator]
    # the collaborator gets the invitation link, the sponsor hears of the decision
    assert any("/invite/" in m.body for m in mail.outbox if m.to == ["pat@partner.example"])
    assert any(t.startswith("Approved: Pat Partner") for t in _notice_titles(company.member))
    assert any(m.to == [company.member.email] for m in mail.outbox)  # type: ignore[union-attr]
    assert _kinds(company) == ["collaborator.requested", "collaborator.approved"]
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="collaborator.approved")
    assert event.actor_id == company.manager.pk and event.data["member"] == str(member.pk)  # type: ignore[union-attr]
    invited = AuditEvent.objects.for_tenant(company.tenant).get(
        kind="member.invited", target_id=str(member.pk)
    )
    assert invited.actor_type == "system" and invited.actor_label == "temporary collaborators"


def test_the_approver_may_give_fewer_days_never_more(
    company: Company, ask: Ask, manager_api: ApiClient
) -> None:
    asked = ask(days=5)
    assert_problem(manager_api.post(f"/collaborators/{asked['id']}/approve", {"days": 6}), 422, "days")
    response = manager_api.post(f"/collaborators/{asked['id']}/approve", {"days": 3})
    assert response.status_code == 200 and body(response)["days"] == 3
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.ends_at == request.decided_at + dt.timedelta(days=3)  # type: ignore[operator]


def test_a_shorter_company_maximum_shortens_the_default_and_caps_the_term(
    company: Company, ask: Ask, member_api: ApiClient, manager_api: ApiClient
) -> None:
    update_settings(company.system, {"temporary_max_days": 3})
    assert ask()["days"] == 3  # 7 by default, but never beyond the company's maximum
    before = _counts(company)
    problem = assert_problem(member_api.post("/collaborators", _payload(company, days=4)), 422, "days")
    assert "at most 3 days" in problem["detail"]
    assert _counts(company) == before
    # the maximum lowered after asking: approval keeps to it (the approver gives fewer days)
    update_settings(company.system, {"temporary_max_days": 7})
    longer = ask(email="quinn@partner.example", days=7)
    update_settings(company.system, {"temporary_max_days": 2})
    assert_problem(manager_api.post(f"/collaborators/{longer['id']}/approve"), 422, "days")
    assert body(manager_api.post(f"/collaborators/{longer['id']}/approve", {"days": 2}))["days"] == 2


def _payload(company: Company, **fields: Any) -> dict[str, Any]:
    return {
        "email": "sam@supplier.example",
        "name": "Sam Supplier",
        "organisation": "Supplier Co",
        "purpose": "Migrate the vendor master file",
        "department_id": str(company.departments["accounts"].id),
        **fields,
    }


def test_bad_input_gets_a_field_error_and_changes_nothing(
    company: Company, ask: Ask, member_api: ApiClient, other_company: Company
) -> None:
    ask(email="open@partner.example")
    before = _counts(company)
    cases: list[tuple[dict[str, Any], int, str]] = [
        (_payload(company, days=8), 422, "days"),  # beyond the company's 7-day maximum
        (_payload(company, days=0), 422, "days"),
        ({k: v for k, v in _payload(company).items() if k != "purpose"}, 422, "purpose"),  # missing
        (_payload(company, purpose="   "), 422, "purpose"),  # blank
        (_payload(company, organisation=""), 422, "organisation"),
        (_payload(company, name=""), 422, "name"),
        (_payload(company, email="not an address"), 422, "email"),
        (_payload(company, email=company.admin.email), 409, "email"),  # type: ignore[union-attr]
        (_payload(company, email="open@partner.example"), 409, "email"),  # a request for it is open
    ]
    for payload, status, field in cases:
        assert_problem(member_api.post("/collaborators", payload), status, field)
    # another company's department is not found
    foreign = _payload(company, department_id=str(other_company.departments["finance"].id))
    assert_problem(member_api.post("/collaborators", foreign), 404)
    assert _counts(company) == before


def test_domain_binding_refuses_an_address_outside_the_company_domains(db: Any) -> None:
    bound = make_company("bound", domains=["bound.com.hk"])
    assert bound.member is not None
    client = api_as(bound.member)
    payload = {
        "email": "pat@partner.example",
        "name": "Pat Partner",
        "organisation": "Partner Audit Ltd",
        "purpose": "Audit",
    }
    problem = assert_problem(client.post("/collaborators", payload), 422, "email")
    assert "bound.com.hk" in problem["detail"]
    assert not CollaboratorRequest.objects.for_tenant(bound.tenant).exists()


def test_a_sponsor_cannot_approve_their_own_request(
    company: Company, manager_api: ApiClient, ask: Ask
) -> None:
    own = ask(client=manager_api, email="fiona.guest@partner.example")  # Fiona manages Finance, asks herself
    before = _counts(company)
    problem = assert_problem(manager_api.post(f"/collaborators/{own['id']}/approve"), 403)
    assert "another approver" in problem["detail"]
    assert_problem(manager_api.post(f"/collaborators/{own['id']}/reject", {"reason": "no"}), 403)
    assert _counts(company) == before
    admin = api_as(company.admin)  # type: ignore[arg-type]
    assert body(admin.post(f"/collaborators/{own['id']}/approve"))["state"] == "approved"


def test_a_general_member_cannot_approve_even_their_own(ask: Ask, member_api: ApiClient) -> None:
    asked = ask()
    assert_problem(member_api.post(f"/collaborators/{asked['id']}/approve"), 403)


def test_only_managers_of_the_requests_department_decide(
    company: Company, ask: Ask, helen_api: ApiClient, manager_api: ApiClient
) -> None:
    hr_request = ask(client=helen_api, department_id=str(company.departments["hr"].id))
    # Fiona manages Finance, not Human Resources: the request is not even visible to her
    assert_problem(manager_api.get(f"/collaborators/{hr_request['id']}"), 404)
    assert_problem(manager_api.post(f"/collaborators/{hr_request['id']}/approve"), 404)
    # a request with no department waits for the company-wide approvers (the administrators)
    no_department = ask(email="nd@partner.example", department_id=None)
    assert_problem(manager_api.post(f"/collaborators/{no_department['id']}/approve"), 404)
    admin = api_as(company.admin)  # type: ignore[arg-type]
    assert body(admin.post(f"/collaborators/{no_department['id']}/approve"))["state"] == "approved"


def test_another_company_sees_nothing(
    company: Company, other_company: Company, ask: Ask, manager_api: ApiClient
) -> None:
    asked = ask()
    outsider = api_as(other_company.admin)  # type: ignore[arg-type]
    for path in ("", "/approve", "/revoke"):
        call = outsider.get if not path else outsider.post
        assert_problem(call(f"/collaborators/{asked['id']}{path}"), 404)
    assert body(outsider.get("/collaborators"))["items"] == []
    assert CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"]).state == "requested"


def test_rejection_needs_a_reason_and_tells_the_sponsor(
    company: Company, ask: Ask, manager_api: ApiClient
) -> None:
    asked = ask()
    assert_problem(manager_api.post(f"/collaborators/{asked['id']}/reject", {"reason": "  "}), 422, "reason")
    assert_problem(manager_api.post(f"/collaborators/{asked['id']}/reject", {}), 422, "reason")
    rejected = body(
        manager_api.post(f"/collaborators/{asked['id']}/reject", {"reason": "Use the audit portal"})
    )
    assert rejected["state"] == "rejected" and rejected["decision_reason"] == "Use the audit portal"
    assert any(t.startswith("Rejected") for t in _notice_titles(company.member))
    assert not Member.objects.for_tenant(company.tenant).filter(email="pat@partner.example").exists()
    assert_problem(manager_api.post(f"/collaborators/{asked['id']}/approve"), 409, "state")  # decided already


def test_listing_is_refused_to_a_member_with_no_role_and_filters_by_state(
    company: Company, ask: Ask, manager_api: ApiClient, member_api: ApiClient
) -> None:
    nobody = make_member(company, name="Nora Nobody", email="nora@acme.example", role=None)
    assert_problem(api_as(nobody, issued_by=company.system).get("/collaborators"), 403)
    assert_problem(anonymous().get("/collaborators"), 401)
    first = ask()
    ask(client=manager_api, email="other@partner.example")
    manager_api.post(f"/collaborators/{first['id']}/reject", {"reason": "not needed"})
    mine = body(member_api.get("/collaborators"))["items"]
    assert [r["email"] for r in mine] == ["pat@partner.example"]  # Gary sees his own only
    everything = body(manager_api.get("/collaborators"))["items"]
    assert {r["email"] for r in everything} == {"pat@partner.example", "other@partner.example"}
    assert [r["email"] for r in body(manager_api.get("/collaborators", state="rejected"))["items"]] == [
        "pat@partner.example"
    ]
    assert [r["email"] for r in body(manager_api.get("/collaborators", mine="true"))["items"]] == [
        "other@partner.example"
    ]
    assert_problem(manager_api.get("/collaborators", state="sleeping"), 422, "state")


# ------------------------------------------------------------------------------------------------ extensions
def test_an_extension_needs_approval_and_counts_from_its_approval(
    company: Company, clock: Clock, ask: Ask, member_api: ApiClient, manager_api: ApiClient
) -> None:
    asked = ask()
    manager_api.post(f"/collaborators/{asked['id']}/approve")
    approved_at = clock.at
    first_end = approved_at + dt.timedelta(days=7)
    clock.move(days=6)
    path = f"/collaborators/{asked['id']}/extensions"
    before = _counts(company)
    too_far = clock.at + dt.timedelta(days=7, hours=1)
    assert_problem(member_api.post(path, {"ends_at": too_far.isoformat(), "reason": "more"}), 422, "ends_at")
    earlier = first_end - dt.timedelta(hours=1)
    assert_problem(member_api.post(path, {"ends_at": earlier.isoformat(), "reason": "more"}), 422, "ends_at")
    wanted = clock.at + dt.timedelta(days=7)  # 13 days after the first approval: fine, it counts from now
    assert_problem(member_api.post(path, {"ends_at": wanted.isoformat(), "reason": " "}), 422, "reason")
    assert_problem(
        member_api.post(path, {"ends_at": wanted.replace(tzinfo=None).isoformat(), "reason": "x"}), 422
    )
    assert _counts(company) == before

    response = member_api.post(path, {"ends_at": wanted.isoformat(), "reason": "Audit runs late"})
    assert response.status_code == 201, response.content
    extension = body(response)["extensions"][0]
    assert extension["state"] == "requested" and extension["requested_by"]["name"] == "Gary General"
    assert any("Approve more time" in t for t in _notice_titles(company.manager))
    assert_problem(member_api.post(path, {"ends_at": wanted.isoformat(), "reason": "again"}), 409)  # one open
    extension_path = f"{path}/{extension['id']}"
    assert_problem(member_api.post(f"{extension_path}/approve"), 403)  # the sponsor does not approve it
    approved = body(manager_api.post(f"{extension_path}/approve"))
    assert approved["extensions"][0]["state"] == "approved"
    member = Member.objects.for_tenant(company.tenant).get(pk=approved["member_id"])
    assert member.access_expires_at == wanted
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.ends_at == wanted and request.term_started_at == clock.at
    assert approved["extensions"][0]["previous_ends_at"].startswith(first_end.date().isoformat())
    assert any(t.startswith("Extension approved") for t in _notice_titles(company.member))
    assert_problem(manager_api.post(f"{extension_path}/approve"), 409)  # decided already
    assert "collaborator.extension_approved" in _kinds(company)


def test_an_extension_asked_for_is_rechecked_when_approved(
    company: Company, clock: Clock, ask: Ask, member_api: ApiClient, manager_api: ApiClient
) -> None:
    asked = ask()
    manager_api.post(f"/collaborators/{asked['id']}/approve")
    clock.move(days=3)
    wanted = clock.at + dt.timedelta(days=7)
    extension = body(
        member_api.post(
            f"/collaborators/{asked['id']}/extensions", {"ends_at": wanted.isoformat(), "reason": "r"}
        )
    )["extensions"][0]
    update_settings(company.system, {"temporary_max_days": 5})  # the company shortened its longest term
    extension_path = f"/collaborators/{asked['id']}/extensions/{extension['id']}"
    assert_problem(manager_api.post(f"{extension_path}/approve"), 422, "ends_at")
    assert_problem(manager_api.post(f"{extension_path}/reject", {"reason": ""}), 422, "reason")
    rejected = body(manager_api.post(f"{extension_path}/reject", {"reason": "Five days is the rule now"}))
    assert rejected["extensions"][0]["state"] == "rejected"
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.ends_at == request.decided_at + dt.timedelta(days=7)  # type: ignore[operator]
    assert any(t.startswith("Extension rejected") for t in _notice_titles(company.member))


def test_only_an_active_collaborator_is_extended(ask: Ask, member_api: ApiClient, clock: Clock) -> None:
    asked = ask()
    end = (clock.at + dt.timedelta(days=3)).isoformat()
    problem = member_api.post(f"/collaborators/{asked['id']}/extensions", {"ends_at": end, "reason": "x"})
    assert_problem(problem, 409, "state")


# ------------------------------------------------------------------------------------------- ending early
def test_the_sponsor_ends_access_early(
    company: Company,
    ask: Ask,
    member_api: ApiClient,
    manager_api: ApiClient,
    helen_api: ApiClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    asked = ask()
    with django_capture_on_commit_callbacks(execute=True):
        manager_api.post(f"/collaborators/{asked['id']}/approve")
    member = join("pat@partner.example")
    assert member.state == MemberState.ACTIVE
    assert_problem(helen_api.post(f"/collaborators/{asked['id']}/revoke"), 404)  # not hers to end
    ended = body(member_api.post(f"/collaborators/{asked['id']}/revoke", {"reason": "Audit finished early"}))
    assert ended["state"] == "revoked" and ended["ended_by"]["name"] == "Gary General"
    member.refresh_from_db()
    assert member.state == MemberState.SUSPENDED and member.sessions_revoked_at is not None
    assert not member.can_sign_in
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="collaborator.revoked")
    assert event.actor_id == company.member.pk and event.data["reason"] == "Audit finished early"  # type: ignore[union-attr]
    assert not any("ended early" in t for t in _notice_titles(company.member))  # he ended it himself
    assert_problem(member_api.post(f"/collaborators/{asked['id']}/revoke"), 409, "state")


def test_an_approver_ends_an_unaccepted_invitation(
    company: Company, ask: Ask, manager_api: ApiClient
) -> None:
    asked = ask()
    manager_api.post(f"/collaborators/{asked['id']}/approve")
    ended = body(manager_api.post(f"/collaborators/{asked['id']}/revoke"))
    assert ended["state"] == "revoked"
    member = Member.objects.for_tenant(company.tenant).get(pk=ended["member_id"])
    assert (
        member.state == MemberState.DEACTIVATED
    )  # never joined: the invitation is withdrawn, the seat freed
    assert any("ended early" in t for t in _notice_titles(company.member))


def test_a_waiting_request_is_withdrawn(company: Company, ask: Ask, member_api: ApiClient) -> None:
    asked = ask()
    withdrawn = body(member_api.post(f"/collaborators/{asked['id']}/revoke", {"reason": "found another way"}))
    assert withdrawn["state"] == "withdrawn"
    assert not Member.objects.for_tenant(company.tenant).filter(email="pat@partner.example").exists()
    assert "collaborator.withdrawn" in _kinds(company)
    assert ask()["state"] == "requested"  # the address may be asked for again
