"""The company profile: everyone with tenant.view reads it, tenant.update edits it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.core.models import Tenant
from harbour.directory.models import Member
from tests.factories import Company

COMPANY = reverse("directory:company")
EDIT = reverse("directory:company_edit")


def profile(**overrides: str) -> dict[str, str]:
    data = {
        "display_name": "Acme HK",
        "registered_name": "Acme Trading (Hong Kong) Limited",
        "br_number": "12345678",
        "registration_location": "HK",
        "data_storage_region": "hk",
        "contracting_entity": "Acme Holdings Ltd",
        "local_contact_address": "1 Queen's Road Central\nHong Kong",
        "email_domains": "acme.com.hk\nacme.hk",
        "locale": "zh-hant",
        "time_zone": "Asia/Hong_Kong",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_company_profile_page(company: Company, admin_client: Client) -> None:
    html = admin_client.get(COMPANY).content.decode()
    assert "Acme Trading Ltd" in html and "acme.com.hk" in html and "Asia/Hong_Kong" in html
    assert EDIT in html


@pytest.mark.django_db
def test_edit_company_profile(company: Company, admin_client: Client) -> None:
    form = admin_client.get(EDIT).content.decode()
    assert "acme.com.hk</textarea>" in form
    response = admin_client.post(EDIT, profile())
    assert response.status_code == 302
    tenant = Tenant.objects.get(pk=company.tenant.pk)
    assert tenant.display_name == "Acme HK"
    assert tenant.email_domains == ["acme.com.hk", "acme.hk"]
    assert tenant.br_number == "12345678" and tenant.locale == "zh-hant"
    assert "Acme Trading (Hong Kong) Limited" in admin_client.get(COMPANY).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"br_number": "123"}, "a Business Registration number has 8 digits"),
        ({"email_domains": "not a domain"}, "is not a domain name"),
        ({"display_name": ""}, "This field is required"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
    ],
)
def test_invalid_profile_shows_the_error_and_changes_nothing(
    company: Company, admin_client: Client, overrides: dict[str, str], message: str
) -> None:
    before = Tenant.objects.get(pk=company.tenant.pk).snapshot()
    response = admin_client.post(EDIT, profile(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Tenant.objects.get(pk=company.tenant.pk).snapshot() == before


@pytest.mark.django_db
def test_general_member_reads_but_cannot_edit(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    client = as_member(company.member)
    page = client.get(COMPANY)
    assert page.status_code == 200 and EDIT not in page.content.decode()
    assert client.post(EDIT, profile()).status_code == 404
    assert Tenant.objects.get(pk=company.tenant.pk).display_name == "Acme Trading Ltd"
