"""Request and response shapes of the second-factor API (v1): TOTP status and company devices."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from harbour.identity.models import DeviceCredential


class TotpStatusOut(Schema):
    enabled: bool = Field(description="an authenticator app is set up and confirmed")
    confirmed_at: dt.datetime | None
    recovery_codes_left: int
    required_by: str | None = Field(description="a company that requires a second factor of the caller")


class TotpResetIn(Schema):
    reason: str = ""


class TotpResetOut(Schema):
    reset: bool = Field(description="false when the member had no authenticator")


class DeviceOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    name: str
    created_at: dt.datetime
    registered_by_id: uuid.UUID | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_live: bool
    aaguid: str
    transports: list[str]

    @classmethod
    def of(cls, device: DeviceCredential) -> DeviceOut:
        return cls(
            id=device.id,
            member_id=device.member_id,
            name=device.name,
            created_at=device.created_at,
            registered_by_id=device.registered_by_id,
            last_used_at=device.last_used_at,
            revoked_at=device.revoked_at,
            is_live=device.revoked_at is None,
            aaguid=device.aaguid,
            transports=list(device.transports or []),
        )


class DevicePage(Schema):
    items: list[DeviceOut]
    next_cursor: str | None


class EnrolmentIn(Schema):
    device_name: str


class EnrolmentOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    device_name: str
    expires_at: dt.datetime
    url: str = Field(description="shown once: open it on the device; only a hash is stored")


class DeviceRevokeIn(Schema):
    reason: str = ""
