"""A leaver is frozen at once: rights handed to a successor, the account suspended (its API tokens go with
it), every session of it in the company ended, its company devices revoked, deactivation scheduled and the
former-employee retention clock started (HR-FORMER-7Y: erase by the end of employment + 7 years)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict
from harbour.core.handover import hand_over
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.actions import suspend_member
from harbour.directory.actions.members import deactivate_member, reactivate_member
from harbour.directory.models import Member, MemberState
from harbour.identity.devices import live_devices, revoke_device
from harbour.identity.session_actions import sign_member_out_everywhere
from harbour.lifecycle.handover import successor_for
from harbour.lifecycle.models import Departure
from harbour.lifecycle.rules import drop_all_grants, grant_by_rules

DEACTIVATE_AFTER_DAYS = 30
RETENTION_YEARS = 7  # HR-FORMER-7Y


def erase_by(left_on: dt.date) -> dt.date:
    try:
        return left_on.replace(year=left_on.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return left_on.replace(year=left_on.year + RETENTION_YEARS, day=28)


@tenant_atomic
def freeze_leaver(
    actor: Actor,
    member: Member,
    *,
    left_on: dt.date | None = None,
    successor: Member | None = None,
    reason: str = "",
) -> Departure:
    """Hand over, suspend (an invited account that never joined is deactivated), end sessions, revoke
    devices, schedule deactivation, start the retention clock."""
    require_permission(actor, "member.suspend", member)
    open_departure = Departure.objects.for_tenant(member.tenant_id).filter(
        member=member, rehired_at__isnull=True
    )
    existing = open_departure.first()
    if existing is not None:  # HR said so twice: the first departure stands
        return existing
    if member.state == MemberState.DEACTIVATED:
        raise Conflict(_("%(name)s has left already") % {"name": member.name}, field="member_id")
    left_on = left_on or today_in_hong_kong()
    taker = successor_for(actor, member, successor)
    handed = hand_over(actor, member, taker)
    before = member.state
    if member.state == MemberState.INVITED:
        deactivate_member(actor, member, reason=reason or "left before joining")
    elif member.state == MemberState.ACTIVE:
        suspend_member(actor, member, reason=reason or "left the company")
    sessions = sign_member_out_everywhere(actor, member, reason="leaver")
    devices = 0
    for device in list(live_devices(member)):
        revoke_device(actor, device, reason="leaver")
        devices += 1
    departure = Departure.objects.create(
        tenant_id=member.tenant_id,
        member=member,
        left_on=left_on,
        successor=taker,
        deactivate_on=left_on + dt.timedelta(days=DEACTIVATE_AFTER_DAYS),
        deactivated_at=now() if member.state == MemberState.DEACTIVATED else None,
        erase_by=erase_by(left_on),
        handover=handed,
    )
    record(
        actor,
        "member.left",
        target=member,
        after=departure.snapshot(),
        state_before=before,
        sessions=sessions,
        devices=devices,
        reason=reason,
    )
    return departure


@tenant_atomic
def rehire(actor: Actor, member: Member, *, reason: str = "") -> Member:
    """A former employee comes back: the account is reactivated with fresh rights — whatever it held before
    is dropped and the role rules give what the current department and title justify."""
    departure = (
        Departure.objects.for_tenant(member.tenant_id).filter(member=member, rehired_at__isnull=True).first()
    )
    reactivate_member(actor, member, reason=reason or "rehired")
    drop_all_grants(actor, member, reason="rehired: rights are given afresh")
    member.forget_access()
    grant_by_rules(actor, member)
    if departure is not None:
        departure.rehired_at = now()
        departure.save(update_fields=["rehired_at", "updated_at"])
    return member


def deactivate_departed(tenant_id: uuid.UUID, *, today: dt.date | None = None) -> int:
    """Deactivate leavers whose grace period ended (the daily job; idempotent)."""
    today = today or today_in_hong_kong()
    system = SystemActor(tenant_id, "leaver deactivation")
    due = Departure.objects.for_tenant(tenant_id).filter(
        deactivate_on__lte=today, deactivated_at__isnull=True, rehired_at__isnull=True
    )
    done = 0
    for departure in due.select_related("member"):
        _deactivate(system, departure)
        done += 1
    return done


@tenant_atomic
def _deactivate(actor: Actor, departure: Departure) -> None:
    member = departure.member
    if member.state == MemberState.SUSPENDED:
        deactivate_member(actor, member, reason="leaver: grace period ended")
    departure.deactivated_at = now()
    departure.save(update_fields=["deactivated_at", "updated_at"])
