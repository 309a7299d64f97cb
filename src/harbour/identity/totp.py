"""The TOTP second factor (RFC 6238): setting up an authenticator app, checking its codes, recovery codes.

An authenticator belongs to the login (``core.Account``), not to one work account, so it protects every
company the person signs in to; its events are written to the log of the company the person acts in.
A code is accepted once (the time step it belongs to is remembered) with one step of clock drift either
way; a recovery code works once and only its hash is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
import segno
from django.db import transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Account
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.queries import is_administrator
from harbour.identity.models import TotpAuthenticator
from harbour.identity.sessions import usable_memberships
from harbour.security.models import SecuritySettings
from harbour.security.queries import settings_of

ISSUER = "Harbour"
RECOVERY_CODES = 10
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after the current one is accepted too
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes


# ------------------------------------------------------------------------------------------- reads
def authenticator_of(account: Account | None) -> TotpAuthenticator | None:
    if account is None:
        return None
    return TotpAuthenticator.objects.filter(account=account).first()


def confirmed_authenticator(account: Account | None) -> TotpAuthenticator | None:
    found = authenticator_of(account)
    return found if found is not None and found.is_confirmed else None


def provisioning_uri(authenticator: TotpAuthenticator) -> str:
    return pyotp.TOTP(authenticator.secret).provisioning_uri(
        name=authenticator.account.email, issuer_name=ISSUER
    )


def qr_code_data_uri(authenticator: TotpAuthenticator) -> str:
    """The set-up QR code as an SVG data URI (the CSP allows ``img-src data:``)."""
    return str(segno.make(provisioning_uri(authenticator), error="m").svg_data_uri(scale=5, border=2))


def grouped_secret(authenticator: TotpAuthenticator) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    s = authenticator.secret
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def recovery_codes_left(authenticator: TotpAuthenticator | None) -> int:
    return len(authenticator.recovery_code_hashes) if authenticator is not None else 0


def mfa_required_of(account: Account) -> Member | None:
    """A work account of this login whose company insists on a second factor (an administrator where
    "MFA for admins" is on, or the break-glass administrator), or None."""
    for member in usable_memberships(account):
        settings = settings_of(member.tenant_id)
        if settings.break_glass_member_id == member.pk:
            return member
        if settings.mfa_for_admins and is_administrator(member):
            return member
    return None


# ----------------------------------------------------------------------------------------- codes
def _step(at: dt.datetime | None = None) -> int:
    return int((at or now()).timestamp()) // STEP_SECONDS


def _matching_step(authenticator: TotpAuthenticator, code: str) -> int | None:
    """The time step ``code`` belongs to (within the allowed drift), or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(authenticator.secret)
    current = _step()
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash_recovery_code(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def _use_code(authenticator: TotpAuthenticator, code: str) -> bool:
    """Accept a fresh code once: the row is locked, and a step not after the last one used is refused."""
    step = _matching_step(authenticator, code)
    if step is None:
        return False
    updated = TotpAuthenticator.objects.filter(pk=authenticator.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    if not updated:
        return False  # the same code (or an older one) was already used: a replay
    authenticator.last_used_step = step
    return True


def _use_recovery_code(authenticator: TotpAuthenticator, code: str) -> bool:
    digest = _hash_recovery_code(code)
    with transaction.atomic():
        locked = TotpAuthenticator.objects.select_for_update().get(pk=authenticator.pk)
        if digest not in locked.recovery_code_hashes:
            return False
        locked.recovery_code_hashes = [h for h in locked.recovery_code_hashes if h != digest]
        locked.save(update_fields=["recovery_code_hashes"])
    authenticator.recovery_code_hashes = locked.recovery_code_hashes
    return True


def check_code(authenticator: TotpAuthenticator, code: str, *, allow_recovery: bool = False) -> str | None:
    """``"totp"`` or ``"recovery"`` when the code is accepted (and now spent), else None."""
    if _use_code(authenticator, code):
        return "totp"
    if allow_recovery and _use_recovery_code(authenticator, code):
        return "recovery"
    return None


# ---------------------------------------------------------------------------------------- writes
def _account_of(actor: Member) -> Account:
    if not isinstance(actor, Member) or actor.account is None:
        raise Forbidden(_("only a signed-in person can set up an authenticator"))
    return actor.account


@tenant_atomic
def start_totp_setup(actor: Member) -> TotpAuthenticator:
    """A new secret for the actor's login, not yet in force until a code from it is confirmed."""
    account = _account_of(actor)
    existing = authenticator_of(account)
    if existing is not None and existing.is_confirmed:
        raise Conflict(_("an authenticator is already set up; switch it off first"), field="totp")
    if existing is not None:
        existing.secret = pyotp.random_base32()
        existing.recovery_code_hashes = []
        existing.last_used_step = 0
        existing.save(update_fields=["secret", "recovery_code_hashes", "last_used_step"])
        return existing
    return TotpAuthenticator.objects.create(account=account, secret=pyotp.random_base32())


@tenant_atomic
def confirm_totp(actor: Member, code: str) -> list[str]:
    """A code from the app proves it was set up right: the authenticator is in force from now on.
    Answers the recovery codes, which are shown this once and kept only as hashes."""
    account = _account_of(actor)
    authenticator = authenticator_of(account)
    if authenticator is None:
        raise Conflict(_("start the set-up first"), field="code")
    if authenticator.is_confirmed:
        raise Conflict(_("the authenticator is already set up"), field="code")
    if not _use_code(authenticator, code):
        raise Invalid(_("that code is not right; check the time on your phone and try again"), field="code")
    codes = _new_recovery_codes()
    authenticator.confirmed_at = now()
    authenticator.recovery_code_hashes = [_hash_recovery_code(c) for c in codes]
    authenticator.save(update_fields=["confirmed_at", "recovery_code_hashes"])
    record(actor, "totp.enabled", target=actor)
    return codes


@tenant_atomic
def regenerate_recovery_codes(actor: Member, code: str) -> list[str]:
    """New recovery codes (the old ones stop working); needs a current code from the app."""
    authenticator = confirmed_authenticator(_account_of(actor))
    if authenticator is None:
        raise Conflict(_("set up an authenticator first"), field="code")
    if not _use_code(authenticator, code):
        raise Invalid(_("that code is not right"), field="code")
    codes = _new_recovery_codes()
    authenticator.recovery_code_hashes = [_hash_recovery_code(c) for c in codes]
    authenticator.save(update_fields=["recovery_code_hashes"])
    record(actor, "totp.recovery_codes_regenerated", target=actor)
    return codes


@tenant_atomic
def disable_totp(actor: Member, code: str) -> None:
    """Switch one's own second factor off; refused while a company requires it of this person."""
    account = _account_of(actor)
    authenticator = confirmed_authenticator(account)
    if authenticator is None:
        raise Conflict(_("no authenticator is set up"), field="code")
    required_by = mfa_required_of(account)
    if required_by is not None:
        raise Forbidden(
            _("%(company)s requires a second factor of its administrators; it cannot be switched off")
            % {"company": required_by.tenant.display_name},
            field="code",
        )
    if not _use_code(authenticator, code):
        raise Invalid(_("that code is not right"), field="code")
    authenticator.delete()
    record(actor, "totp.disabled", target=actor)


@tenant_atomic
def reset_totp(actor: Actor, member: Member, *, reason: str = "") -> bool:
    """An administrator removes a member's authenticator (a lost phone): the member sets up a new one
    (at the next sign-in, where the company requires it). Refused when the login also signs in to other
    companies, whose protection one company's administrator may not remove."""
    require_permission(actor, "security.manage", member)
    account = member.account
    authenticator = authenticator_of(account)
    if account is None or authenticator is None:
        return False
    others = [m for m in usable_memberships(account) if m.tenant_id != member.tenant_id]
    if others:
        raise Forbidden(
            _(
                "this login also signs in to other companies; the person (or a platform operator) must "
                "reset the authenticator"
            ),
            field="member_id",
        )
    was_confirmed = authenticator.is_confirmed
    authenticator.delete()
    record(actor, "totp.reset", target=member, before={"confirmed": was_confirmed}, reason=reason)
    return True


# ----------------------------------------------------------------------------- sign-in step helpers
@tenant_atomic
def record_sign_in_code(member: Member, kind: str) -> None:
    """A recovery code used at sign-in is logged (the person should make new ones)."""
    if kind == "recovery":
        left = recovery_codes_left(authenticator_of(member.account))
        record(member, "totp.recovery_code_used", target=member, left=left)


# --------------------------------------------------------------------------------- settings check
def check_mfa_for_admins(actor: Actor, proposed: SecuritySettings) -> tuple[str, str] | None:
    """Switching "MFA for admins" on while the administrator doing it has no authenticator would sign
    them out at the next click: they must set theirs up first."""
    if not proposed.mfa_for_admins or settings_of(actor.tenant_id).mfa_for_admins:
        return None
    if not isinstance(actor, Member):
        return None  # the system (CLI, demo seed) has no sign-in of its own
    if confirmed_authenticator(actor.account) is None:
        return (
            "mfa_for_admins",
            _("set up your own authenticator (Sign-in security) before requiring one of administrators"),
        )
    return None
