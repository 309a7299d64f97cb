"""Members through the API: invite, list, get, edit, suspend, reactivate, deactivate; and who sees what."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.directory.actions import accept_invitation
from harbour.directory.models import MemberState
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import PASSWORD, Company, make_member

PRIVATE = ("mobile", "employee_number", "hire_date", "state", "access_expires_at")


def _kinds(company: Company, member_id: str) -> list[str]:
    return list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(target_id=member_id)
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def test_member_lifecycle_through_the_api(company: Company, admin_api: ApiClient) -> None:
    finance, accounts = company.departments["finance"], company.departments["accounts"]
    assert company.manager is not None

    # invite
    response = admin_api.post(
        "/members",
        {
            "email": "Wong.Tai.Man@ACME.com.hk",
            "name": "Wong Tai Man",
            "name_zh": "王大文",
            "mobile": "9123 4567",
            "employee_number": "HK-0042",
            "title": "Accountant",
            "department_ids": [str(accounts.id), str(finance.id)],
            "manager_id": str(company.manager.id),
            "hire_date": "2026-03-01",
        },
    )
    assert response.status_code == 201, response.content
    created = body(response)
    member_id = created["id"]
    assert created["email"] == "wong.tai.man@acme.com.hk"
    assert created["mobile"] == "+85291234567"
    assert created["state"] == "invited"
    assert created["manager_id"] == str(company.manager.id)
    assert [d["id"] for d in created["departments"]] == [str(accounts.id), str(finance.id)]
    assert created["departments"][0]["is_primary"] is True
    assert created["invitation_url"].startswith("http")

    # list: by name, by department (with and without sub-departments), by state, by search
    names = [m["name"] for m in body(admin_api.get("/members"))["items"]]
    assert "Wong Tai Man" in names and names == sorted(names)
    under_finance = body(admin_api.get("/members", department_id=str(finance.id)))["items"]
    assert member_id in {m["id"] for m in under_finance}
    only_finance = body(
        admin_api.get("/members", department_id=str(finance.id), include_subdepartments="false")
    )
    assert {m["name"] for m in only_finance["items"]} == {"Fiona Finance", "Wong Tai Man"}
    invited = body(admin_api.get("/members", state="invited"))["items"]
    assert [m["id"] for m in invited] == [member_id]
    assert [m["id"] for m in body(admin_api.get("/members", q="王大"))["items"]] == [member_id]
    assert [m["id"] for m in body(admin_api.get("/members", q="hk-0042"))["items"]] == [member_id]

    # get
    fetched = body(admin_api.get(f"/members/{member_id}"))
    assert fetched["employee_number"] == "HK-0042"
    assert "invitation_url" not in fetched

    # edit: title, departments (first is primary), clear the manager
    hr = company.departments["hr"]
    response = admin_api.patch(
        f"/members/{member_id}",
        {
            "title": "Senior Accountant",
            "department_ids": [str(hr.id)],
            "manager_id": None,
        },
    )
    assert response.status_code == 200, response.content
    edited = body(response)
    assert edited["title"] == "Senior Accountant"
    assert [d["id"] for d in edited["departments"]] == [str(hr.id)]
    assert edited["manager_id"] is None
    assert edited["name"] == "Wong Tai Man"  # left out, unchanged

    # the person accepts the invitation and becomes active
    token = urlparse(created["invitation_url"]).path.rstrip("/").rsplit("/", 1)[-1]
    accept_invitation(token, PASSWORD)
    assert body(admin_api.get(f"/members/{member_id}"))["state"] == "active"

    # suspend → reactivate → deactivate → reactivate
    response = admin_api.post(f"/members/{member_id}/suspend", {"reason": "investigation"})
    assert response.status_code == 200 and body(response)["state"] == "suspended"
    response = admin_api.post(f"/members/{member_id}/reactivate")
    assert response.status_code == 200 and body(response)["state"] == "active"
    response = admin_api.post(f"/members/{member_id}/deactivate", {"reason": "left the company"})
    assert response.status_code == 200 and body(response)["state"] == "deactivated"
    response = admin_api.post(f"/members/{member_id}/reactivate", {"reason": "rehired"})
    assert response.status_code == 200 and body(response)["state"] == "active"

    assert _kinds(company, member_id) == [
        "member.invited",
        "member.updated",
        "member.activated",
        "member.suspended",
        "member.reactivated",
        "member.deactivated",
        "member.reactivated",
    ]
    suspended = AuditEvent.objects.for_tenant(company.tenant).get(
        target_id=member_id, kind="member.suspended"
    )
    assert suspended.data["reason"] == "investigation"
    assert suspended.actor_id == company.admin.id  # type: ignore[union-attr]


def test_resend_invitation_gives_a_new_link(company: Company, admin_api: ApiClient) -> None:
    created = body(admin_api.post("/members", {"email": "new@acme.com.hk", "name": "New Person"}))
    response = admin_api.post(f"/members/{created['id']}/resend-invitation")
    assert response.status_code == 200
    assert body(response)["invitation_url"] != created["invitation_url"]
    assert_problem(admin_api.post(f"/members/{company.member.id}/resend-invitation"), 409, "state")  # type: ignore[union-attr]


def test_private_fields_only_for_those_allowed(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    assert company.admin is not None and company.member is not None
    admin_api.patch(f"/members/{company.admin.id}", {"mobile": "+852 6123 4567", "hire_date": "2020-01-02"})

    seen_by_member = body(member_api.get(f"/members/{company.admin.id}"))
    assert all(seen_by_member[f] is None for f in PRIVATE)
    assert seen_by_member["email"] == company.admin.email

    own = body(member_api.get(f"/members/{company.member.id}"))
    assert own["state"] == "active" and own["employee_number"] == company.member.employee_number

    seen_by_admin = body(admin_api.get(f"/members/{company.admin.id}"))
    assert seen_by_admin["mobile"] == "+85261234567" and seen_by_admin["hire_date"] == "2020-01-02"

    listed = {m["id"]: m for m in body(member_api.get("/members"))["items"]}
    assert listed[str(company.admin.id)]["state"] is None
    assert listed[str(company.member.id)]["state"] == "active"


def test_member_cannot_filter_by_private_state(company: Company, member_api: ApiClient) -> None:
    assert_problem(member_api.get("/members", state="suspended"), 403, "state")


def test_department_manager_sees_and_manages_only_their_subtree(
    company: Company, manager_api: ApiClient
) -> None:
    assert company.outsider is not None and company.member is not None
    names = {m["name"] for m in body(manager_api.get("/members"))["items"]}
    assert names == {"Fiona Finance", "Gary General"}
    assert_problem(manager_api.get(f"/members/{company.outsider.id}"), 404, "member_id")
    assert_problem(manager_api.post(f"/members/{company.outsider.id}/suspend"), 404)

    listed = body(manager_api.get("/members"))["items"]
    assert all(m["state"] == "active" for m in listed)  # private fields inside the subtree
    response = manager_api.post(f"/members/{company.member.id}/suspend", {"reason": "audit"})
    assert response.status_code == 200 and body(response)["state"] == "suspended"
    # deactivation is not a department manager's to do
    assert_problem(manager_api.post(f"/members/{company.member.id}/deactivate"), 403)


def test_member_pages_walk_every_member_once(company: Company, admin_api: ApiClient) -> None:
    for i in range(7):
        make_member(company, name=f"Page Person {i}", email=f"page{i}@acme.com.hk", with_login=False)
    seen: list[str] = []
    cursor = None
    while True:
        page = body(admin_api.get("/members", limit=3, cursor=cursor))
        assert len(page["items"]) <= 3
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 11
    assert_problem(admin_api.get("/members", cursor="not-a-cursor"), 422, "cursor")
    assert_problem(admin_api.get("/members", limit=501), 422, "limit")


def test_external_member_gets_an_expiry(company: Company, admin_api: ApiClient) -> None:
    created = body(
        admin_api.post(
            "/members", {"email": "contractor@acme.com.hk", "name": "Con Tractor", "is_external": True}
        )
    )
    expires = dt.datetime.fromisoformat(created["access_expires_at"])
    assert now() < expires < now() + dt.timedelta(days=8)
    externals = body(admin_api.get("/members", external="true"))["items"]
    assert [m["id"] for m in externals] == [created["id"]]


def test_own_profile_edit_through_me(company: Company, member_api: ApiClient) -> None:
    response = member_api.patch("/me", {"name_zh": "加里", "mobile": "5123 4567"})
    assert response.status_code == 200, response.content
    me = body(response)
    assert me["name_zh"] == "加里" and me["mobile"] == "+85251234567" and me["name"] == "Gary General"
    assert [r["builtin"] for r in me["roles"]] == ["general_member"]
    assert me["tenant"]["slug"] == "acme"
    assert body(member_api.get("/me"))["name_zh"] == "加里"


def test_suspended_member_is_not_listed_as_active(company: Company, admin_api: ApiClient) -> None:
    assert company.member is not None
    admin_api.post(f"/members/{company.member.id}/suspend")
    states = {m["name"]: m["state"] for m in body(admin_api.get("/members"))["items"]}
    assert states["Gary General"] == MemberState.SUSPENDED
    assert [m["name"] for m in body(admin_api.get("/members", state="suspended"))["items"]] == [
        "Gary General"
    ]


def test_admin_cannot_suspend_themselves(company: Company, admin_api: ApiClient) -> None:
    assert_problem(admin_api.post(f"/members/{company.admin.id}/suspend"), 409, "member_id")  # type: ignore[union-attr]


def test_member_without_roles_can_still_read_me(company: Company) -> None:
    nobody = make_member(company, name="No Role", email="norole@acme.com.hk", role=None)
    client = api_as(nobody, issued_by=company.system)
    assert client.get("/me").status_code == 200


def test_member_json_keeps_its_types(company: Company, admin_api: ApiClient) -> None:
    """UUIDs as strings, times as RFC 3339 in UTC, Chinese text as itself (not \\u escapes)."""
    response = admin_api.get("/members", limit=50)
    assert response["Content-Type"].startswith("application/json")
    assert "\\u" not in response.content.decode()
    member = next(m for m in body(response)["items"] if m["id"] == str(company.member.id))
    assert member["created_at"].endswith("Z")
    assert dt.datetime.fromisoformat(member["created_at"]) == company.member.created_at
    assert member["departments"] and isinstance(member["departments"][0]["id"], str)
