"""Company devices: IT registers a member's company-issued device as a WebAuthn credential, and with
"company devices only" on, every sign-in must also be signed by one of the member's registered devices.

Registration goes through a one-time enrolment link (30 minutes, only its hash is kept) opened on the
device itself; the browser runs the WebAuthn registration ceremony and the credential is bound to the
member. Attestation "none" is accepted (a company device is vouched for by IT, not by its maker).
A signature counter that does not move forward means the key was copied: the sign-in is refused and
the attempt written to the operation log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.parse_authentication_credential_json import parse_authentication_credential_json
from webauthn.helpers.parse_registration_credential_json import parse_registration_credential_json
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.errors import Conflict, Forbidden, Invalid, NotFound
from harbour.core.permissions import Actor, SystemActor, can, require_permission
from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.directory.models import Member, MemberState
from harbour.directory.validation import clean_text
from harbour.identity import login_sessions
from harbour.identity.models import DeviceCredential, DeviceEnrolment, LoginSession
from harbour.security import incidents
from harbour.security.models import IncidentKind, SecuritySettings, Severity
from harbour.security.queries import settings_of

ENROLMENT_MINUTES = 30
CLONE_EVIDENCE = "device_clone"
CEREMONY_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class RelyingParty:
    """Who asks for the credential: the WebAuthn RP id (a host name) and the origin pages are served from."""

    id: str
    origin: str
    name: str = "Harbour"


def relying_party(request: HttpRequest) -> RelyingParty:
    """``HARBOUR_WEBAUTHN_RP_ID`` if set (a parent domain, so credentials work on every host under it),
    else the request's host name; the origin is always the request's own scheme and host."""
    host = request.get_host()
    hostname, _port = split_domain_port(host)
    configured = str(getattr(settings, "HARBOUR_WEBAUTHN_RP_ID", "") or "")
    return RelyingParty(id=configured or hostname or host, origin=f"{request.scheme}://{host}")


# ------------------------------------------------------------------------------------------- reads
def devices_of(member: Member) -> QuerySet[DeviceCredential]:
    """Every device registered for ``member``, revoked ones included (callers pass the gate first)."""
    return (
        DeviceCredential.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .select_related("registered_by")
        .order_by("revoked_at", "name", "created_at")
    )


def live_devices(member: Member) -> QuerySet[DeviceCredential]:
    return DeviceCredential.objects.for_tenant(member.tenant_id).filter(
        member=member, revoked_at__isnull=True
    )


def get_device_for(actor: Actor, device_id: uuid.UUID | str) -> DeviceCredential:
    """A device of the actor's company whose member the actor may manage devices of; else NotFound."""
    try:
        device = (
            DeviceCredential.objects.for_tenant(actor.tenant_id).select_related("member").get(pk=device_id)
        )
    except (DeviceCredential.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such device"), field="device_id") from None
    if not can(actor, "device.manage", device.member):
        raise NotFound(_("no such device"), field="device_id")
    return device


def may_manage_devices(actor: Actor | None, member: Member) -> bool:
    return actor is not None and can(actor, "device.manage", member)


# ---------------------------------------------------------------------------------------- enrolment
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@tenant_atomic
def create_enrolment(actor: Actor, member: Member, *, device_name: str) -> tuple[DeviceEnrolment, str]:
    """A one-time link for registering ``member``'s company device; answers the row and the token, which
    is shown once (only its hash is stored)."""
    require_permission(actor, "device.manage", member)
    name = clean_text(device_name, field="device_name", max_length=80, required=True)
    if member.state not in (MemberState.ACTIVE, MemberState.INVITED):
        raise Conflict(
            _("a %(state)s account cannot have devices registered") % {"state": member.get_state_display()},
            field="member_id",
        )
    token = secrets.token_urlsafe(32)
    enrolment = DeviceEnrolment.objects.create(
        tenant_id=member.tenant_id,
        member=member,
        device_name=name,
        token_hash=_digest(token),
        created_by_id=actor.actor_id if isinstance(actor, Member) else None,
        expires_at=now() + dt.timedelta(minutes=ENROLMENT_MINUTES),
    )
    record(
        actor,
        "device.enrolment_created",
        target=member,
        device_name=name,
        expires_at=enrolment.expires_at.isoformat(),
    )
    return enrolment, token


def find_enrolment(token: str) -> DeviceEnrolment:
    """The open enrolment behind a link: not used, not expired, its member still able to sign in."""
    digest = _digest(token or "")
    found = [
        enrolment
        for qs in DeviceEnrolment.objects.in_every_database()
        for enrolment in qs.select_related("member").filter(
            token_hash=digest, used_at__isnull=True, expires_at__gt=now()
        )[:1]
    ]
    enrolment = next(iter(home_rows(found)), None)
    if enrolment is None or enrolment.member.state not in (MemberState.ACTIVE, MemberState.INVITED):
        raise NotFound(_("this device registration link is invalid, used or expired; ask IT for a new one"))
    return enrolment


def _descriptor(device: DeviceCredential) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in device.transports or []:
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(device.credential_id), transports=transports or None
    )


def registration_options(enrolment: DeviceEnrolment, rp: RelyingParty, challenge: bytes) -> dict[str, Any]:
    """``PublicKeyCredentialCreationOptions`` as JSON for the browser (binary values in base64url)."""
    member = enrolment.member
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=member.pk.bytes,
        user_name=member.email,
        user_display_name=f"{member.name} ({enrolment.device_name})",
        challenge=challenge,
        timeout=CEREMONY_TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(d) for d in live_devices(member)],
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def new_challenge() -> bytes:
    return secrets.token_bytes(32)


def register_device(
    token: str, credential: str | dict[str, Any], *, challenge: bytes, rp: RelyingParty
) -> DeviceCredential:
    """Finish the registration ceremony: verify the browser's answer and bind the credential."""
    enrolment = find_enrolment(token)
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=False,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise Invalid(
            _("the device's answer could not be verified; open the link again on the device"),
            field="credential",
        ) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    transports = [t.value for t in (parsed.response.transports or [])]
    with tenant_transaction(enrolment.tenant_id):
        locked = (
            DeviceEnrolment.objects.for_tenant(enrolment.tenant_id).select_for_update().get(pk=enrolment.pk)
        )
        if locked.used_at is not None or locked.expires_at <= now():
            raise NotFound(
                _("this device registration link is invalid, used or expired; ask IT for a new one")
            )
        taken = DeviceCredential.objects.for_tenant(enrolment.tenant_id).filter(credential_id=credential_id)
        if taken.exists():
            raise Conflict(_("this device key is already registered"), field="credential")
        member = enrolment.member
        device = DeviceCredential.objects.create(
            tenant_id=enrolment.tenant_id,
            member=member,
            name=enrolment.device_name,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            aaguid=str(verified.aaguid or ""),
            transports=transports,
            registered_by_id=enrolment.created_by_id,
        )
        locked.used_at = now()
        locked.save(update_fields=["used_at", "updated_at"])
        actor: Actor = member
        if enrolment.created_by_id is not None:
            actor = (
                Member.objects.for_tenant(enrolment.tenant_id).filter(pk=enrolment.created_by_id).first()
                or member
            )
        record(
            actor,
            "device.registered",
            target=device,
            after=device.snapshot(),
            member_id=str(member.pk),
            user_verified=verified.user_verified,
            via="enrolment link",
        )
    return device


@tenant_atomic
def revoke_device(actor: Actor, device: DeviceCredential, *, reason: str = "") -> DeviceCredential:
    """The device no longer signs in; sessions it signed in are ended at their next request."""
    require_permission(actor, "device.manage", device.member)
    if device.revoked_at is not None:
        return device
    before = device.snapshot()
    device.revoked_at = now()
    device.save(update_fields=["revoked_at", "updated_at"])
    login_sessions.end(LoginSession.objects.filter(device_credential=device.pk), reason="device revoked")
    record(actor, "device.revoked", target=device, before=before, after=device.snapshot(), reason=reason)
    return device


# ------------------------------------------------------------------------------------------ sign-in
def authentication_options(member: Member, rp: RelyingParty, challenge: bytes) -> dict[str, Any]:
    """``PublicKeyCredentialRequestOptions`` naming the member's live credentials."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=CEREMONY_TIMEOUT_MS,
        allow_credentials=[_descriptor(d) for d in live_devices(member)],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def _refuse_unregistered() -> Forbidden:
    return Forbidden(
        _("this device is not registered for your account: ask IT to register this device"),
        field="credential",
    )


def verify_device_sign_in(
    member: Member, credential: str | dict[str, Any], *, challenge: bytes, rp: RelyingParty
) -> DeviceCredential:
    """Check a sign-in assertion of one of ``member``'s live devices and move its counter forward.

    The counter is compared here rather than by the library so that only an assertion with a valid
    signature can be reported as a copied key (anyone can send a low number)."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise Invalid(_("the device's answer could not be read"), field="credential") from None
    credential_id = bytes_to_base64url(parsed.raw_id)
    device = live_devices(member).filter(credential_id=credential_id).first()
    if device is None:
        raise _refuse_unregistered()
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=bytes(device.public_key),
            credential_current_sign_count=0,
            require_user_verification=False,
        )
    except WebAuthnException:
        raise Forbidden(_("the device's answer could not be verified"), field="credential") from None
    presented = verified.new_sign_count
    with tenant_transaction(member.tenant_id):
        locked = live_devices(member).select_for_update().filter(pk=device.pk).first()
        if locked is None:
            raise _refuse_unregistered()
        cloned = (presented > 0 or locked.sign_count > 0) and presented <= locked.sign_count
        if cloned:
            record(
                member,
                "device.clone_suspected",
                target=locked,
                stored_count=locked.sign_count,
                presented_count=presented,
            )
            _open_clone_incident(member, locked, presented)
        else:
            locked.sign_count = presented
            locked.last_used_at = now()
            locked.save(update_fields=["sign_count", "last_used_at", "updated_at"])
    if cloned:
        raise Forbidden(
            _(
                "this device's signature counter went backwards, so its key may have been copied; the "
                "sign-in is refused and your company's log notes it. Contact IT."
            ),
            field="credential",
        )
    return locked


def _open_clone_incident(member: Member, device: DeviceCredential, presented: int) -> None:
    """A copied key is a compromised credential: a high-severity incident with the 24-hour clock."""
    incidents.open_incident(
        SystemActor(member.tenant_id, "company devices"),
        kind=IncidentKind.SUSPICIOUS_LOGIN,
        severity=Severity.HIGH,
        title=_("Copied device key suspected: %(device)s of %(name)s")
        % {"device": device.name, "name": member.name},
        subject=member,
        evidence=[
            {
                "type": CLONE_EVIDENCE,
                "device_id": str(device.pk),
                "device": device.name,
                "stored_count": device.sign_count,
                "presented_count": presented,
                "at": now().isoformat(),
            }
        ],
    )


# --------------------------------------------------------------------------------- settings check
def check_company_devices_only(actor: Actor, proposed: SecuritySettings) -> tuple[str, str] | None:
    """Switching "company devices only" on without a device of one's own would lock the administrator
    doing it out at their next sign-in."""
    if not proposed.company_devices_only or settings_of(actor.tenant_id).company_devices_only:
        return None
    if not isinstance(actor, Member):
        return None
    if not live_devices(actor).exists():
        return (
            "company_devices_only",
            _("register a company device for yourself first: with this on you could not sign in without one"),
        )
    return None
