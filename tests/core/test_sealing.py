"""Secrets sealed at rest: authenticator seeds and identity providers' client secrets are not readable from
the database, open again in the application, and survive a rotation of the secret key."""

from __future__ import annotations

import pyotp
import pytest
from django.db import connection

from harbour.core.sealing import CannotUnseal, is_sealed, seal, unseal
from harbour.core.time import now
from harbour.identity.models import TotpAuthenticator
from tests.factories import Company


def test_seal_and_unseal(settings) -> None:  # type: ignore[no-untyped-def]
    sealed = seal("JBSWY3DPEHPK3PXPJBSWY3DP")
    assert is_sealed(sealed) and "JBSWY3DP" not in sealed and seal(sealed) == sealed
    assert unseal(sealed) == "JBSWY3DPEHPK3PXPJBSWY3DP"
    assert unseal("plain-from-before") == "plain-from-before"
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-this-server-0123456789"
    with pytest.raises(CannotUnseal):
        unseal(sealed)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert unseal(sealed) == "JBSWY3DPEHPK3PXPJBSWY3DP"


def test_an_authenticator_seed_is_sealed_in_the_database(company: Company) -> None:
    secret = pyotp.random_base32()
    row = TotpAuthenticator.objects.create(account=company.admin.account, secret=secret, confirmed_at=now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM identity_totpauthenticator WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert is_sealed(stored) and secret not in stored
    assert TotpAuthenticator.objects.get(pk=row.pk).secret == secret


def test_an_identity_providers_client_secret_is_sealed(company: Company) -> None:
    from allauth.socialaccount.models import SocialApp

    from harbour.identity.sso.actions import create_connection
    from harbour.identity.sso.adapter import SocialAccountAdapter

    connection_ = create_connection(
        company.system,
        name="Entra ID",
        protocol="oidc",
        values={
            "issuer": "https://idp.example.com",
            "client_id": "harbour",
            "client_secret": "very-secret-value",
        },
    )
    stored = SocialApp.objects.get(pk=connection_.social_app_id).secret
    assert is_sealed(stored) and "very-secret-value" not in stored
    apps = SocialAccountAdapter().list_apps(None, provider=connection_.slug)
    assert [app.secret for app in apps] == ["very-secret-value"]
