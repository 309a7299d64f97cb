"""REST API v1 of identity: who the caller is (``/me``) and their personal API tokens."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from harbour.core.errors import NotFound
from harbour.directory import actions
from harbour.directory.models import Member
from harbour.directory.queries import active_grants
from harbour.directory.schemas import MemberOut
from harbour.identity.schemas import (
    MeOut,
    MePatch,
    MyRoleOut,
    TenantRef,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    TokenPage,
)
from harbour.identity.tokens import create_api_token, revoke_api_token, tokens_of

router = Router(tags=["identity"])


def _actor(request: HttpRequest) -> Member:
    """The acting member, set by the API authentication (token or console session)."""
    return request.actor  # type: ignore[attr-defined]


def _me(actor: Member) -> MeOut:
    tenant = actor.tenant
    roles = [
        MyRoleOut(
            grant_id=g.id,
            role_id=g.role_id,
            role_name=g.role.name,
            builtin=g.role.builtin,
            scope_department_id=g.scope_id,
            scope_department_name=g.scope.name if g.scope is not None else None,
            expires_at=g.expires_at,
        )
        for g in active_grants(actor).order_by("created_at")
    ]
    return MeOut(
        **MemberOut.fields_for(actor, actor),
        tenant=TenantRef(id=tenant.id, slug=tenant.slug, display_name=tenant.display_name),
        roles=roles,
    )


@router.get("/me", response=MeOut, summary="The caller's own work account and current roles")
def get_me(request: HttpRequest) -> MeOut:
    return _me(_actor(request))


@router.patch("/me", response=MeOut, summary="Edit one's own names and mobile number")
def update_me(request: HttpRequest, body: MePatch) -> MeOut:
    actor = _actor(request)
    actions.update_own_profile(actor, actor, name=body.name, name_zh=body.name_zh, mobile=body.mobile)
    return _me(actor)


@router.get("/tokens", response=TokenPage, summary="The caller's personal API tokens, newest first")
def list_tokens(request: HttpRequest) -> TokenPage:
    return TokenPage(items=[TokenOut.of(t) for t in tokens_of(_actor(request))], next_cursor=None)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a personal API token (shown once)")
def create_token(request: HttpRequest, body: TokenIn) -> TokenCreatedOut:
    actor = _actor(request)
    token, text = create_api_token(actor, actor, name=body.name, days=body.days)
    return TokenCreatedOut(**TokenOut.fields_of(token), token=text)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of the caller's tokens")
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    actor = _actor(request)
    token = next((t for t in tokens_of(actor) if t.pk == token_id), None)  # one's own tokens are the gate
    if token is None:
        raise NotFound(_("no such token"), field="token_id")
    revoke_api_token(actor, token)
    return Status(204, None)
