"""One call to DingTalk, made well: under the rate limit, retried on throttling and outages, re-authenticated
once on a refused token. Both API families (legacy oapi over httpx, the new API through the SDK) go through
``CallRunner.run``, so the rules cannot drift apart."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from .errors import ServerError, Throttled, TokenInvalid
from .ratelimit import LimiterKey, RateLimiter

T = TypeVar("T")

BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each time
BACKOFF_CAP = 8.0


@dataclass
class ClientStats:
    """What a client sent: requests (retries included), throttled answers, retries, requests per API path."""

    calls: int = 0
    throttled: int = 0
    retries: int = 0
    per_api: dict[str, int] = field(default_factory=dict)


class CallRunner:
    """Runs ``send(token)`` for one API with the limiter, the retry policy and the token refresh."""

    def __init__(
        self,
        *,
        limiter: RateLimiter,
        limiter_scope: tuple[str, ...],
        token: Callable[[], str],
        drop_token: Callable[[str], None],
        max_retries: int,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = BACKOFF_BASE,
    ) -> None:
        self.limiter = limiter
        self.limiter_scope = limiter_scope
        self.token = token
        self.drop_token = drop_token
        self.max_retries = max_retries
        self.sleep = sleep
        self.backoff_base = backoff_base
        self.stats = ClientStats()
        self._stats_lock = threading.Lock()

    def backoff(self, attempt: int) -> float:
        """Exponential with jitter: between half and all of base × 2^attempt, capped."""
        ceiling = min(BACKOFF_CAP, self.backoff_base * (2**attempt))
        return ceiling * (0.5 + random.random() / 2)

    def _count(self, api: str, *, throttled: bool = False, retry: bool = False) -> None:
        with self._stats_lock:
            if retry:
                self.stats.retries += 1
            elif throttled:
                self.stats.throttled += 1
            else:
                self.stats.calls += 1
                self.stats.per_api[api] = self.stats.per_api.get(api, 0) + 1

    def send_once(self, api: str, send: Callable[[], T]) -> T:
        """One request under the limiter, counted; no retry (used for the token itself)."""
        key: LimiterKey = (*self.limiter_scope, api)
        with self.limiter.slot(key):
            self._count(api)
            try:
                return send()
            except Throttled:
                self._count(api, throttled=True)
                raise

    def run(self, api: str, send: Callable[[str], T], *, authenticated: bool = True) -> T:
        attempt = 0
        refreshed = False
        while True:
            token = self.token() if authenticated else ""
            try:
                return self.send_once(api, partial(send, token))
            except TokenInvalid:
                if not authenticated or refreshed:
                    raise
                refreshed = True
                self.drop_token(token)
                self._count(api, retry=True)
                continue
            except (Throttled, ServerError):
                if attempt >= self.max_retries:
                    raise
            self._count(api, retry=True)
            self.sleep(self.backoff(attempt))
            attempt += 1
