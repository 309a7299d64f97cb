"""React to directory events: a frozen or ended account loses its tokens in the same transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from harbour.directory.models import MemberState
from harbour.directory.signals import member_state_changed
from harbour.identity.tokens import revoke_all_for


@receiver(member_state_changed)
def revoke_tokens_of_frozen_member(sender: Any, member: Any, before: str, after: str, **_: Any) -> None:
    if after in (MemberState.SUSPENDED, MemberState.DEACTIVATED):
        revoke_all_for(member)
