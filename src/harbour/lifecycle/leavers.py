"""A leaver is frozen at once: the account suspended (its API tokens go with it), every session of it in the
company ended, its company devices revoked. Handing over rights and files is the next step (lifecycle)."""

from __future__ import annotations

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.permissions import Actor, require_permission
from harbour.directory.actions import suspend_member
from harbour.directory.actions.members import deactivate_member
from harbour.directory.models import Member, MemberState
from harbour.identity.devices import live_devices, revoke_device
from harbour.identity.session_actions import sign_member_out_everywhere


@tenant_atomic
def freeze_leaver(actor: Actor, member: Member, *, reason: str = "") -> Member:
    """Suspend (an invited account that never joined is deactivated), end sessions, revoke devices."""
    require_permission(actor, "member.suspend", member)
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
    record(
        actor,
        "member.left",
        target=member,
        state_before=before,
        sessions=sessions,
        devices=devices,
        reason=reason,
    )
    return member
