"""Keeps each (app, API) under DingTalk's per-API rate limit, so an evenly paced client is never throttled.

A sliding window: at most ``qps`` calls of one API in any ``window + margin`` seconds. A call's slot is
stamped with the moment its answer came back (not when it was sent): DingTalk counts a request at some moment
between the two, so measuring the window from the later one keeps any ``qps + 1`` calls more than a second
apart as DingTalk sees them, whatever the network delay.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

WINDOW = 1.0
SAFETY_MARGIN = 0.05
IN_FLIGHT_POLL = 0.01


class _Slot:
    __slots__ = ("done_at",)

    def __init__(self) -> None:
        self.done_at: float | None = None  # None while the call is in flight


LimiterKey = tuple[str, ...]


class RateLimiter:
    """Per-key sliding windows; ``qps`` None or 0 switches limiting off."""

    def __init__(
        self,
        qps: int | None,
        *,
        window: float = WINDOW,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.qps = qps
        self.span = window + margin
        self.clock = clock
        self.sleep = sleep
        self.waits = 0  # how many times a caller had to wait (for tests and figures)
        self._slots: dict[LimiterKey, deque[_Slot]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, key: LimiterKey) -> Iterator[None]:
        """Wait for room under the limit, hold a slot during the call, stamp it when the answer is back."""
        if not self.qps:
            yield
            return
        taken = self._take(key)
        try:
            yield
        finally:
            with self._lock:
                taken.done_at = self.clock()

    def _take(self, key: LimiterKey) -> _Slot:
        assert self.qps
        while True:
            with self._lock:
                slots = self._slots.setdefault(key, deque())
                now = self.clock()
                while slots and slots[0].done_at is not None and slots[0].done_at + self.span <= now:
                    slots.popleft()
                if len(slots) < self.qps:
                    taken = _Slot()
                    slots.append(taken)
                    return taken
                oldest = slots[0].done_at
                wait = IN_FLIGHT_POLL if oldest is None else oldest + self.span - now
                self.waits += 1
            self.sleep(max(wait, 0.0))


_SHARED: dict[int | None, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(qps: int | None) -> RateLimiter:
    """The process-wide limiter for one rate, so clients of the same app share their windows."""
    with _SHARED_LOCK:
        if qps not in _SHARED:
            _SHARED[qps] = RateLimiter(qps)
        return _SHARED[qps]
