"""Writes of single sign-on: a company's connections to its identity providers (the allauth ``SocialApp``
rows behind them are written here only), and what a sign-in through one of them changes: the link from the
provider's subject to the login, the work account it opens, or the one it creates just in time.

Every change is audited with before and after; the client secret never appears in either.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.entitlements import Feature, require
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Account, Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.sealing import seal, unseal
from harbour.core.time import now
from harbour.directory.actions import MemberSpec, invite_member
from harbour.directory.models import Invitation, Member, MemberState
from harbour.identity.models import SsoConnection, SsoPreset
from harbour.identity.sso.presets import ProviderSetup, current_inputs, provider_setup
from harbour.identity.sso.queries import MANAGE, connections_of, proven_connections
from harbour.security.queries import settings_of

NAME_MAX = 80
SOCIAL_APP_NAME_MAX = 40  # allauth's column


def sign_in_actor(tenant_id: uuid.UUID) -> SystemActor:
    """Who acts for the company while a single sign-on is handled (no member is signed in yet)."""
    return SystemActor(tenant_id, "single sign-on")


def _name(value: Any) -> str:
    name = "" if value is None else str(value).strip()
    if not name:
        raise Invalid(_("give the connection a name people recognise"), field="name")
    if len(name) > NAME_MAX:
        raise Invalid(_("the name is longer than %(n)d characters") % {"n": NAME_MAX}, field="name")
    return name


def _boolean(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(_("%(field)s must be true or false") % {"field": field}, field=field)


def _new_slug(tenant: Tenant, preset: str) -> str:
    """Stable for the connection's life: it is part of the addresses registered at the provider."""
    stem = re.sub(r"[^a-z0-9-]+", "-", f"{tenant.slug}-{preset}".lower()).strip("-")[:45]
    taken = set(
        SsoConnection.objects.across_tenants().filter(slug__startswith=stem).values_list("slug", flat=True)
    )
    # allauth finds its app by this id: one left behind (a company removed with its connections) counts too
    taken |= set(SocialApp.objects.filter(provider_id__startswith=stem).values_list("provider_id", flat=True))
    taken |= set(SocialApp.objects.filter(client_id__startswith=stem).values_list("client_id", flat=True))
    if stem not in taken:
        return stem
    while True:
        candidate = f"{stem}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


def _apply(app: SocialApp, connection: SsoConnection, setup: ProviderSetup) -> None:
    app.provider = setup.provider
    app.provider_id = connection.slug
    app.name = connection.name[:SOCIAL_APP_NAME_MAX]
    app.client_id = setup.client_id
    if setup.secret is not None:
        app.secret = seal(setup.secret)  # opened only in memory, by the adapter (``list_apps``)
    app.settings = setup.settings
    connection.settings_summary = setup.summary


def _require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


@tenant_atomic
def create_connection(
    actor: Actor,
    *,
    name: str,
    protocol: str,
    preset: str = SsoPreset.GENERIC,
    values: dict[str, Any],
    just_in_time: bool = False,
    enabled: bool = True,
) -> SsoConnection:
    """Connect the company's identity provider (OpenID Connect or SAML 2.0, with a preset)."""
    tenant = _require_manage(actor)
    require(tenant, Feature.SINGLE_SIGN_ON)
    clean_name = _name(name)
    jit, on = _boolean(just_in_time, "just_in_time"), _boolean(enabled, "enabled")
    slug = _new_slug(tenant, str(preset or ""))
    setup = provider_setup(str(protocol or ""), str(preset or ""), slug, values, creating=True)
    connection = SsoConnection(
        tenant_id=tenant.pk,
        name=clean_name,
        protocol=protocol,
        preset=preset,
        slug=slug,
        enabled=on,
        just_in_time=jit,
    )
    app = SocialApp()
    _apply(app, connection, setup)
    app.save()
    connection.social_app = app
    connection.save()
    record(actor, "sso.connection_created", target=connection, after=connection.snapshot())
    return connection


@tenant_atomic
def update_connection(actor: Actor, connection: SsoConnection, **changes: Any) -> SsoConnection:
    """Change the name, just-in-time creation or the provider's settings (a blank secret keeps the stored
    one), and switch it on or off (``enabled``, as ``set_connection_enabled``), all or nothing. The protocol
    and preset stay: connect a different provider as a new connection."""
    enabled = changes.pop("enabled", None)
    if changes:
        connection = _change_settings(actor, connection, changes)
    if enabled is not None:
        connection = set_connection_enabled(actor, connection, enabled)
    return connection


def _change_settings(actor: Actor, connection: SsoConnection, changes: dict[str, Any]) -> SsoConnection:
    tenant = _require_manage(actor)
    require(tenant, Feature.SINGLE_SIGN_ON)
    unknown = set(changes) - {"name", "just_in_time", "values"}
    if unknown:
        field = sorted(unknown)[0]
        raise Invalid(_("%(field)s cannot be changed") % {"field": field}, field=field)
    connection = connections_of(tenant.pk).select_for_update().get(pk=connection.pk)
    app = SocialApp.objects.select_for_update().get(pk=connection.social_app_id)
    before = connection.snapshot()
    if "name" in changes:
        connection.name = _name(changes["name"])
    if "just_in_time" in changes:
        connection.just_in_time = _boolean(changes["just_in_time"], "just_in_time")
    secret_changed = False
    if changes.get("values") is not None:
        stored = current_inputs(
            connection.protocol, connection.preset, connection.settings_summary, app.settings
        )
        values = {**stored, **{k: v for k, v in dict(changes["values"]).items() if v is not None}}
        setup = provider_setup(
            connection.protocol, connection.preset, connection.slug, values, creating=False
        )
        secret_changed = setup.secret is not None and setup.secret != unseal(app.secret)
        _apply(app, connection, setup)
    app.name = connection.name[:SOCIAL_APP_NAME_MAX]
    after = connection.snapshot()
    if after == before and not secret_changed:
        return connection
    app.save()
    connection.save()
    changed = sorted(k for k in after if after[k] != before.get(k))
    record(
        actor,
        "sso.connection_updated",
        target=connection,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        secret_changed=secret_changed,
    )
    return connection


def _refuse_if_last(tenant_id: uuid.UUID, connection: SsoConnection, doing: str) -> None:
    """With SSO only on, the company keeps at least one working connection (else only break-glass is left)."""
    if not settings_of(tenant_id).sso_only:
        return
    others = (connections_of(tenant_id).filter(enabled=True).exclude(pk=connection.pk)).values_list(
        "pk", flat=True
    )
    if not proven_connections(tenant_id, others):
        raise Conflict(
            _(
                "SSO only is on and this is the company's only working connection: switch SSO only off, or "
                "connect and use another provider, before you %(doing)s it"
            )
            % {"doing": doing},
            field="enabled",
        )


@tenant_atomic
def set_connection_enabled(actor: Actor, connection: SsoConnection, enabled: bool) -> SsoConnection:
    """Enable or disable a connection: a disabled one starts no sign-in and finishes none."""
    tenant = _require_manage(actor)
    on = _boolean(enabled, "enabled")
    connection = connections_of(tenant.pk).select_for_update().get(pk=connection.pk)
    if connection.enabled == on:
        return connection
    if on:
        require(tenant, Feature.SINGLE_SIGN_ON)
    else:
        _refuse_if_last(tenant.pk, connection, _("disable"))
    before = connection.snapshot()
    connection.enabled = on
    connection.save(update_fields=["enabled", "updated_at"])
    kind = "sso.connection_enabled" if on else "sso.connection_disabled"
    record(actor, kind, target=connection, before={"enabled": before["enabled"]}, after={"enabled": on})
    return connection


@tenant_atomic
def delete_connection(actor: Actor, connection: SsoConnection) -> None:
    """Remove a connection, its provider settings and the identities linked through it."""
    tenant = _require_manage(actor)
    connection = connections_of(tenant.pk).select_for_update().get(pk=connection.pk)
    if connection.enabled:
        _refuse_if_last(tenant.pk, connection, _("delete"))
    before = connection.snapshot()
    app_id = connection.social_app_id
    linked = SocialAccount.objects.filter(provider=connection.slug)
    unlinked = linked.count()
    linked.delete()
    connection.delete()
    SocialApp.objects.filter(pk=app_id).delete()
    record(actor, "sso.connection_deleted", target=connection, before=before, identities_unlinked=unlinked)


# ------------------------------------------------------------------------------------------- at sign-in
def _login_for(email: str, name: str) -> Account:
    """The login of this address (a person may already hold one for another company), or a new one that has
    no password: it signs in through the identity provider only."""
    account = Account.objects.filter(email=email).first()
    if account is not None:
        return account
    return Account.objects.create_user(email, None, display_name=(name or "")[:200])


def admit(connection: SsoConnection, member: Member, *, email: str, name: str) -> Member:
    """The provider vouched for ``email``, the address of ``member``: give the work account its login if it
    has none, and open an invited one (the sign-in accepts the invitation)."""
    actor = sign_in_actor(connection.tenant_id)
    with tenant_transaction(connection.tenant_id):
        member = Member.objects.for_tenant(connection.tenant_id).select_for_update().get(pk=member.pk)
        if member.account_id is not None and member.state != MemberState.INVITED:
            return member
        before = member.snapshot()
        if member.account_id is None:
            member.account = _login_for(email, name or member.name)
        activated = member.state == MemberState.INVITED
        if activated:
            member.state = MemberState.ACTIVE
            member.state_changed_at = now()
        member.save(update_fields=["account", "state", "state_changed_at", "updated_at"])
        if activated:
            Invitation.objects.for_tenant(connection.tenant_id).filter(
                member=member, accepted_at__isnull=True
            ).update(accepted_at=now())
            record(
                actor,
                "member.activated",
                target=member,
                before=before,
                after=member.snapshot(),
                connection=connection.slug,
            )
        record(actor, "sso.login_linked", target=member, connection=connection.slug, email=email)
        return member


def provision(connection: SsoConnection, *, email: str, name: str) -> Member:
    """Just-in-time creation: an active work account for a person the provider vouched for (seats are
    taken by the directory's action, which refuses when none are left)."""
    actor = sign_in_actor(connection.tenant_id)
    with tenant_transaction(connection.tenant_id):
        member = invite_member(
            actor, MemberSpec(email=email, name=name or email.split("@")[0], state=MemberState.ACTIVE)
        )
        member.account = _login_for(member.email, member.name)
        member.save(update_fields=["account", "updated_at"])
        record(actor, "sso.member_provisioned", target=member, connection=connection.slug, email=email)
        return member


def link_identity(connection: SsoConnection, account: Account, uid: str, extra_data: dict[str, Any]) -> None:
    """Remember that the provider's subject ``uid`` is this login (the next sign-in finds it by subject)."""
    SocialAccount.objects.update_or_create(
        provider=connection.slug, uid=uid, defaults={"user": account, "extra_data": extra_data}
    )


def record_refusal(
    connection: SsoConnection, *, reason: str, email: str = "", member: Member | None = None, **data: Any
) -> None:
    """A sign-in through the connection was refused: ``login.failed`` in the company's log, with why."""
    with tenant_transaction(connection.tenant_id):
        record(
            sign_in_actor(connection.tenant_id),
            "login.failed",
            target=member if member is not None else connection,
            reason=reason,
            method="sso",
            connection=connection.slug,
            email=email,
            **data,
        )
