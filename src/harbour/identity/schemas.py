"""Request and response shapes of the identity API (v1): the caller themself and personal API tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.directory.schemas import MemberOut
from harbour.identity.models import ApiToken


class TenantRef(Schema):
    id: uuid.UUID
    slug: str
    display_name: str


class MyRoleOut(Schema):
    """A role the caller holds now (expired grants are left out)."""

    grant_id: uuid.UUID
    role_id: uuid.UUID
    role_name: str
    builtin: str
    scope_department_id: uuid.UUID | None
    scope_department_name: str | None
    expires_at: dt.datetime | None


class MeOut(MemberOut):
    tenant: TenantRef
    roles: list[MyRoleOut]


class MePatch(Schema):
    """Self-service profile changes; fields left out (or null) stay as they are."""

    name: str | None = None
    name_zh: str | None = None
    mobile: str | None = None


class TokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="the first characters of the token, to recognise it")
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    is_live: bool

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(**cls.fields_of(token))

    @classmethod
    def fields_of(cls, token: ApiToken) -> dict[str, Any]:
        return {
            "id": token.id,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "revoked_at": token.revoked_at,
            "last_used_at": token.last_used_at,
            "is_live": token.is_live,
        }


class TokenCreatedOut(TokenOut):
    token: str = Field(description="shown once: only a hash is stored")


class TokenIn(Schema):
    name: str
    days: int = Field(90, description="how long the token works")


class TokenPage(Schema):
    items: list[TokenOut]
    next_cursor: str | None
