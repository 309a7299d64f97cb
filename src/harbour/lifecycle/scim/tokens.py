"""SCIM bearer tokens: minted by an administrator (shown once, only a SHA-256 digest kept), revoked at once,
and the one way a ``/scim/v2`` request finds its company.

A token lives in the registry (``ScimToken.lives_with_tenant = False``): the request names the company only
through it. A revoked or unknown token is refused the same way, so a caller learns nothing from the answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import remember, tenant_atomic
from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now
from harbour.directory.validation import clean_text
from harbour.lifecycle.models import ScimToken
from harbour.lifecycle.scim import audit_kinds  # noqa: F401  (registers the kinds this module writes)

TOKEN_PREFIX = "hscim_"  # noqa: S105 - a public marker, not a secret
DEFAULT_NAME = "SCIM"
TOUCH_EVERY = dt.timedelta(minutes=1)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scim_base_url() -> str:
    """The address an identity provider is given as the SCIM endpoint ("Tenant URL" in Entra ID)."""
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}/scim/v2"


def _company(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "lifecycle.manage", tenant)
    return tenant


@tenant_atomic
def mint_scim_token(actor: Actor, *, name: str = DEFAULT_NAME) -> tuple[ScimToken, str]:
    """A new token for the actor's company. Answers the row and the token text, which is never stored."""
    tenant = _company(actor)
    name = clean_text(name, field="name", max_length=100, required=True)
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        tenant_id=tenant.pk,
        name=name,
        digest=_digest(text),
        prefix=text[:12],
        created_by=actor.actor_label[:200],
    )
    record(actor, "scim.token_created", target=token, after=token.snapshot())
    return token, text


@tenant_atomic
def revoke_scim_token(actor: Actor, token: ScimToken) -> ScimToken:
    """The token stops working at the next request; revoking twice changes nothing."""
    _company(actor)
    if token.tenant_id != actor.tenant_id:
        raise NotFound(_("no such token"), field="token_id")
    if token.revoked_at is None:
        before = token.snapshot()
        token.revoked_at = now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record(actor, "scim.token_revoked", target=token, before=before, after=token.snapshot())
    return token


def scim_tokens_of(actor: Actor) -> QuerySet[ScimToken]:
    require_permission(actor, "lifecycle.view", Tenant.objects.get(pk=actor.tenant_id))
    return ScimToken.objects.for_tenant(actor.tenant_id).order_by("-created_at")


def get_scim_token_for(actor: Actor, token_id: uuid.UUID | str) -> ScimToken:
    try:
        return scim_tokens_of(actor).get(pk=token_id)
    except (ScimToken.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such token"), field="token_id") from None


@dataclass(frozen=True)
class Caller:
    """Who is calling ``/scim/v2``: the company (from the token) and the system actor its writes use."""

    token: ScimToken
    actor: SystemActor

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.token.tenant_id


def caller_for(authorization: str) -> Caller | None:
    """The live token an ``Authorization: Bearer …`` header carries, or None. Marks it used (at most once a
    minute, so a burst of provisioning writes the registry row once)."""
    scheme, _space, text = (authorization or "").strip().partition(" ")
    text = text.strip()
    if scheme.lower() != "bearer" or not text.startswith(TOKEN_PREFIX):
        return None
    token = (
        ScimToken.objects.across_tenants()
        .select_related("tenant")
        .filter(digest=_digest(text), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    remember(token.tenant)  # where the company's data lives, without another lookup
    at = now()
    if token.last_used_at is None or at - token.last_used_at > TOUCH_EVERY:
        ScimToken.objects.for_tenant(token.tenant_id).filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
    return Caller(token, SystemActor(token.tenant_id, f"SCIM ({token.name})"))
