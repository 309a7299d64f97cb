"""Access tokens cached for the whole process, one per DingTalk app, renewed before they expire.

DingTalk throttles frequent token requests and answers the same token while it is valid, so every client of
one app shares one cache entry. The key holds the API base URL, the AppKey and a digest of the AppSecret: a
client given a wrong secret must not borrow the token fetched with the right one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

REFRESH_MARGIN = 300.0  # seconds before expiry at which a token is renewed


@dataclass(frozen=True)
class CachedToken:
    token: str
    expires_at: float  # on the cache's clock
    refresh_at: float


TokenKey = tuple[str, str, str]


def token_key(api_base_url: str, app_key: str, app_secret: str) -> TokenKey:
    digest = hashlib.sha256(app_secret.encode()).hexdigest()[:16]
    return (api_base_url.rstrip("/"), app_key, digest)


class TokenCache:
    """Thread-safe token store; ``get`` fetches at most once per key at a time."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, margin: float = REFRESH_MARGIN
    ) -> None:
        self.clock = clock
        self.margin = margin
        self._entries: dict[TokenKey, CachedToken] = {}
        self._locks: dict[TokenKey, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock_for(self, key: TokenKey) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: TokenKey, fetch: Callable[[], tuple[str, float]]) -> str:
        """The cached token, or a new one from ``fetch() -> (token, lifetime in seconds)``."""
        entry = self._entries.get(key)
        if entry is not None and self.clock() < entry.refresh_at:
            return entry.token
        with self._lock_for(key):
            entry = self._entries.get(key)  # another thread may have renewed it meanwhile
            if entry is not None and self.clock() < entry.refresh_at:
                return entry.token
            fetched_at = self.clock()
            token, lifetime = fetch()
            margin = min(self.margin, lifetime / 4)
            self._entries[key] = CachedToken(
                token=token, expires_at=fetched_at + lifetime, refresh_at=fetched_at + lifetime - margin
            )
            return token

    def drop(self, key: TokenKey, token: str | None = None) -> None:
        """Forget a token DingTalk refused (only that one, if given: a fresher one may already be cached)."""
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None and (token is None or entry.token == token):
                del self._entries[key]

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()


PROCESS_TOKENS = TokenCache()
