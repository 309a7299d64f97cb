"""Every directory page: the administrator sees it, anyone without the permission gets a 404, and a
visitor who is not signed in is sent to the login page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory.models import BuiltinRole, Member
from tests.factories import Company


def _pages(company: Company) -> dict[str, str]:
    finance = company.departments["finance"]
    member = company.member
    assert member is not None
    admin_role = company.roles[BuiltinRole.ADMINISTRATOR]
    return {
        "dashboard": reverse("console:dashboard"),
        "org_chart": reverse("directory:org_chart"),
        "department": reverse("directory:department", args=[finance.pk]),
        "department_delete": reverse("directory:department_delete", args=[finance.pk]),
        "members": reverse("directory:members"),
        "member_invite": reverse("directory:member_invite"),
        "member": reverse("directory:member", args=[member.pk]),
        "member_edit": reverse("directory:member_edit", args=[member.pk]),
        "member_suspend": reverse("directory:member_suspend", args=[member.pk]),
        "member_deactivate": reverse("directory:member_deactivate", args=[member.pk]),
        "roles": reverse("directory:roles"),
        "role": reverse("directory:role", args=[admin_role.pk]),
        "role_create": reverse("directory:role_create"),
        "role_edit": reverse("directory:role_edit", args=[admin_role.pk]),
        "company": reverse("directory:company"),
        "company_edit": reverse("directory:company_edit"),
    }


@pytest.mark.django_db
def test_administrator_sees_every_page(company: Company, admin_client: Client) -> None:
    for name, url in _pages(company).items():
        response = admin_client.get(url)
        assert response.status_code == 200, name
        assert b"<script>" not in response.content  # CSP: only <script src=...> from our own static files
        assert b" style=" not in response.content, name


@pytest.mark.django_db
def test_member_without_roles_gets_404_on_directory_pages(
    company: Company, nobody: Member, as_member: Callable[[Member], Client]
) -> None:
    client = as_member(nobody)
    for name, url in _pages(company).items():
        expected = 200 if name == "dashboard" else 404
        assert client.get(url).status_code == expected, name
    own_page = client.get(reverse("directory:member", args=[nobody.pk]))  # everyone may see themselves
    assert own_page.status_code == 200
    assert b"Edit" not in own_page.content.split(b'id="main"')[1]


@pytest.mark.django_db
def test_general_member_reads_but_cannot_manage(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    client = as_member(company.member)
    pages = _pages(company)
    for name in ("org_chart", "members", "member", "roles", "role", "company"):
        assert client.get(pages[name]).status_code == 200, name
    for name in (
        "department",
        "department_delete",
        "member_invite",
        "member_edit",
        "member_suspend",
        "member_deactivate",
        "role_create",
        "role_edit",
        "company_edit",
    ):
        assert client.get(pages[name]).status_code == 404, name


@pytest.mark.django_db
def test_general_member_sees_no_management_buttons(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None and company.outsider is not None
    client = as_member(company.member)
    members_page = client.get(reverse("directory:members")).content.decode()
    assert reverse("directory:member_invite") not in members_page
    org = client.get(reverse("directory:org_chart")).content.decode()
    assert "New department" not in org and "Rename / move" not in org
    other = client.get(reverse("directory:member", args=[company.outsider.pk])).content.decode()
    for hidden in ("Edit", "Suspend", "Deactivate", "Grant a role", company.outsider.state):
        assert hidden not in other.split('id="main"')[1].replace("Edit profile", ""), hidden
    roles = client.get(reverse("directory:roles")).content.decode()
    assert reverse("directory:role_create") not in roles


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(company: Company) -> None:
    client = Client()
    for name, url in _pages(company).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("identity:login")), name


@pytest.mark.django_db
def test_objects_of_another_company_are_404(
    company: Company, other_company: Company, admin_client: Client
) -> None:
    assert other_company.member is not None
    foreign = {
        "member": reverse("directory:member", args=[other_company.member.pk]),
        "member_edit": reverse("directory:member_edit", args=[other_company.member.pk]),
        "department": reverse("directory:department", args=[other_company.departments["finance"].pk]),
        "role": reverse("directory:role", args=[other_company.roles[BuiltinRole.ADMINISTRATOR].pk]),
    }
    for name, url in foreign.items():
        assert admin_client.get(url).status_code == 404, name
    response = admin_client.post(reverse("directory:member_suspend", args=[other_company.member.pk]))
    assert response.status_code == 404
    other_company.member.refresh_from_db()
    assert other_company.member.state == "active"


@pytest.mark.django_db
def test_404_page_uses_the_console_layout(admin_client: Client) -> None:
    response = admin_client.get("/members/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert b"This page does not exist, or you do not have access to it." in response.content
