"""Signing in through a SAML 2.0 identity provider: the signed assertion posted to Harbour's ACS."""

from __future__ import annotations

from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.identity.models import LoginMethod, LoginSession
from tests.factories import Company
from tests.identity.sso.helpers import (
    IDP_PASSWORD,
    messages_of,
    provider_url,
    saml_connection,
    sso_round_trip,
    start_sso,
    verify_domain,
)


def test_member_signs_in_with_a_signed_assertion(company: Company, saml_idp) -> None:
    verify_domain(company, "acme.com.hk")
    connection = saml_connection(company, saml_idp)
    member = company.outsider
    saml_idp.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, start_sso(client, member.email), member.email)

    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]
    assert member.name in client.get("/").content.decode()
    session = LoginSession.objects.get(account=member.account)
    assert (session.method, session.sso_connection) == (LoginMethod.SSO, connection.pk)


def test_idp_given_by_entity_id_sso_url_and_certificate(company: Company, saml_idp) -> None:
    verify_domain(company, "acme.com.hk")
    connection = saml_connection(company, saml_idp, metadata=False)
    assert connection.settings_summary["certificate_sha256"].count(":") == 31
    member = company.manager
    saml_idp.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, client.post(f"/login/sso/{connection.slug}/"), member.email)

    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]


def test_sp_metadata_names_the_acs(company: Company, saml_idp) -> None:
    connection = saml_connection(company, saml_idp)
    response = Client().get(f"/sso/saml/{connection.slug}/metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"http://testserver/sso/saml/{connection.slug}/acs/" in xml
    assert f'entityID="http://testserver/sso/saml/{connection.slug}/metadata/"' in xml


def test_tampered_assertion_signs_nobody_in(company: Company, saml_idp) -> None:
    import base64

    import httpx

    from tests.idp.fixtures import sign_in_at_idp

    verify_domain(company, "acme.com.hk")
    connection = saml_connection(company, saml_idp)
    member = company.member
    saml_idp.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    start = start_sso(client, member.email)
    with httpx.Client(trust_env=False, timeout=15) as browser:
        back = sign_in_at_idp(browser, provider_url(start), member.email, IDP_PASSWORD)
    xml = base64.b64decode(back.data["SAMLResponse"]).decode()
    forged = xml.replace(member.email, company.admin.email)
    data = {**back.data, "SAMLResponse": base64.b64encode(forged.encode()).decode()}
    acs = client.post(back.path, data, HTTP_HOST=back.host)
    response = client.get(acs["Location"])

    page = messages_of(client, response)
    assert "could not be accepted" in page
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.for_tenant(company.tenant).filter(kind="login.failed").get()
    assert failed.data["reason"].startswith("provider_")
    assert failed.data["connection"] == connection.slug


def test_entra_saml_preset_against_the_test_idp(company: Company, saml_idp) -> None:
    from harbour.identity.sso import actions
    from harbour.identity.sso.queries import registration_of
    from tests.idp.fixtures import TENANT_ID

    verify_domain(company, "acme.com.hk")
    connection = actions.create_connection(
        company.admin,
        name="Entra SAML",
        protocol="saml",
        preset="entra",
        values={
            "directory_id": TENANT_ID,
            "metadata_url": saml_idp.metadata_url,
            "entity_id": saml_idp.entity_id,
        },
    )
    mapping = connection.social_app.settings["attribute_mapping"]
    assert mapping["uid"][0] == "http://schemas.microsoft.com/identity/claims/objectidentifier"
    registration = registration_of(connection, "http://testserver/")
    saml_idp.trust_sp(registration.sp_entity_id, registration.acs_url)
    member = company.admin
    saml_idp.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, client.post(f"/login/sso/{connection.slug}/"), member.email)

    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]


def test_entra_saml_entity_id_follows_the_directory() -> None:
    from harbour.identity.sso.presets import provider_setup
    from tests.idp.fixtures import TENANT_ID

    setup = provider_setup(
        "saml",
        "entra",
        "acme-entra",
        {
            "directory_id": TENANT_ID,
            "metadata_url": "https://login.microsoftonline.com/x/federationmetadata.xml",
        },
        creating=True,
    )
    assert setup.settings["idp"]["entity_id"] == f"https://sts.windows.net/{TENANT_ID}/"
    assert setup.client_id == "acme-entra"


def test_single_logout_without_a_request_is_refused(company: Company, saml_idp) -> None:
    connection = saml_connection(company, saml_idp)
    response = Client().get(f"/sso/saml/{connection.slug}/sls/")
    assert response.status_code == 400


def test_a_replayed_assertion_signs_nobody_in(company: Company, saml_idp) -> None:
    import httpx

    from tests.idp.fixtures import sign_in_at_idp

    verify_domain(company, "acme.com.hk")
    saml_connection(company, saml_idp)
    member = company.member
    saml_idp.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    start = start_sso(client, member.email)
    with httpx.Client(trust_env=False, timeout=15) as browser:
        back = sign_in_at_idp(browser, provider_url(start), member.email, IDP_PASSWORD)
    first = back.send(client)
    assert client.get(first["Location"])["Location"] == "/"

    for replayer in (client, Client()):  # the same browser again, and another one
        acs = back.send(replayer)
        response = replayer.get(acs["Location"])
        assert "not started in this browser" in messages_of(replayer, response)
    assert LoginSession.objects.filter(account=member.account).count() == 1
