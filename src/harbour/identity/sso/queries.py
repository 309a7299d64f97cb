"""Reads of single sign-on: a company's connections (gated), a connection named by a callback, the
connections an address may sign in with, and whether a connection has ever signed somebody in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.identity.models import LoginMethod, LoginSession, SsoConnection, SsoProtocol
from harbour.security.admission import domain_of
from harbour.security.models import TenantDomain

VIEW = "security.view"
MANAGE = "security.manage"


def connections_of(tenant_id: uuid.UUID) -> QuerySet[SsoConnection]:
    """The company's connections, read from the registry (where they live whatever database holds the
    company's own rows: ``for_tenant`` alone would look in the company's database)."""
    return SsoConnection.objects.using(DEFAULT_DB_ALIAS).for_tenant(tenant_id).select_related("social_app")


def connections_for(actor: Actor) -> QuerySet[SsoConnection]:
    require_permission(actor, VIEW, Tenant.objects.get(pk=actor.tenant_id))
    return connections_of(actor.tenant_id)


def get_connection_for(actor: Actor, connection_id: uuid.UUID | str) -> SsoConnection:
    """The company's connection; another company's, a malformed id and a missing one are all "not found"."""
    try:
        return connections_for(actor).get(pk=connection_id)
    except (SsoConnection.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such single sign-on connection"), field="connection_id") from None


def connection_by_slug(slug: str) -> SsoConnection | None:
    """The connection a protocol URL names (``/sso/oidc/<slug>/…``): the company is not known before it."""
    return (
        SsoConnection.objects.across_tenants()
        .select_related("social_app", "tenant")
        .filter(slug=slug)
        .first()
    )


def connections_for_address(typed: str) -> list[SsoConnection]:
    """The enabled connections a person may use, from their work email (the company owning its verified
    domain) or a company's short name."""
    typed = typed.strip().lower()
    if "@" in typed:
        owners = TenantDomain.objects.across_tenants().filter(
            name=domain_of(typed), verified_at__isnull=False
        )
        tenant_ids = list(owners.values_list("tenant_id", flat=True))
    else:
        tenant_ids = list(Tenant.objects.filter(slug=typed).values_list("pk", flat=True))
    if not tenant_ids:
        return []
    return list(
        SsoConnection.objects.across_tenants()
        .select_related("social_app", "tenant")
        .filter(tenant_id__in=tenant_ids, enabled=True)
        .order_by("name")
    )


def proven_connections(tenant_id: uuid.UUID, connection_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these connections, the ones through which somebody has completed a sign-in into the company."""
    ids = list(connection_ids)
    if not ids:
        return set()
    found = LoginSession.objects.filter(
        tenant_id=tenant_id, method=LoginMethod.SSO, sso_connection__in=ids
    ).values_list("sso_connection", flat=True)
    return {pk for pk in found.distinct() if pk is not None}


def sign_in_counts(tenant_id: uuid.UUID) -> dict[uuid.UUID, int]:
    from django.db.models import Count

    rows = (
        LoginSession.objects.filter(tenant_id=tenant_id, method=LoginMethod.SSO, sso_connection__isnull=False)
        .values("sso_connection")
        .annotate(n=Count("id"))
    )
    return {row["sso_connection"]: row["n"] for row in rows if row["sso_connection"] is not None}


@dataclass(frozen=True)
class Registration:
    """What the administrator registers at the identity provider for this connection."""

    redirect_uri: str = ""  # OpenID Connect
    sp_entity_id: str = ""  # SAML
    acs_url: str = ""
    sp_metadata_url: str = ""
    sign_in_url: str = ""  # Harbour's page that starts a sign-in with this connection


def registration_of(connection: SsoConnection, base_url: str) -> Registration:
    """``base_url``: the scheme and host people reach Harbour at (the callback is built the same way)."""
    base = base_url.rstrip("/")
    start = base + reverse("sso:start", args=[connection.slug])
    if connection.protocol == SsoProtocol.OIDC:
        callback = reverse("openid_connect_callback", kwargs={"provider_id": connection.slug})
        return Registration(redirect_uri=base + callback, sign_in_url=start)
    metadata = base + reverse("saml_metadata", args=[connection.slug])
    return Registration(
        sp_entity_id=metadata,
        acs_url=base + reverse("saml_acs", args=[connection.slug]),
        sp_metadata_url=metadata,
        sign_in_url=start,
    )
