"""Rate limits (reference §11): per app per API in a sliding one-second window, the monthly call quota
with the
contacts exemption, and the custom robot's 20 messages a minute with its ten-minute penalty."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    """At most ``limit`` admitted arrivals in any ``span`` seconds per key; refused arrivals do not count."""

    def __init__(self, limit: int | None, span: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.span = span
        self._clock = clock
        self._arrivals: dict[tuple[str, str], deque[float]] = {}

    def admit(self, key: tuple[str, str]) -> bool:
        if self.limit is None:
            return True
        now = self._clock()
        arrivals = self._arrivals.get(key)
        if arrivals is None:
            arrivals = self._arrivals[key] = deque()
        horizon = now - self.span
        while arrivals and arrivals[0] <= horizon:
            arrivals.popleft()
        if len(arrivals) >= self.limit:
            return False
        arrivals.append(now)
        return True

    def clear(self) -> None:
        self._arrivals.clear()


class MonthlyQuota:
    """Calls per calendar month (UTC) on APIs outside the exempt set (tokens and the whole contacts set)."""

    def __init__(self, limit: int | None, clock: Callable[[], float]):
        self.limit = limit
        self._clock = clock
        self._month = ""
        self.used = 0

    def admit(self) -> bool:
        if self.limit is None:
            return True
        month = time.strftime("%Y-%m", time.gmtime(self._clock()))
        if month != self._month:
            self._month, self.used = month, 0
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def clear(self) -> None:
        self._month, self.used = "", 0


class RobotLimiter:
    """``per_minute`` messages in any 60 seconds; going over refuses everything for ``penalty`` seconds."""

    def __init__(self, per_minute: int, penalty: float, clock: Callable[[], float]):
        self.per_minute = per_minute
        self.penalty = penalty
        self._clock = clock
        self._sent: deque[float] = deque()
        self.penalised_until = 0.0

    def admit(self) -> bool:
        now = self._clock()
        if now < self.penalised_until:
            return False
        while self._sent and self._sent[0] <= now - 60.0:
            self._sent.popleft()
        if len(self._sent) >= self.per_minute:
            self.penalised_until = now + self.penalty
            return False
        self._sent.append(now)
        return True

    def clear(self) -> None:
        self._sent.clear()
        self.penalised_until = 0.0
