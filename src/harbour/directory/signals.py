"""Signals the directory sends so higher layers (identity: sessions, tokens) can react without the
directory importing them. Sent inside the action's transaction."""

from django.dispatch import Signal

# sender=Member class; kwargs: member, before (state), after (state)
member_state_changed = Signal()
