"""API shapes of single sign-on connections. Secrets go in (``client_secret``) and never come out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.identity.models import SsoConnection
from harbour.identity.sso.queries import Registration


class ProviderInputs(Schema):
    """What the administrator types; which fields a connection needs depends on protocol and preset."""

    directory_id: str | None = Field(None, max_length=64, description="Entra ID: the directory (tenant) id")
    domain: str | None = Field(None, max_length=253, description="Google Workspace: the primary domain")
    issuer: str | None = Field(
        None, max_length=1000, description="OpenID Connect issuer (required for other providers)"
    )
    client_id: str | None = Field(None, max_length=190, description="OpenID Connect client id")
    client_secret: str | None = Field(
        None, max_length=190, description="OpenID Connect client secret (write only; omit to keep)"
    )
    metadata_url: str | None = Field(None, max_length=1000, description="SAML: the IdP's metadata URL")
    entity_id: str | None = Field(None, max_length=500, description="SAML: the IdP's entity id")
    sso_url: str | None = Field(None, max_length=1000, description="SAML: the IdP's single sign-on URL")
    certificate: str | None = Field(
        None, max_length=20000, description="SAML: the IdP's signing certificate (PEM or base64)"
    )

    def provider_values(self) -> dict[str, Any]:
        names = ProviderInputs.model_fields
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


class ConnectionIn(ProviderInputs):
    name: str = Field(max_length=80)
    protocol: str = Field(description="oidc or saml")
    preset: str = Field("generic", description="entra, google or generic")
    just_in_time: bool = Field(False, description="create unknown people of the verified domains at sign-in")
    enabled: bool = True


class ConnectionPatch(ProviderInputs):
    name: str | None = Field(None, max_length=80)
    just_in_time: bool | None = None
    enabled: bool | None = None


class RegistrationOut(Schema):
    """What to register at the identity provider."""

    redirect_uri: str = Field(description="OpenID Connect redirect URI")
    sp_entity_id: str = Field(description="SAML service provider entity id (identifier)")
    acs_url: str = Field(description="SAML assertion consumer service (reply URL)")
    sp_metadata_url: str
    sign_in_url: str = Field(description="Harbour's page that starts a sign-in through this connection")


class ConnectionOut(Schema):
    id: uuid.UUID
    name: str
    protocol: str
    preset: str
    slug: str
    enabled: bool
    just_in_time: bool
    settings: dict[str, Any] = Field(description="what was typed, without the secret")
    registration: RegistrationOut
    sign_ins: int = Field(description="sign-ins completed through this connection")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, connection: SsoConnection, registration: Registration, sign_ins: int) -> ConnectionOut:
        return cls(
            id=connection.pk,
            name=connection.name,
            protocol=connection.protocol,
            preset=connection.preset,
            slug=connection.slug,
            enabled=connection.enabled,
            just_in_time=connection.just_in_time,
            settings=dict(connection.settings_summary),
            registration=RegistrationOut(**registration.__dict__),
            sign_ins=sign_ins,
            created_at=connection.created_at,
            updated_at=connection.updated_at,
        )
