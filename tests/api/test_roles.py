"""Roles and grants through the API: custom roles, scoped and time-boxed grants, built-in role rules."""

from __future__ import annotations

import datetime as dt

from harbour.core.time import now
from harbour.directory.models import RoleGrant
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def test_permission_catalogue_lists_codes_with_descriptions(company: Company, member_api: ApiClient) -> None:
    catalogue = {p["code"]: p["description"] for p in body(member_api.get("/permissions"))}
    assert "member.suspend" in catalogue and "tenant.update" in catalogue
    assert all(catalogue.values())


def test_custom_role_granted_over_a_department_until_a_time(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    assert company.member is not None and company.outsider is not None
    hr = str(company.departments["hr"].id)

    # an HR officer role that may suspend members, granted over HR for two hours
    response = admin_api.post(
        "/roles",
        {
            "name": "HR Officer",
            "description": "Handles leave and discipline",
            "permissions": ["member.view_private", "member.suspend"],
            "requires_scope": True,
        },
    )
    assert response.status_code == 201, response.content
    role = body(response)
    assert role["permissions"] == ["member.suspend", "member.view_private"] and role["builtin"] == ""

    # Gary may not suspend Helen (HR) yet
    assert_problem(member_api.post(f"/members/{company.outsider.id}/suspend"), 403)

    until = now() + dt.timedelta(hours=2)
    response = admin_api.post(
        "/grants",
        {
            "member_id": str(company.member.id),
            "role_id": role["id"],
            "scope_department_id": hr,
            "expires_at": until.isoformat(),
            "reason": "covering for the HR manager",
        },
    )
    assert response.status_code == 201, response.content
    grant = body(response)
    assert grant["scope_department_id"] == hr and grant["role_name"] == "HR Officer"
    assert abs(dt.datetime.fromisoformat(grant["expires_at"]) - until) < dt.timedelta(seconds=1)

    me = body(member_api.get("/me"))
    assert {r["role_name"] for r in me["roles"]} == {"General Member", "HR Officer"}
    listed = body(admin_api.get("/grants", role_id=role["id"]))["items"]
    assert [g["member_id"] for g in listed] == [str(company.member.id)]

    # now Gary can see Helen's private fields and suspend her — but only inside HR
    assert body(member_api.get(f"/members/{company.outsider.id}"))["state"] == "active"
    response = member_api.post(f"/members/{company.outsider.id}/suspend", {"reason": "misconduct"})
    assert response.status_code == 200, response.content
    assert_problem(member_api.post(f"/members/{company.manager.id}/suspend"), 403)  # type: ignore[union-attr]
    admin_api.post(f"/members/{company.outsider.id}/reactivate")

    # two hours later the grant has lapsed on its own
    RoleGrant.objects.for_tenant(company.tenant).filter(pk=grant["id"]).update(
        expires_at=now() - dt.timedelta(seconds=1)
    )
    assert {r["role_name"] for r in body(member_api.get("/me"))["roles"]} == {"General Member"}
    assert_problem(member_api.post(f"/members/{company.outsider.id}/suspend"), 403)
    assert body(member_api.get(f"/members/{company.outsider.id}"))["state"] is None

    # revoke the grant, then the role can go
    assert_problem(admin_api.delete(f"/roles/{role['id']}"), 409, "role_id")
    assert admin_api.delete(f"/grants/{grant['id']}", reason="cover ended").status_code == 204
    assert admin_api.delete(f"/roles/{role['id']}").status_code == 204
    assert_problem(admin_api.get(f"/roles/{role['id']}"), 404, "role_id")


def test_scoped_role_needs_a_department(company: Company, admin_api: ApiClient) -> None:
    manager_role = company.roles["department_manager"]
    response = admin_api.post(
        "/grants",
        {
            "member_id": str(company.member.id),  # type: ignore[union-attr]
            "role_id": str(manager_role.id),
        },
    )
    assert_problem(response, 422, "scope_department_id")


def test_edit_custom_role_and_builtin_role_rules(company: Company, admin_api: ApiClient) -> None:
    role = body(admin_api.post("/roles", {"name": "Auditor", "permissions": ["audit.view"]}))
    response = admin_api.patch(
        f"/roles/{role['id']}", {"name": "Internal Auditor", "permissions": ["audit.view", "member.view"]}
    )
    assert response.status_code == 200
    assert body(response)["name"] == "Internal Auditor"
    assert body(response)["permissions"] == ["audit.view", "member.view"]

    admin = str(company.roles["administrator"].id)
    response = admin_api.patch(f"/roles/{admin}", {"description": "Runs the workspace"})
    assert response.status_code == 200 and body(response)["description"] == "Runs the workspace"
    assert_problem(admin_api.patch(f"/roles/{admin}", {"permissions": ["member.view"]}), 409, "permissions")
    assert_problem(admin_api.delete(f"/roles/{admin}"), 409, "role_id")
    assert_problem(admin_api.post("/roles", {"name": "internal auditor"}), 409, "name")


def test_last_administrator_grant_cannot_be_revoked(company: Company, admin_api: ApiClient) -> None:
    admin_grant = body(admin_api.get("/grants", member_id=str(company.admin.id)))["items"][0]  # type: ignore[union-attr]
    assert admin_grant["role_name"] == "Administrator"
    assert_problem(admin_api.delete(f"/grants/{admin_grant['id']}"), 409, "member_id")


def test_department_manager_cannot_read_roles(company: Company, manager_api: ApiClient) -> None:
    assert_problem(manager_api.get("/roles"), 403)
    assert_problem(manager_api.get("/grants"), 403)
    roles = body(manager_api.get("/me"))["roles"]
    assert [(r["role_name"], r["scope_department_id"]) for r in roles] == [
        ("Department Manager", str(company.departments["finance"].id))
    ]
