"""Signals other parts listen to (login risk detection): sent after the sign-in's transaction."""

from __future__ import annotations

from django.dispatch import Signal

# sender=None; kwargs: request, member, login_session, proof
signed_in = Signal()
# sender=None; kwargs: request, email, ip, failures (inside the lockout window, this one included), members
sign_in_refused = Signal()
