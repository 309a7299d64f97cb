"""Template filters of company devices: whether the viewer may open a member's device inventory."""

from __future__ import annotations

from django import template

from harbour.directory.models import Member
from harbour.identity.devices import may_manage_devices as _may_manage_devices

register = template.Library()


@register.filter
def may_manage_devices(actor: Member | None, member: Member) -> bool:
    return _may_manage_devices(actor, member)
