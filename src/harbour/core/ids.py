"""Time-ordered row ids for bulk writes (UUID version 7, RFC 9562).

A random (version 4) key lands on a random page of the primary-key index, so a load of 100,000 rows
touches pages all over every index and each commit writes most of them again. Version 7 ids start with the
millisecond clock, so a batch fills the right-hand end of the index instead. Ids stay UUIDs, unique and
unguessable enough (62 random bits; access never depends on the id being secret).
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last = (0, 0)  # (milliseconds, sequence) of the newest id handed out


def new_id() -> uuid.UUID:
    """A fresh UUIDv7; ids from one process sort in the order they were made."""
    global _last
    with _lock:
        millis = time.time_ns() // 1_000_000
        last_millis, sequence = _last
        if millis <= last_millis:  # same millisecond (or the clock stepped back): count on from the last
            millis, sequence = last_millis, sequence + 1
            if sequence > 0xFFF:
                millis, sequence = millis + 1, 0
        else:
            sequence = 0
        _last = (millis, sequence)
    value = (millis & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | sequence << 64 | 0b10 << 62
    return uuid.UUID(int=value | secrets.randbits(62))
