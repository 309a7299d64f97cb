"""The company's rules for a person its identity provider vouched for: which work account (if any) the
sign-in opens. Every refusal names a reason (kept in the ``login.failed`` audit entry) and a message for
the person; nothing is written before every check passed.

1. The connection is enabled and the company's plan includes single sign-on.
2. The provider asserted an email address, verified (OpenID Connect: ``email_verified`` true, or Entra ID's
   ``xms_edov``), from the directory the company connected (Entra ID's ``tid``, Google's ``hd``).
3. The address is inside the company's verified domains and no admission rule refuses it.
4. The work account: the one whose login this provider subject was linked to before, else the company's
   member with that address, else — with just-in-time creation on — a new active member; otherwise none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.socialaccount.models import SocialAccount
from django.utils.translation import gettext as _

from harbour.core.admission import email_refusal
from harbour.core.entitlements import Feature, has
from harbour.core.errors import Forbidden, HarbourError
from harbour.core.models import Account, Tenant
from harbour.directory.models import Member, MemberState
from harbour.identity.models import SsoConnection, SsoPreset, SsoProtocol
from harbour.identity.sso import actions
from harbour.security.admission import email_in_verified_domains


class SignInRefused(Forbidden):
    """The company does not let this sign-in in; ``reason`` is a stable code for the audit entry."""

    def __init__(self, reason: str, message: str, *, member: Member | None = None) -> None:
        super().__init__(message, field="email")
        self.reason = reason
        self.member = member


@dataclass(frozen=True)
class Asserted:
    """What the identity provider said about the person."""

    uid: str
    email: str
    email_verified: bool
    name: str = ""
    claims: dict[str, Any] = field(default_factory=dict)
    extra_data: dict[str, Any] = field(default_factory=dict)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def oidc_asserted(uid: str, extra_data: dict[str, Any]) -> Asserted:
    """Claims of the (signature-checked) ID token take precedence over the userinfo answer."""
    claims = {**(extra_data.get("userinfo") or {}), **(extra_data.get("id_token") or {})}
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    return Asserted(
        uid=uid,
        email=str(claims.get("email") or "").strip().lower(),
        email_verified=_truthy(claims.get("email_verified", False)),
        name=str(name or "").strip(),
        claims=claims,
        extra_data=extra_data,
    )


def saml_asserted(
    uid: str, email: str, attributes: dict[str, Any], mapping: dict[str, list[str]]
) -> Asserted:
    """A SAML assertion was signed by the company's IdP (allauth refuses unsigned ones): its address counts
    as verified."""

    def first(key: str) -> str:
        for name in mapping.get(key, []):
            values = attributes.get(name) or []
            if values:
                return str(values[0]).strip()
        return ""

    name = first("name") or " ".join(part for part in (first("first_name"), first("last_name")) if part)
    return Asserted(
        uid=uid,
        email=(email or first("email")).strip().lower(),
        email_verified=True,
        name=name,
        claims={},
        extra_data=attributes,
    )


def _check_provider_claims(connection: SsoConnection, asserted: Asserted) -> None:
    if connection.protocol != SsoProtocol.OIDC:
        return
    verified = asserted.email_verified or (
        connection.preset == SsoPreset.ENTRA_ID and _truthy(asserted.claims.get("xms_edov", False))
    )
    if not verified:
        raise SignInRefused(
            "email_unverified",
            _("the identity provider did not confirm that %(email)s is your verified address")
            % {"email": asserted.email},
        )
    expected = connection.social_app.settings.get("expect_claims") or {}
    for claim, value in expected.items():
        if str(asserted.claims.get(claim, "")).lower() != str(value).lower():
            raise SignInRefused(
                "wrong_directory",
                _(
                    "the identity provider signed you in to another directory than the one your company "
                    "connected"
                ),
            )


def _linked_member(connection: SsoConnection, account: Account | None) -> Member | None:
    if account is None:
        return None
    return Member.objects.for_tenant(connection.tenant_id).filter(account_id=account.pk).first()


def _refuse_inactive(member: Member) -> None:
    if member.state in (MemberState.SUSPENDED, MemberState.DEACTIVATED):
        raise SignInRefused(
            "inactive",
            _("your work account in this company is %(state)s; ask your administrator")
            % {"state": member.get_state_display().lower()},
            member=member,
        )


def vouched(connection: SsoConnection, asserted: Asserted, linked: Account | None) -> Account:
    """The login this sign-in proceeds with (its work account in the company is ready), or a refusal.

    ``linked``: the login this provider subject was linked to at an earlier sign-in, if any."""
    tenant = Tenant.objects.get(pk=connection.tenant_id)
    if not connection.enabled:
        raise SignInRefused(
            "connection_disabled", _("this single sign-on connection is switched off; ask your administrator")
        )
    if not has(tenant, Feature.SINGLE_SIGN_ON):
        raise SignInRefused(
            "not_entitled",
            _("%(company)s's plan does not include single sign-on; sign in with your password")
            % {"company": tenant.display_name},
        )
    if not asserted.email or "@" not in asserted.email:
        raise SignInRefused("no_email", _("the identity provider did not tell Harbour your email address"))
    _check_provider_claims(connection, asserted)
    if not email_in_verified_domains(tenant.pk, asserted.email):
        raise SignInRefused(
            "outside_domains",
            _("%(email)s is not an address of %(company)s's verified domains")
            % {"email": asserted.email, "company": tenant.display_name},
        )
    refusal = email_refusal(tenant.pk, asserted.email)
    if refusal:
        raise SignInRefused("address_refused", refusal)

    member = _linked_member(connection, linked)
    if member is None:
        member = Member.objects.for_tenant(tenant).filter(email__iexact=asserted.email).first()
        if member is not None and member.account_id is not None:
            other_subject = (
                SocialAccount.objects.filter(provider=connection.slug, user_id=member.account_id)
                .exclude(uid=asserted.uid)
                .exists()
            )
            if other_subject:
                raise SignInRefused(
                    "subject_mismatch",
                    _(
                        "this work account is linked to another person at the identity provider; "
                        "ask your administrator"
                    ),
                    member=member,
                )
    if member is None:
        if not connection.just_in_time:
            raise SignInRefused(
                "unknown_person",
                _("there is no work account for %(email)s in %(company)s; ask your administrator")
                % {"email": asserted.email, "company": tenant.display_name},
            )
        try:
            member = actions.provision(connection, email=asserted.email, name=asserted.name)
        except HarbourError as exc:  # no seat left, an address the directory refuses…
            raise SignInRefused("provisioning_refused", exc.message) from None
    _refuse_inactive(member)
    member = actions.admit(connection, member, email=asserted.email, name=asserted.name)
    assert member.account is not None
    actions.link_identity(connection, member.account, asserted.uid, asserted.extra_data)
    return member.account
