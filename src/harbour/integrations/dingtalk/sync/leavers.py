"""Leavers leave DingTalk too. In leaver mode "at once", a departure recorded in Harbour (an HR leaver frozen
by the lifecycle) or an account deactivated queues the removal from DingTalk as soon as the change commits;
in mode "cycle" the next sync plan removes them. A suspension without a departure is not a leaver."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from harbour.directory.models import Member, MemberState
from harbour.directory.signals import member_state_changed
from harbour.integrations.dingtalk.models import Connection
from harbour.lifecycle.models import Departure


def queue_removal(tenant_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """Enqueue the removal after the commit, when the company removes leavers at once."""
    from harbour.integrations.dingtalk.tasks import remove_leaver_task

    at_once = Connection.objects.for_tenant(tenant_id).filter(
        state=Connection.State.ADOPTED, leaver_mode=Connection.LeaverMode.AT_ONCE
    )
    if not at_once.exists():
        return
    company, member = str(tenant_id), str(member_id)
    transaction.on_commit(lambda: remove_leaver_task.enqueue(tenant_id=company, member_id=member))


def _departure_recorded(sender: Any, instance: Departure, created: bool, **kwargs: Any) -> None:
    if created:
        queue_removal(instance.tenant_id, instance.member_id)


def _state_changed(sender: Any, member: Member, before: str, after: str, **kwargs: Any) -> None:
    if after == MemberState.DEACTIVATED and before != MemberState.DEACTIVATED:
        queue_removal(member.tenant_id, member.pk)


def connect() -> None:
    """Listen for leavers (called once from the app's ``ready``)."""
    post_save.connect(_departure_recorded, sender=Departure, dispatch_uid="dingtalk.leaver_departure")
    member_state_changed.connect(_state_changed, dispatch_uid="dingtalk.leaver_deactivated")
