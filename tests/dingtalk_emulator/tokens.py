"""App access tokens (reference §1): one token per app, valid on both hosts, re-issued unchanged (and
extended)
while it is still valid."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from enum import Enum


class TokenState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class TokenStore:
    def __init__(self, lifetime: int, clock: Callable[[], float]):
        self.lifetime = lifetime
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._current: str | None = None
        self.issued = 0

    def issue(self) -> tuple[str, int]:
        """The app's token and its lifetime in seconds; a valid token is returned again, with a new expiry."""
        now = self._clock()
        token = self._current
        if token is None or self._expiry.get(token, 0.0) <= now:
            token = secrets.token_hex(16)
            self._current = token
            self.issued += 1
        self._expiry[token] = now + self.lifetime
        return token, self.lifetime

    def state(self, token: str) -> TokenState:
        expiry = self._expiry.get(token)
        if expiry is None:
            return TokenState.UNKNOWN
        return TokenState.VALID if expiry > self._clock() else TokenState.EXPIRED

    def expire_all(self) -> None:
        now = self._clock()
        for token in self._expiry:
            self._expiry[token] = now
        self._current = None

    def clear(self) -> None:
        self._expiry.clear()
        self._current = None
