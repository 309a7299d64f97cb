"""Platform operators: list the companies they run, create one, and switch into it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harbour.core.models import Account, Tenant
from harbour.directory.models import BuiltinRole, Member, MemberState, RoleGrant
from tests.factories import PASSWORD, Company

COMPANIES = reverse("directory:tenants")


@pytest.fixture
def operator(db: None) -> Account:
    return Account.objects.create_user(
        "ops@reseller.hk", PASSWORD, is_operator=True, display_name="Olive Ops"
    )


def new_company(**overrides: str) -> dict[str, str]:
    data = {
        "slug": "kowloon-tea",
        "display_name": "Kowloon Tea House",
        "registered_name": "",
        "br_number": "",
        "registration_location": "HK",
        "data_storage_region": "hk",
        "contracting_entity": "",
        "local_contact_address": "",
        "email_domains": "kowloontea.hk",
        "locale": "en",
        "time_zone": "Asia/Hong_Kong",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_operator_without_company_lands_on_companies(operator: Account) -> None:
    client = Client()
    client.force_login(operator)
    assert client.get(reverse("console:dashboard"))["Location"] == COMPANIES
    page = client.get(COMPANIES)
    assert page.status_code == 200
    assert b"You do not operate any company yet." in page.content


@pytest.mark.django_db
def test_operator_creates_a_company_and_becomes_its_administrator(operator: Account) -> None:
    client = Client()
    client.force_login(operator)
    response = client.post(COMPANIES, new_company())
    assert response.status_code == 302
    tenant = Tenant.objects.get(slug="kowloon-tea")
    assert tenant.operator == operator and tenant.email_domains == ["kowloontea.hk"]
    member = Member.objects.for_tenant(tenant).get(account=operator)
    assert member.state == MemberState.ACTIVE
    assert RoleGrant.objects.for_tenant(tenant).get(member=member).role.builtin == BuiltinRole.ADMINISTRATOR
    listing = client.get(response["Location"]).content.decode()
    assert "Kowloon Tea House" in listing and 'class="highlight"' in listing
    assert "Working here" in listing  # the first company becomes the current one
    assert client.get(reverse("directory:company")).status_code == 200


@pytest.mark.django_db
def test_operator_switches_into_a_newly_created_company(operator: Account) -> None:
    client = Client()
    client.force_login(operator)
    client.post(COMPANIES, new_company())
    client.get(COMPANIES)  # now working in Kowloon Tea House
    response = client.post(
        COMPANIES, new_company(slug="lantau-ferries", display_name="Lantau Ferries", email_domains="")
    )
    assert response.status_code == 302
    ferries = Tenant.objects.get(slug="lantau-ferries")
    listing = client.get(response["Location"]).content.decode()
    switch_form = f'<input type="hidden" name="tenant_id" value="{ferries.pk}">'
    assert reverse("identity:switch") in listing and switch_form in listing

    switched = client.post(reverse("identity:switch"), {"tenant_id": str(ferries.pk)})
    assert switched.status_code == 302
    dashboard = client.get(switched["Location"])
    assert dashboard.status_code == 200
    assert b"<h1>Lantau Ferries</h1>" in dashboard.content


@pytest.mark.django_db
def test_invalid_company_shows_the_error_and_creates_nothing(operator: Account, company: Company) -> None:
    client = Client()
    client.force_login(operator)
    taken = client.post(COMPANIES, new_company(slug="acme"))
    assert taken.status_code == 400 and b"is taken" in taken.content
    bad = client.post(COMPANIES, new_company(slug="Not A Slug!"))
    assert bad.status_code == 400 and b"lowercase letters, digits and hyphens" in bad.content
    assert not Tenant.objects.filter(operator=operator).exists()


@pytest.mark.django_db
def test_operator_lists_only_companies_they_operate(operator: Account, company: Company) -> None:
    client = Client()
    client.force_login(operator)
    client.post(COMPANIES, new_company())
    html = client.get(COMPANIES).content.decode()
    assert "Kowloon Tea House" in html and "Acme Trading Ltd" not in html


@pytest.mark.django_db
def test_non_operators_get_404(company: Company, admin_client: Client) -> None:
    assert admin_client.get(COMPANIES).status_code == 404
    assert admin_client.post(COMPANIES, new_company()).status_code == 404
    assert not Tenant.objects.filter(slug="kowloon-tea").exists()
    assert Client().get(COMPANIES).status_code == 302
