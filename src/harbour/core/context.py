"""Per-request facts (client address, user agent, request id) that audit events carry."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestFacts:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_DEFAULT = RequestFacts()
_current: contextvars.ContextVar[RequestFacts] = contextvars.ContextVar("harbour_request", default=_DEFAULT)


def current() -> RequestFacts:
    return _current.get()


def bind(facts: RequestFacts) -> contextvars.Token[RequestFacts]:
    return _current.set(facts)


def reset(token: contextvars.Token[RequestFacts]) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
