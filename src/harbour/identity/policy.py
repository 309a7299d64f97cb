"""What a company demands of a sign-in: the method, the network, the second factors.

One gate, asked when a sign-in finishes and again on every request (a setting switched on applies to
sessions already open), and when a person switches company.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.models import Account
from harbour.directory.models import Member
from harbour.directory.queries import is_administrator
from harbour.identity.models import LoginMethod, TotpAuthenticator
from harbour.security.models import SecuritySettings
from harbour.security.queries import settings_of

FACTOR_TOTP = "totp"
FACTOR_DEVICE = "device"
FACTOR_TOTP_ENROLMENT = "totp_enrolment"  # asked instead of FACTOR_TOTP while none is set up


@dataclass(frozen=True)
class Proof:
    """How this browser signed in: kept in the session and checked against each company's settings."""

    method: str
    factors: frozenset[str] = frozenset()
    sso_tenant_id: str | None = None
    ip: str | None = None
    at: float = 0.0  # when the sign-in finished (epoch seconds)
    login_session_id: str | None = None

    def to_session(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "factors": sorted(self.factors),
            "sso_tenant_id": self.sso_tenant_id,
            "ip": self.ip,
            "at": self.at,
            "login_session_id": self.login_session_id,
        }

    @classmethod
    def from_session(cls, data: dict[str, Any] | None) -> Proof:
        """A session with no record (made before these checks, or by a test's force_login) counts as a
        bare password sign-in: every stricter setting refuses it."""
        data = data or {}
        return cls(
            method=str(data.get("method") or LoginMethod.PASSWORD),
            factors=frozenset(data.get("factors") or ()),
            sso_tenant_id=data.get("sso_tenant_id"),
            ip=data.get("ip"),
            at=float(data.get("at") or 0.0),
            login_session_id=data.get("login_session_id"),
        )


@dataclass(frozen=True)
class Refusal:
    code: str  # "sso_only", "sso_elsewhere", "break_glass", "network", "factors"
    message: str
    missing: frozenset[str] = field(default_factory=frozenset)


def has_totp(account: Account) -> bool:
    """Does the login have a confirmed authenticator? (Remembered on the object for this request.)"""
    known = getattr(account, "_harbour_has_totp", None)
    if known is None:
        known = TotpAuthenticator.objects.filter(account=account, confirmed_at__isnull=False).exists()
        account._harbour_has_totp = known  # type: ignore[attr-defined]
    return bool(known)


def in_networks(ip: str | None, networks: list[str]) -> bool:
    if not networks:
        return True
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def required_factors(
    member: Member,
    method: str,
    settings: SecuritySettings,
    have: frozenset[str] = frozenset(),
    *,
    at_sign_in: bool = True,
) -> frozenset[str]:
    """The second factors this member's company asks of a sign-in made with ``method``.

    A sign-in through the company's identity provider leaves the TOTP question to that provider (it
    runs its own MFA); a company device is asked of every method when the company says so. Factors in
    ``have`` are not looked into again (the per-request check stays cheap). A personal authenticator set
    up after signing in is asked from the next sign-in on (``at_sign_in``), not of the open session."""
    needed: set[str] = set()
    if FACTOR_TOTP in have:
        needed.add(FACTOR_TOTP)
    elif method != LoginMethod.SSO:
        account = member.account
        wants_totp = (
            method == LoginMethod.BREAK_GLASS
            or (at_sign_in and account is not None and has_totp(account))
            or (settings.mfa_for_admins and is_administrator(member))
        )
        if wants_totp:
            needed.add(FACTOR_TOTP)
    if settings.company_devices_only:
        needed.add(FACTOR_DEVICE)
    return frozenset(needed)


def refusal(
    proof: Proof, member: Member, settings: SecuritySettings | None = None, *, at_sign_in: bool = True
) -> Refusal | None:
    """Why ``member``'s company does not accept this sign-in, or None when it does."""
    if settings is None:  # read once per member object (one request)
        settings = getattr(member, "_harbour_security_settings", None) or settings_of(member.tenant_id)
        member._harbour_security_settings = settings  # type: ignore[attr-defined]
    if proof.method == LoginMethod.BREAK_GLASS:
        if settings.break_glass_member_id != member.pk:
            return Refusal("break_glass", _("this account is not the company's break-glass administrator"))
    elif proof.method == LoginMethod.SSO:
        if proof.sso_tenant_id != str(member.tenant_id):
            return Refusal(
                "sso_elsewhere", _("a single sign-on through another company does not sign you in here")
            )
    elif settings.sso_only:
        return Refusal(
            "sso_only",
            _("%(company)s signs people in only through its identity provider: use single sign-on")
            % {"company": member.tenant.display_name},
        )
    if settings.refuse_outside_networks and not in_networks(proof.ip, list(settings.allowed_networks)):
        return Refusal("network", _("your company does not allow sign-ins from this network"))
    missing = required_factors(member, proof.method, settings, proof.factors, at_sign_in=at_sign_in)
    missing = missing - proof.factors
    if FACTOR_TOTP in missing and member.account is not None and not has_totp(member.account):
        missing = (missing - {FACTOR_TOTP}) | {FACTOR_TOTP_ENROLMENT}
    if missing:
        return Refusal("factors", _("your company asks for a second step to sign in"), frozenset(missing))
    return None
