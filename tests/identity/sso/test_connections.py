"""Administrators connect, change, switch off and remove identity providers, through the API and the
console; every change is audited with before and after, and the client secret never comes back out."""

from __future__ import annotations

import json

from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.sealing import unseal
from harbour.identity.models import SsoConnection
from tests.api.helpers import ApiClient
from tests.factories import Company, subscribe

ENTRA = {
    "name": "Contoso Entra ID",
    "protocol": "oidc",
    "preset": "entra",
    "directory_id": "3f2b8c1e-7d4a-4e8b-9c6f-5a1d2e3b4c5d",
    "client_id": "11111111-2222-3333-4444-555555555555",
    "client_secret": "very-secret-value",
}


def _events(company: Company, prefix: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_tenant(company.tenant).filter(kind__startswith=prefix).order_by("seq"))


def test_connect_entra_id_through_the_api(company: Company, admin_api: ApiClient) -> None:
    response = admin_api.post("/security/sso-connections", ENTRA)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["settings"]["issuer"] == f"https://login.microsoftonline.com/{ENTRA['directory_id']}/v2.0"
    assert (
        body["registration"]["redirect_uri"] == f"http://testserver/sso/oidc/{body['slug']}/login/callback/"
    )
    assert "very-secret-value" not in response.content.decode()
    connection = SsoConnection.objects.for_tenant(company.tenant).get(pk=body["id"])
    assert unseal(connection.social_app.secret) == "very-secret-value"  # sealed at rest
    assert connection.social_app.settings["server_url"].endswith("/v2.0")

    listed = admin_api.get("/security/sso-connections").json()
    assert [c["id"] for c in listed] == [body["id"]]

    rotated = admin_api.patch(
        f"/security/sso-connections/{body['id']}", {"client_secret": "rotated-secret", "just_in_time": True}
    )
    assert rotated.status_code == 200 and rotated.json()["just_in_time"] is True
    connection.social_app.refresh_from_db()
    assert unseal(connection.social_app.secret) == "rotated-secret"

    disabled = admin_api.patch(f"/security/sso-connections/{body['id']}", {"enabled": False})
    assert disabled.json()["enabled"] is False
    assert admin_api.delete(f"/security/sso-connections/{body['id']}").status_code == 204
    assert not SsoConnection.objects.for_tenant(company.tenant).exists()

    kinds = [e.kind for e in _events(company, "sso.")]
    assert kinds == [
        "sso.connection_created",
        "sso.connection_updated",
        "sso.connection_disabled",
        "sso.connection_deleted",
    ]
    log = json.dumps([[e.before, e.after, e.data] for e in _events(company, "sso.")])
    assert "secret-value" not in log and "rotated-secret" not in log
    updated = _events(company, "sso.connection_updated")[0]
    assert updated.before == {"just_in_time": False} and updated.after == {"just_in_time": True}
    assert updated.data["secret_changed"] is True


def test_bad_input_names_the_field_and_writes_nothing(company: Company, admin_api: ApiClient) -> None:
    cases = [
        ({**ENTRA, "directory_id": "contoso"}, "directory_id"),
        ({**ENTRA, "client_id": ""}, "client_id"),
        ({**ENTRA, "preset": "generic"}, "issuer"),
        ({**ENTRA, "preset": "generic", "issuer": "http://idp.example.com"}, "issuer"),
        (
            {
                "name": "SAML",
                "protocol": "saml",
                "entity_id": "urn:x",
                "sso_url": "https://idp.example.com/sso",
                "certificate": "not a certificate",
            },
            "certificate",
        ),
        ({"name": "Google SAML", "protocol": "saml", "preset": "google"}, "preset"),
        ({**ENTRA, "name": " "}, "name"),
    ]
    for payload, field in cases:
        response = admin_api.post("/security/sso-connections", payload)
        assert response.status_code == 422, (field, response.content)
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["field"] == field, response.json()
    assert not SsoConnection.objects.for_tenant(company.tenant).exists()
    from allauth.socialaccount.models import SocialApp

    assert not SocialApp.objects.exists()


def test_plans_without_single_sign_on_are_refused(company: Company, admin_api: ApiClient) -> None:
    subscribe(company.tenant, "basic")
    response = admin_api.post("/security/sso-connections", ENTRA)
    assert response.status_code == 403
    assert "Professional" in response.json()["detail"]


def test_console_connects_a_saml_provider_and_shows_what_to_register(company: Company, as_member) -> None:
    client: Client = as_member(company.admin)
    choose = client.get("/security/sso/new/")
    assert "Microsoft Entra ID (SAML 2.0)" in choose.content.decode()

    refused = client.post(
        "/security/sso/new/generic-saml/",
        {"name": "Acme IdP", "entity_id": "urn:acme", "sso_url": "https://idp.acme.com.hk/sso"},
    )
    assert refused.status_code == 400
    assert "certificate" in refused.content.decode()

    created = client.post(
        "/security/sso/new/generic-saml/",
        {"name": "Acme IdP", "metadata_url": "https://idp.acme.com.hk/metadata", "just_in_time": "on"},
    )
    assert created.status_code == 302, created.content.decode()[-2000:]
    connection = SsoConnection.objects.for_tenant(company.tenant).get()
    page = client.get(created["Location"]).content.decode()
    assert f"http://testserver/sso/saml/{connection.slug}/acs/" in page
    assert f"http://testserver/sso/saml/{connection.slug}/metadata/" in page

    edit = client.post(
        f"/security/sso/{connection.pk}/edit/",
        {"name": "Acme IdP (new)", "metadata_url": "https://idp.acme.com.hk/metadata2"},
    )
    assert edit.status_code == 302
    connection.refresh_from_db()
    assert connection.name == "Acme IdP (new)" and connection.just_in_time is False
    assert connection.settings_summary["metadata_url"].endswith("metadata2")

    assert client.post(f"/security/sso/{connection.pk}/disable/").status_code == 302
    connection.refresh_from_db()
    assert connection.enabled is False
    assert client.post(f"/security/sso/{connection.pk}/enable/").status_code == 302
    assert client.post(f"/security/sso/{connection.pk}/delete/").status_code == 302
    assert not SsoConnection.objects.for_tenant(company.tenant).exists()


def test_login_page_offers_single_sign_on(db) -> None:
    page = Client().get("/login/").content.decode()
    assert 'href="/login/sso/"' in page


def test_a_refused_patch_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    created = admin_api.post("/security/sso-connections", ENTRA).json()
    response = admin_api.patch(
        f"/security/sso-connections/{created['id']}",
        {"name": "Renamed", "enabled": False, "directory_id": "not-a-guid"},
    )
    assert response.status_code == 422 and response.json()["field"] == "directory_id"
    again = admin_api.get(f"/security/sso-connections/{created['id']}").json()
    assert (again["name"], again["enabled"]) == (ENTRA["name"], True)
    assert [e.kind for e in _events(company, "sso.")] == ["sso.connection_created"]


def test_other_companies_connections_are_not_found(
    company: Company, other_company: Company, admin_api: ApiClient, other_admin_api: ApiClient
) -> None:
    created = admin_api.post("/security/sso-connections", ENTRA).json()
    assert other_admin_api.get(f"/security/sso-connections/{created['id']}").status_code == 404
    assert other_admin_api.delete(f"/security/sso-connections/{created['id']}").status_code == 404
    assert other_admin_api.get("/security/sso-connections").json() == []


def test_each_connection_gets_its_own_stable_address(company: Company, admin_api: ApiClient) -> None:
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(provider="openid_connect", provider_id="acme-entra", name="left behind")
    first = admin_api.post("/security/sso-connections", ENTRA).json()
    second = admin_api.post("/security/sso-connections", {**ENTRA, "name": "Second"}).json()
    assert len({first["slug"], second["slug"], "acme-entra"}) == 3
    assert all(slug.startswith("acme-entra-") for slug in (first["slug"], second["slug"]))
    renamed = admin_api.patch(f"/security/sso-connections/{first['id']}", {"name": "Renamed"}).json()
    assert renamed["slug"] == first["slug"]
