"""Signing in through an OpenID Connect provider: the real redirect flow against the test provider."""

from __future__ import annotations

from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.identity.models import LoginMethod, LoginSession
from tests.factories import Company
from tests.identity.sso.helpers import (
    IDP_PASSWORD,
    messages_of,
    oidc_connection,
    sso_round_trip,
    start_sso,
    verify_domain,
)


def test_member_signs_in_through_the_company_provider(company: Company, oidc_provider) -> None:
    verify_domain(company, "acme.com.hk")
    connection = oidc_connection(company, oidc_provider)
    member = company.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, start_sso(client, member.email), member.email)

    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]
    page = client.get("/")
    assert page.status_code == 200
    assert member.name in page.content.decode()
    session = LoginSession.objects.get(account=member.account)
    assert (session.method, session.tenant_id, session.sso_connection) == (
        LoginMethod.SSO,
        company.tenant.id,
        connection.pk,
    )
    kinds = list(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))
    assert "login.succeeded" in kinds


def test_unknown_person_is_refused(company: Company, oidc_provider) -> None:
    verify_domain(company, "acme.com.hk")
    oidc_connection(company, oidc_provider)
    email = "stranger-1@acme.com.hk"
    oidc_provider.add_user(email, IDP_PASSWORD, "Stranger")
    client = Client()

    response = sso_round_trip(client, start_sso(client, email), email)

    page = messages_of(client, response)
    assert "there is no work account for" in page
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.for_tenant(company.tenant).filter(kind="login.failed").get()
    assert failed.data["reason"] == "unknown_person"


def test_a_replayed_callback_signs_nobody_in(company: Company, oidc_provider) -> None:
    import httpx

    from tests.identity.sso.helpers import provider_url
    from tests.idp.fixtures import sign_in_at_idp

    verify_domain(company, "acme.com.hk")
    oidc_connection(company, oidc_provider)
    member = company.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    start = start_sso(client, member.email)
    with httpx.Client(trust_env=False, timeout=15) as browser:
        back = sign_in_at_idp(browser, provider_url(start), member.email, IDP_PASSWORD)
    assert back.send(client)["Location"] == "/"

    for replayer in (client, Client()):  # the code and state again: in the same browser, in another
        response = back.send(replayer)
        assert response.status_code == 302 and response["Location"] == "/login/", response
    assert LoginSession.objects.filter(account=member.account).count() == 1
