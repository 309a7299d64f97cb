"""The organisation chart: the tree with member counts, and creating, renaming, moving, reordering and
deleting departments."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory import actions
from harbour.directory.models import Department, Member
from tests.factories import Company

ORG = reverse("directory:org_chart")


def departments(company: Company) -> Department:
    return Department.objects.for_tenant(company.tenant)  # type: ignore[return-value]


def tree_names(html: str) -> list[str]:
    return re.findall(r'class="node-name" href="[^"]+">([^<]+)</a>', html)


@pytest.mark.django_db
def test_tree_shows_nesting_counts_and_links_to_members(company: Company, admin_client: Client) -> None:
    response = admin_client.get(ORG)
    html = response.content.decode()
    assert tree_names(html) == ["Finance", "Accounts Payable", "Human Resources"]
    assert "財務部" in html
    finance = company.departments["finance"]
    assert f'href="/members/?department={finance.pk}"' in html
    assert "2 members" in html  # Human Resources: Ada and Helen
    # Accounts Payable is nested inside Finance's list item
    finance_item = html[html.index(">Finance<") : html.index(">Human Resources<")]
    assert "Accounts Payable" in finance_item and "<ul>" in finance_item


@pytest.mark.django_db
def test_create_department(company: Company, admin_client: Client) -> None:
    finance = company.departments["finance"]
    response = admin_client.post(ORG, {"name": "Treasury", "name_zh": "庫務", "parent": str(finance.pk)})
    assert response.status_code == 302
    treasury = departments(company).get(name="Treasury")
    assert treasury.parent_id == finance.pk and treasury.name_zh == "庫務"
    assert "Treasury" in tree_names(admin_client.get(ORG).content.decode())


@pytest.mark.django_db
def test_create_department_with_a_taken_name_shows_the_error(company: Company, admin_client: Client) -> None:
    before = departments(company).count()
    response = admin_client.post(ORG, {"name": "finance", "parent": ""})
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert re.search(r'id_name".*?a department named \'finance\' already exists here', html, re.S)
    assert departments(company).count() == before


@pytest.mark.django_db
def test_rename_department(company: Company, admin_client: Client) -> None:
    hr = company.departments["hr"]
    url = reverse("directory:department_rename", args=[hr.pk])
    assert admin_client.post(url, {"name": "People", "name_zh": "人事部"}).status_code == 302
    hr.refresh_from_db()
    assert (hr.name, hr.name_zh) == ("People", "人事部")
    refused = admin_client.post(url, {"name": "Finance", "name_zh": ""})
    assert refused.status_code == 400
    assert b"already exists here" in refused.content
    hr.refresh_from_db()
    assert hr.name == "People"


@pytest.mark.django_db
def test_move_under_own_sub_department_is_refused_and_changes_nothing(
    company: Company, admin_client: Client
) -> None:
    finance, accounts = company.departments["finance"], company.departments["accounts"]
    response = admin_client.post(
        reverse("directory:department_move", args=[finance.pk]), {"parent": str(accounts.pk), "position": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id_parent".*?cannot be moved under itself or one of its sub-departments', html, re.S)
    finance.refresh_from_db()
    accounts.refresh_from_db()
    assert finance.parent_id is None and accounts.parent_id == finance.pk
    assert accounts.path.startswith(finance.path)


@pytest.mark.django_db
def test_move_department_under_another(company: Company, admin_client: Client) -> None:
    accounts, hr = company.departments["accounts"], company.departments["hr"]
    response = admin_client.post(
        reverse("directory:department_move", args=[accounts.pk]), {"parent": str(hr.pk), "position": "1"}
    )
    assert response.status_code == 302
    accounts.refresh_from_db()
    assert accounts.parent_id == hr.pk and accounts.path.startswith(hr.path)


@pytest.mark.django_db
def test_reorder_with_up_and_down_buttons(company: Company, admin_client: Client) -> None:
    html = admin_client.get(ORG).content.decode()
    hr = company.departments["hr"]
    move_hr = reverse("directory:department_move", args=[hr.pk])
    assert move_hr in html
    # Human Resources is second at the top level: "up" puts it first
    assert admin_client.post(move_hr, {"parent": "", "position": "1"}).status_code == 302
    assert tree_names(admin_client.get(ORG).content.decode()) == [
        "Human Resources",
        "Finance",
        "Accounts Payable",
    ]
    assert admin_client.post(move_hr, {"parent": "", "position": "2"}).status_code == 302
    assert tree_names(admin_client.get(ORG).content.decode()) == [
        "Finance",
        "Accounts Payable",
        "Human Resources",
    ]


@pytest.mark.django_db
def test_delete_asks_first_and_refuses_a_department_with_members(
    company: Company, admin_client: Client
) -> None:
    hr = company.departments["hr"]
    url = reverse("directory:department_delete", args=[hr.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert b"Delete the department Human Resources?" in confirm.content
    assert b"Only an empty department can be deleted" in confirm.content
    refused = admin_client.post(url)
    assert refused.status_code == 400
    assert b"the department still has members; move them first" in refused.content
    assert departments(company).filter(pk=hr.pk).exists()


@pytest.mark.django_db
def test_delete_refuses_a_department_with_sub_departments(company: Company, admin_client: Client) -> None:
    finance = company.departments["finance"]
    response = admin_client.post(reverse("directory:department_delete", args=[finance.pk]))
    assert response.status_code == 400
    assert b"still has sub-departments" in response.content
    assert departments(company).filter(pk=finance.pk).exists()


@pytest.mark.django_db
def test_delete_an_empty_department(company: Company, admin_client: Client) -> None:
    empty = actions.create_department(company.system, name="Legal")
    assert admin_client.post(reverse("directory:department_delete", args=[empty.pk])).status_code == 302
    assert not departments(company).filter(pk=empty.pk).exists()


@pytest.mark.django_db
def test_manager_manages_only_inside_their_subtree(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    fiona = company.manager
    assert fiona is not None
    client = as_member(fiona)
    html = client.get(ORG).content.decode()
    assert tree_names(html) == ["Finance", "Accounts Payable"]
    finance, accounts, hr = (company.departments[k] for k in ("finance", "accounts", "hr"))
    # may add inside Finance, never at the top level
    assert "— Top level —" not in html
    assert client.post(ORG, {"name": "Audit", "parent": str(finance.pk)}).status_code == 302
    assert client.post(ORG, {"name": "Sales", "parent": ""}).status_code == 400
    assert not departments(company).filter(name="Sales").exists()
    # Finance itself hangs off the top level, which Fiona does not manage: no reorder/delete for it
    assert reverse("directory:department_delete", args=[finance.pk]) not in html
    assert reverse("directory:department_delete", args=[accounts.pk]) in html
    assert client.get(reverse("directory:department", args=[hr.pk])).status_code == 404
    assert client.post(reverse("directory:department_rename", args=[hr.pk]), {"name": "X"}).status_code == 404
    hr.refresh_from_db()
    assert hr.name == "Human Resources"


@pytest.mark.django_db
def test_general_member_sees_the_tree_without_controls(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    client = as_member(company.member)
    html = client.get(ORG).content.decode()
    assert tree_names(html) == ["Finance", "Accounts Payable", "Human Resources"]
    assert "department_move" not in html and "/move/" not in html
    assert client.post(ORG, {"name": "Sneaky"}).status_code == 404
    assert not departments(company).filter(name="Sneaky").exists()
