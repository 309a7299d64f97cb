"""What a leaver hands to their successor: one hook per app for what it owns.

The registry sits in core, the bottom layer, so that every app can plug in whatever its layer: the lifecycle
app registers the directory's roles, the collaborators app the collaborators the leaver sponsored (later the
drive's files, chat's groups). The leaver action (``lifecycle.leavers.freeze_leaver``) chooses the successor
and calls ``hand_over`` inside its transaction; each hook answers a short summary for the departure's record.

Core cannot import the directory, so leaver and successor are typed loosely here: both are
``directory.Member`` rows of the actor's company.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harbour.core.permissions import Actor

# (actor, leaver, successor) → what was handed over (JSON-serialisable, e.g. a list of short descriptions)
HandoverHook = Callable[[Actor, Any, Any], Any]

_HOOKS: dict[str, HandoverHook] = {}


def register_handover(name: str, hook: HandoverHook) -> None:
    """Register (or replace) the hook called ``name``; its answer is kept under that name."""
    _HOOKS[name] = hook


def hand_over(actor: Actor, leaver: Any, successor: Any | None) -> dict[str, Any]:
    """Run every hook, in registration order (inside the leaver action's transaction). Without a
    successor nothing is handed over."""
    if successor is None:
        return {}
    return {name: hook(actor, leaver, successor) for name, hook in _HOOKS.items()}
