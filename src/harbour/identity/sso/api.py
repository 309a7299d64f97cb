"""REST API v1 of single sign-on connections (``/security/sso-connections``): list, connect, read, change
(including enable/disable) and remove. Each endpoint asks the gate for the connection and calls one action."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router, Status

from harbour.core.permissions import Actor
from harbour.identity.models import SsoConnection
from harbour.identity.sso import actions
from harbour.identity.sso.queries import connections_for, get_connection_for, registration_of, sign_in_counts
from harbour.identity.sso.schemas import ConnectionIn, ConnectionOut, ConnectionPatch

router = Router(tags=["single sign-on"])


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _out(request: HttpRequest, connection: SsoConnection, counts: dict[uuid.UUID, int]) -> ConnectionOut:
    registration = registration_of(connection, request.build_absolute_uri("/"))
    return ConnectionOut.of(connection, registration, counts.get(connection.pk, 0))


@router.get(
    "/security/sso-connections", response=list[ConnectionOut], summary="The company's SSO connections"
)
def list_connections(request: HttpRequest) -> list[ConnectionOut]:
    actor = _actor(request)
    rows = list(connections_for(actor))
    counts = sign_in_counts(actor.tenant_id)
    return [_out(request, row, counts) for row in rows]


@router.post(
    "/security/sso-connections",
    response={201: ConnectionOut},
    summary="Connect an identity provider (OpenID Connect or SAML 2.0)",
)
def create_connection(request: HttpRequest, body: ConnectionIn) -> Status[ConnectionOut]:
    actor = _actor(request)
    connection = actions.create_connection(
        actor,
        name=body.name,
        protocol=body.protocol,
        preset=body.preset,
        values=body.provider_values(),
        just_in_time=body.just_in_time,
        enabled=body.enabled,
    )
    return Status(201, _out(request, connection, {}))


@router.get("/security/sso-connections/{connection_id}", response=ConnectionOut, summary="One SSO connection")
def get_connection(request: HttpRequest, connection_id: uuid.UUID) -> ConnectionOut:
    actor = _actor(request)
    connection = get_connection_for(actor, connection_id)
    return _out(request, connection, sign_in_counts(actor.tenant_id))


@router.patch(
    "/security/sso-connections/{connection_id}",
    response=ConnectionOut,
    summary="Change an SSO connection: name, just-in-time creation, provider settings, enabled",
)
def update_connection(request: HttpRequest, connection_id: uuid.UUID, body: ConnectionPatch) -> ConnectionOut:
    actor = _actor(request)
    connection = get_connection_for(actor, connection_id)
    changes: dict[str, object] = {}
    if body.name is not None:
        changes["name"] = body.name
    if body.just_in_time is not None:
        changes["just_in_time"] = body.just_in_time
    values = body.provider_values()
    if values:
        changes["values"] = values
    if body.enabled is not None:
        changes["enabled"] = body.enabled
    if changes:
        connection = actions.update_connection(actor, connection, **changes)
    return _out(request, connection, sign_in_counts(actor.tenant_id))


@router.delete(
    "/security/sso-connections/{connection_id}",
    response={204: None},
    summary="Remove an SSO connection and the identities linked through it",
)
def delete_connection(request: HttpRequest, connection_id: uuid.UUID) -> Status[None]:
    actor = _actor(request)
    actions.delete_connection(actor, get_connection_for(actor, connection_id))
    return Status(204, None)
