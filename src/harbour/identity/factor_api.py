"""REST API v1 of the second factors: the caller's TOTP status, an administrator's reset of a member's
authenticator, and members' company devices (list, enrolment link, revoke)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from harbour.directory.models import Member
from harbour.directory.queries import get_member_for
from harbour.identity import devices, totp
from harbour.identity.factor_schemas import (
    DeviceOut,
    DevicePage,
    DeviceRevokeIn,
    EnrolmentIn,
    EnrolmentOut,
    TotpResetIn,
    TotpResetOut,
    TotpStatusOut,
)

router = Router(tags=["security"])


def _actor(request: HttpRequest) -> Member:
    return request.actor  # type: ignore[attr-defined]


@router.get("/me/totp", response=TotpStatusOut, summary="The caller's authenticator app: on or off")
def my_totp(request: HttpRequest) -> TotpStatusOut:
    actor = _actor(request)
    authenticator = totp.confirmed_authenticator(actor.account)
    required = totp.mfa_required_of(actor.account) if actor.account is not None else None
    return TotpStatusOut(
        enabled=authenticator is not None,
        confirmed_at=authenticator.confirmed_at if authenticator else None,
        recovery_codes_left=totp.recovery_codes_left(authenticator),
        required_by=required.tenant.display_name if required is not None else None,
    )


@router.post(
    "/members/{member_id}/totp/reset",
    response=TotpResetOut,
    summary="Remove a member's authenticator app (a lost phone); they set up a new one",
)
def reset_totp(request: HttpRequest, member_id: uuid.UUID, body: TotpResetIn | None = None) -> TotpResetOut:
    actor = _actor(request)
    member = get_member_for(actor, member_id, "security.manage")
    return TotpResetOut(reset=totp.reset_totp(actor, member, reason=body.reason if body else ""))


@router.get("/members/{member_id}/devices", response=DevicePage, summary="A member's company devices")
def list_devices(request: HttpRequest, member_id: uuid.UUID) -> DevicePage:
    member = get_member_for(_actor(request), member_id, "device.manage")
    return DevicePage(items=[DeviceOut.of(d) for d in devices.devices_of(member)], next_cursor=None)


@router.post(
    "/members/{member_id}/device-enrolments",
    response={201: EnrolmentOut},
    summary="A one-time link (30 minutes, shown once) to register a company device of the member",
)
def create_enrolment(request: HttpRequest, member_id: uuid.UUID, body: EnrolmentIn) -> Status[EnrolmentOut]:
    actor = _actor(request)
    member = get_member_for(actor, member_id, "device.manage")
    enrolment, token = devices.create_enrolment(actor, member, device_name=body.device_name)
    url = request.build_absolute_uri(reverse("identity:device_enrol", args=[token]))
    return Status(
        201,
        EnrolmentOut(
            id=enrolment.id,
            member_id=member.pk,
            device_name=enrolment.device_name,
            expires_at=enrolment.expires_at,
            url=url,
        ),
    )


@router.post("/devices/{device_id}/revoke", response=DeviceOut, summary="Revoke a company device")
def revoke_device(
    request: HttpRequest, device_id: uuid.UUID, body: DeviceRevokeIn | None = None
) -> DeviceOut:
    actor = _actor(request)
    device = devices.get_device_for(actor, device_id)
    return DeviceOut.of(devices.revoke_device(actor, device, reason=body.reason if body else ""))
