"""Registry of typed audit event kinds: stable dotted names in the past tense."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class EventKind:
    name: str
    description: Promise | str


KINDS: dict[str, EventKind] = {}


def register(name: str, description: Promise | str) -> EventKind:
    """Declare an event kind once (apps do it at import). A kind's name never changes."""
    if name in KINDS and KINDS[name].description != description:
        raise ValueError(f"audit kind {name!r} registered twice with different descriptions")
    kind = EventKind(name, description)
    KINDS[name] = kind
    return kind


def get(name: str) -> EventKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unregistered audit kind {name!r}: declare it with audit.kinds.register") from None
