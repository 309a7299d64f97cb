"""Console pages of company devices: a member's device inventory (IT), the enrolment link opened on the
device, and the sign-in step that asks the device to sign."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.models import Member
from harbour.directory.queries import get_member_for
from harbour.directory.views.base import ConsoleRequest
from harbour.identity import devices, login, policy, totp
from harbour.identity.models import DeviceEnrolment
from harbour.identity.totp_views import pending_or_restart

ENROL_CHALLENGE_KEY = "harbour_device_enrol_challenge"
SIGN_IN_CHALLENGE_KEY = "harbour_device_sign_in_challenge"


# ------------------------------------------------------------------------------------ inventory (IT)
def _inventory(request: ConsoleRequest, member: Member, status: int = 200, **extra: object) -> HttpResponse:
    actor = request.actor
    authenticator = totp.authenticator_of(member.account)
    context: dict[str, object] = {
        "member": member,
        "devices": list(devices.devices_of(member)),
        "totp_confirmed": authenticator is not None and authenticator.is_confirmed,
        "may_reset_totp": authenticator is not None and can(actor, "security.manage", member),
        "enrolment_minutes": devices.ENROLMENT_MINUTES,
        "errors": {},
        "enrolment_url": None,
        "enrolment": None,
    }
    context.update(extra)
    return render(request, "identity/member_devices.html", context, status=status)


@member_required
def member_devices(request: ConsoleRequest, member_id: str) -> HttpResponse:
    member = get_member_for(request.actor, member_id, "device.manage")
    return _inventory(request, member)


@require_POST
@member_required
def device_enrolment_create(request: ConsoleRequest, member_id: str) -> HttpResponse:
    member = get_member_for(request.actor, member_id, "device.manage")
    try:
        enrolment, token = devices.create_enrolment(
            request.actor, member, device_name=request.POST.get("device_name", "")
        )
    except HarbourError as exc:
        return _inventory(request, member, 400, errors={exc.field or "device_name": exc.message})
    url = request.build_absolute_uri(reverse("identity:device_enrol", args=[token]))
    return _inventory(request, member, enrolment_url=url, enrolment=enrolment)


@require_POST
@member_required
def device_revoke(request: ConsoleRequest, device_id: str) -> HttpResponse:
    device = devices.get_device_for(request.actor, device_id)
    devices.revoke_device(request.actor, device, reason=request.POST.get("reason", ""))
    messages.success(request, _("The device %(name)s can no longer sign in.") % {"name": device.name})
    return redirect("identity:member_devices", member_id=device.member_id)


# --------------------------------------------------------------------------- enrolment on the device
def device_enrol(request: HttpRequest, token: str) -> HttpResponse:
    """Opened on the company device: no sign-in needed, the one-time link is the permission."""
    try:
        enrolment = devices.find_enrolment(token)
    except HarbourError as exc:
        return render(request, "identity/device_enrol_invalid.html", {"message": exc.message}, status=404)
    rp = devices.relying_party(request)
    error = ""
    if request.method == "POST":
        challenge = request.session.pop(ENROL_CHALLENGE_KEY, None)
        if not challenge or challenge.get("enrolment") != str(enrolment.pk):
            error = _("the registration took too long; try again")
        else:
            try:
                device = devices.register_device(
                    token,
                    request.POST.get("credential", ""),
                    challenge=base64url_to_bytes(challenge["challenge"]),
                    rp=rp,
                )
            except HarbourError as exc:
                error = exc.message
            else:
                return render(request, "identity/device_enrolled.html", {"device": device})
    return _enrol_page(request, enrolment, rp, error)


def _enrol_page(
    request: HttpRequest, enrolment: DeviceEnrolment, rp: devices.RelyingParty, error: str
) -> HttpResponse:
    challenge = devices.new_challenge()
    request.session[ENROL_CHALLENGE_KEY] = {
        "enrolment": str(enrolment.pk),
        "challenge": bytes_to_base64url(challenge),
    }
    context = {
        "enrolment": enrolment,
        "member": enrolment.member,
        "options": devices.registration_options(enrolment, rp, challenge),
        "error": error,
    }
    return render(request, "identity/device_enrol.html", context, status=400 if error else 200)


# ------------------------------------------------------------------------------------ sign-in step
def login_device(request: HttpRequest) -> HttpResponse:
    found = pending_or_restart(request)
    if found is None:
        return redirect("identity:login")
    _pending, member = found
    rp = devices.relying_party(request)
    if not devices.live_devices(member).exists():
        return render(request, "identity/login_device.html", {"no_device": True}, status=403)
    error = ""
    if request.method == "POST" and login.step_locked(request, member):
        error = login.lockout_message()
    elif request.method == "POST":
        challenge = request.session.pop(SIGN_IN_CHALLENGE_KEY, None)
        if not challenge or challenge.get("member") != str(member.pk):
            error = _("the device check took too long; try again")
        else:
            try:
                device = devices.verify_device_sign_in(
                    member,
                    request.POST.get("credential", ""),
                    challenge=base64url_to_bytes(challenge["challenge"]),
                    rp=rp,
                )
                target = login.satisfy(request, policy.FACTOR_DEVICE, device_credential=device.pk)
            except HarbourError as exc:
                error = exc.message
                login.note_step_failure(request, member, "device")
            else:
                return redirect(target)
    challenge_bytes = devices.new_challenge()
    request.session[SIGN_IN_CHALLENGE_KEY] = {
        "member": str(member.pk),
        "challenge": bytes_to_base64url(challenge_bytes),
    }
    context = {
        "no_device": False,
        "options": devices.authentication_options(member, rp, challenge_bytes),
        "error": error,
    }
    return render(request, "identity/login_device.html", context, status=403 if error else 200)
