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
    return new_ids(1)[0]


def new_ids(count: int) -> list[uuid.UUID]:
    """``count`` fresh UUIDv7s in order, made at once (a bulk insert's keys): one clock reading, one read of
    the random source."""
    global _last
    with _lock:
        millis = time.time_ns() // 1_000_000
        last_millis, sequence = _last
        if millis <= last_millis:  # same millisecond (or the clock stepped back): count on from the last
            millis, sequence = last_millis, sequence + 1
        else:
            sequence = 0
        stamps = []
        for _ in range(count):
            if sequence > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
                millis, sequence = millis + 1, 0
            stamps.append((millis & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | sequence << 64 | 0b10 << 62)
            sequence += 1
        _last = (millis, sequence - 1)
    noise = secrets.token_bytes(8 * count)
    return [
        _uuid(stamp | int.from_bytes(noise[i * 8 : i * 8 + 8], "big") >> 2) for i, stamp in enumerate(stamps)
    ]


def _uuid(value: int) -> uuid.UUID:
    """``uuid.UUID(int=value)`` without its argument checks (the value is built here, always valid)."""
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
    return made
