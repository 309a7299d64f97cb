"""How plan amounts read: storage in decimal units, as storage is sold (1 TB = 10^12 bytes)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def format_bytes(amount: int | None) -> str:
    if amount is None:
        return _("unlimited")
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if amount >= size:
            return f"{amount / size:.1f} {unit}".replace(".0 ", " ")
    return f"{amount} B"
