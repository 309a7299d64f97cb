"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from harbour.audit.actions import record
from harbour.core.databases import remember, tenant_atomic
from harbour.core.entitlements import Feature, require
from harbour.core.errors import Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.validation import clean_text
from harbour.identity.models import ApiToken

TOKEN_PREFIX = "hbr_"  # noqa: S105 - a public marker, not a secret
MAX_DAYS = 366


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@tenant_atomic
def create_api_token(actor: Actor, member: Member, *, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Mint a token for ``member`` (oneself). Returns the row and the token text, which is never stored."""
    require_permission(actor, "apitoken.manage", member)
    require(Tenant.objects.get(pk=member.tenant_id), Feature.API_ACCESS)
    name = clean_text(name, field="name", max_length=80, required=True)
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(_("a token lasts between 1 and %(max)d days") % {"max": MAX_DAYS}, field="days")
    secret = secrets.token_urlsafe(32)
    text = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        tenant_id=member.tenant_id,
        member=member,
        name=name,
        prefix=text[:12],
        token_hash=_digest(text),
        expires_at=now() + dt.timedelta(days=days),
    )
    record(actor, "apitoken.created", target=token, after=token.snapshot())
    return token, text


@tenant_atomic
def revoke_api_token(actor: Actor, token: ApiToken) -> ApiToken:
    require_permission(actor, "apitoken.manage", token)
    if token.revoked_at is None:
        before = token.snapshot()
        token.revoked_at = now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record(actor, "apitoken.revoked", target=token, before=before, after=token.snapshot())
    return token


def member_for_token(text: str) -> Member | None:
    """The active member a live token belongs to, or None. Marks the token used (at most once a minute)."""
    if not text.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(text)
    live = [
        token
        for qs in ApiToken.objects.in_every_database()
        for token in qs.select_related("member").filter(
            token_hash=digest, revoked_at__isnull=True, expires_at__gt=now()
        )[:1]
    ]
    # Where each candidate's company lives, read with the company itself (the request needs it next).
    companies = {t.pk: t for t in Tenant.objects.filter(pk__in={token.tenant_id for token in live})}
    for company in companies.values():
        remember(company)
    token = next(iter(home_rows(live)), None)
    if token is None or not token.member.can_sign_in:
        return None
    token.member.tenant = companies[token.tenant_id]
    if token.last_used_at is None or now() - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.for_tenant(token.tenant_id).filter(pk=token.pk).update(last_used_at=now())
    return token.member


def live_token_count(tenant: Tenant) -> int:
    return ApiToken.objects.for_tenant(tenant).filter(revoked_at__isnull=True, expires_at__gt=now()).count()


def describe_token_dependence(tenant: Tenant) -> str | None:
    """For a downgrade preview: the tokens that would stop working without API access."""
    count = live_token_count(tenant)
    if not count:
        return None
    return ngettext(
        "%(count)d personal API token will stop working.",
        "%(count)d personal API tokens will stop working.",
        count,
    ) % {"count": count}


def tokens_of(actor: Actor) -> list[ApiToken]:
    if actor.actor_id is None:
        return []
    return list(ApiToken.objects.for_tenant(actor.tenant_id).filter(member_id=actor.actor_id))


def revoke_all_for(member: Member) -> int:
    """Used when an account is frozen: every token stops at once."""
    return (
        ApiToken.objects.for_tenant(member.tenant_id)
        .filter(member=member, revoked_at__isnull=True)
        .update(revoked_at=now())
    )
