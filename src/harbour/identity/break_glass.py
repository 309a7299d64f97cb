"""A break-glass sign-in is never quiet: it opens a security incident for IT compliance to review."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from harbour.core.permissions import SystemActor
from harbour.directory.models import Member
from harbour.identity.models import LoginMethod
from harbour.identity.policy import Proof
from harbour.identity.signals import signed_in
from harbour.security.incidents import open_incident
from harbour.security.models import IncidentKind, Severity


def _on_signed_in(sender: Any, *, member: Member, proof: Proof, **kwargs: Any) -> None:
    if proof.method != LoginMethod.BREAK_GLASS:
        return
    open_incident(
        SystemActor(member.tenant_id, "break-glass sign-in"),
        kind=IncidentKind.BREAK_GLASS,
        severity=Severity.MEDIUM,
        title=_("Break-glass sign-in by %(name)s") % {"name": member.name},
        subject=member,
        evidence=[{"what": "break-glass sign-in", "ip": proof.ip, "factors": sorted(proof.factors)}],
    )


signed_in.connect(_on_signed_in, dispatch_uid="harbour.identity.break_glass")
