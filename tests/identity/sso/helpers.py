"""Single sign-on test helpers: verified domains, connections to the test providers, and the whole browser
round trip (Harbour → provider's sign-in form → back to Harbour's callback or ACS)."""

from __future__ import annotations

import html
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.test import Client

from harbour.core.time import now
from harbour.identity.models import SsoConnection
from harbour.identity.sso import actions
from harbour.identity.sso.queries import registration_of
from harbour.security.models import TenantDomain
from tests.factories import Company
from tests.idp.fixtures import OidcProvider, SamlIdp, sign_in_at_idp

BASE = "http://testserver/"
IDP_PASSWORD = "idp-password"


def verify_domain(company: Company, name: str) -> None:
    """The company owns ``name`` (verified; the test companies' own domains may be already)."""
    domains = TenantDomain.objects.for_tenant(company.tenant)
    if not domains.filter(name=name, verified_at__isnull=False).exists():
        domains.update_or_create(
            tenant=company.tenant,
            name=name,
            defaults={"verified_at": now(), "method": "override", "override_reason": "tests"},
        )


def unique_email(prefix: str, domain: str = "acme.com.hk") -> str:
    return f"{prefix}-{secrets.token_hex(3)}@{domain}"


def oidc_connection(
    company: Company, provider: OidcProvider, *, preset: str = "generic", **options: Any
) -> SsoConnection:
    values: dict[str, Any] = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
    }
    values.update(options.pop("values", {}))
    connection = actions.create_connection(
        company.admin, name="Acme sign-in", protocol="oidc", preset=preset, values=values, **options
    )
    provider.allow_redirect(registration_of(connection, BASE).redirect_uri)
    return connection


def saml_connection(
    company: Company, idp: SamlIdp, *, metadata: bool = True, **options: Any
) -> SsoConnection:
    values: dict[str, Any] = (
        {"metadata_url": idp.metadata_url, "entity_id": idp.entity_id}
        if metadata
        else {"entity_id": idp.entity_id, "sso_url": idp.sso_url, "certificate": idp.certificate_pem}
    )
    connection = actions.create_connection(
        company.admin, name="Acme SAML", protocol="saml", preset="generic", values=values, **options
    )
    registration = registration_of(connection, BASE)
    idp.trust_sp(registration.sp_entity_id, registration.acs_url)
    return connection


def provider_url(start: Any) -> str:
    """Where Harbour's page sends the browser on to the provider (its refresh and its link)."""
    assert start.status_code == 200, start.content.decode()[-1500:]
    page = start.content.decode()
    found = re.search(r'id="continue-to-provider"[^>]*href="([^"]+)"', page)
    assert found, page[-1500:]
    url = html.unescape(found.group(1))
    assert f'content="0;url={found.group(1)}"' in page
    return url


def sso_round_trip(client: Client, start: Any, email: str, password: str = IDP_PASSWORD) -> Any:
    """From Harbour's page that continues to the provider (``start``: a response), through the provider's
    sign-in form, back to Harbour; answers Harbour's response to the callback (or, for SAML, to the ACS's
    finish step)."""
    location = provider_url(start)
    assert urlsplit(location).netloc != "testserver", location
    with httpx.Client(trust_env=False, timeout=15) as browser:
        back = sign_in_at_idp(browser, location, email, password)
    response = back.send(client)
    if back.method == "POST":  # SAML: the ACS keeps the response and continues at acs/finish/
        assert response.status_code == 302, response.content[:500]
        response = client.get(response["Location"])
    return response


def start_sso(client: Client, typed: str, **extra: Any) -> Any:
    return client.post("/login/sso/", {"email": typed, **extra})


def messages_of(client: Client, response: Any) -> str:
    """The page the refusal lands on (Harbour's login page) with its messages."""
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/login/", response["Location"]
    return client.get(response["Location"]).content.decode()
