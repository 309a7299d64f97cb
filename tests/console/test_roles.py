"""Roles: the catalogue with permissions and holders, custom roles, and who holds a role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory import actions
from harbour.directory.models import BuiltinRole, Member, Role
from tests.factories import Company

ROLES = reverse("directory:roles")
NEW_ROLE = reverse("directory:role_create")


def roles_of(company: Company) -> list[str]:
    return sorted(Role.objects.for_tenant(company.tenant).values_list("name", flat=True))


@pytest.mark.django_db
def test_roles_page_lists_permissions_and_holders(admin_client: Client) -> None:
    html = admin_client.get(ROLES).content.decode()
    for name in ("Administrator", "Department Manager", "General Member"):
        assert name in html
    assert "Invite members" in html  # permission descriptions, not codes
    assert "own only" in html
    assert "2 holders" in html  # General Member: Gary and Helen
    assert NEW_ROLE in html


@pytest.mark.django_db
def test_create_custom_role_with_own_only_permissions(company: Company, admin_client: Client) -> None:
    form = admin_client.get(NEW_ROLE).content.decode()
    assert 'value="own:member.update_profile"' in form
    response = admin_client.post(
        NEW_ROLE,
        {
            "name": "Receptionist",
            "description": "Front desk",
            "permissions": ["member.view", "own:member.update_profile"],
        },
    )
    assert response.status_code == 302
    role = Role.objects.for_tenant(company.tenant).get(name="Receptionist")
    assert role.permissions == ["member.view", "own:member.update_profile"]
    assert response["Location"] == reverse("directory:role", args=[role.pk])


@pytest.mark.django_db
def test_create_role_with_a_taken_name_changes_nothing(company: Company, admin_client: Client) -> None:
    before = roles_of(company)
    response = admin_client.post(NEW_ROLE, {"name": "administrator", "permissions": ["member.view"]})
    assert response.status_code == 400
    assert b"already exists" in response.content
    assert b'value="member.view" id="perm-' in response.content and b"checked" in response.content
    assert roles_of(company) == before


@pytest.mark.django_db
def test_unknown_permission_code_is_refused(company: Company, admin_client: Client) -> None:
    response = admin_client.post(NEW_ROLE, {"name": "Odd", "permissions": ["launch.missiles"]})
    assert response.status_code == 400
    assert "Odd" not in roles_of(company)


@pytest.mark.django_db
def test_edit_custom_role(company: Company, admin_client: Client) -> None:
    role = actions.create_role(company.system, name="Auditor", permissions=["audit.view"])
    url = reverse("directory:role_edit", args=[role.pk])
    assert b'value="audit.view" id="perm-' in admin_client.get(url).content
    response = admin_client.post(
        url, {"name": "Auditor", "description": "Reads the log", "permissions": ["audit.view", "member.view"]}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.permissions == ["audit.view", "member.view"] and role.description == "Reads the log"


@pytest.mark.django_db
def test_builtin_role_edits_only_the_description(company: Company, admin_client: Client) -> None:
    role = company.roles[BuiltinRole.GENERAL_MEMBER]
    url = reverse("directory:role_edit", args=[role.pk])
    assert b"This is a built-in role" in admin_client.get(url).content
    response = admin_client.post(
        url, {"name": "Hacked", "description": "Everyone else", "permissions": ["tenant.update"]}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.name == "General Member" and role.description == "Everyone else"
    assert "tenant.update" not in role.permissions
    assert reverse("directory:role_delete", args=[role.pk]) not in admin_client.get(ROLES).content.decode()
    assert admin_client.get(reverse("directory:role_delete", args=[role.pk])).status_code == 404


@pytest.mark.django_db
def test_delete_custom_role_after_confirmation(company: Company, admin_client: Client) -> None:
    role = actions.create_role(company.system, name="Temp", permissions=["member.view"])
    url = reverse("directory:role_delete", args=[role.pk])
    confirm = admin_client.get(url)
    assert b"Delete the role Temp?" in confirm.content and b"cannot be undone" in confirm.content
    assert admin_client.post(url).status_code == 302
    assert "Temp" not in roles_of(company)


@pytest.mark.django_db
def test_deleting_a_held_role_is_refused(company: Company, admin_client: Client) -> None:
    role = actions.create_role(company.system, name="Held", permissions=["member.view"])
    assert company.member is not None
    actions.grant_role(company.system, company.member, role)
    response = admin_client.post(reverse("directory:role_delete", args=[role.pk]))
    assert response.status_code == 400
    assert b"the role is still granted; revoke its grants first" in response.content
    assert "Held" in roles_of(company)


@pytest.mark.django_db
def test_role_page_lists_holders_with_scope(company: Company, admin_client: Client) -> None:
    role = company.roles[BuiltinRole.DEPARTMENT_MANAGER]
    html = admin_client.get(reverse("directory:role", args=[role.pk])).content.decode()
    assert "Fiona Finance" in html and "Finance" in html
    assert "Gary General" not in html


@pytest.mark.django_db
def test_role_then_grant_then_revoke_story(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    admin_client.post(
        NEW_ROLE, {"name": "Payroll", "permissions": ["member.view_private"], "requires_scope": "on"}
    )
    role = Role.objects.for_tenant(company.tenant).get(name="Payroll")
    assert role.requires_scope
    accounts = company.departments["accounts"]
    granted = admin_client.post(
        reverse("directory:member_grant", args=[gary.pk]), {"role": str(role.pk), "scope": str(accounts.pk)}
    )
    assert granted.status_code == 302
    holders = admin_client.get(reverse("directory:role", args=[role.pk])).content.decode()
    assert "Gary General" in holders and "Accounts Payable" in holders
    grant = role.grants.get()
    assert admin_client.post(reverse("directory:grant_revoke", args=[grant.pk])).status_code == 302
    after = admin_client.get(reverse("directory:role", args=[role.pk])).content.decode()
    assert "Gary General" not in after.split('id="holders-title"')[1]


@pytest.mark.django_db
def test_managers_cannot_see_or_manage_roles(company: Company, as_member: Callable[[Member], Client]) -> None:
    assert company.manager is not None and company.member is not None
    assert as_member(company.manager).get(ROLES).status_code == 404
    general = as_member(company.member)
    assert general.get(ROLES).status_code == 200
    assert general.post(NEW_ROLE, {"name": "Mine", "permissions": ["tenant.update"]}).status_code == 404
    assert "Mine" not in roles_of(company)
