"""The custom group robot webhook ``POST /robot/send`` (reference §8): signature, timestamp, keyword and IP
checks (all → errcode 310000), message-type validation, 20 messages a minute with a ten-minute penalty, and
``msgUuid`` idempotency. Accepted messages are kept in ``messages``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from tests.dingtalk_emulator.envelopes import OapiError
from tests.dingtalk_emulator.routing import Request, Route, route
from tests.dingtalk_emulator.throttle import RobotLimiter

TOKEN_UNKNOWN = 300005  # observed live; the docs list 400101/400106
SECURITY = 310000
BAD_MESSAGE = 400105
CONTENT_TYPE = 43004
TOO_FAST = 660026  # observed live; the docs list 410100


def robot_sign(secret: str, timestamp_ms: int | str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def _has(section: Any, *keys: str) -> bool:
    return isinstance(section, dict) and all(isinstance(section.get(k), str) and section[k] for k in keys)


def _text_of(message: dict[str, Any]) -> str | None:
    """The text keywords are looked for in, or None when the message is malformed for its msgtype."""
    kind = message.get("msgtype")
    section: Any = message.get(kind) if isinstance(kind, str) else None
    if kind == "text" and _has(section, "content"):
        return str(section["content"])
    if kind == "markdown" and _has(section, "title", "text"):
        return f"{section['title']}\n{section['text']}"
    if kind == "link" and _has(section, "title", "text", "messageUrl"):
        return f"{section['title']}\n{section['text']}"
    if kind == "actionCard" and _has(section, "title", "text"):
        buttons = section.get("btns")
        single = _has(section, "singleTitle", "singleURL")
        listed = isinstance(buttons, list) and buttons and all(_has(b, "title", "actionURL") for b in buttons)
        return f"{section['title']}\n{section['text']}" if single or listed else None
    if kind == "feedCard" and isinstance(section, dict):
        links = section.get("links")
        if isinstance(links, list) and links and all(_has(link, "title", "messageURL") for link in links):
            return "\n".join(link["title"] for link in links)
    return None


class RobotWebhook:
    def __init__(
        self,
        *,
        token: str | None,
        secret: str | None,
        keywords: Iterable[str] = (),
        ip_whitelist: Iterable[str] = (),
        per_minute: int = 20,
        penalty_seconds: float = 600,
        clock: Callable[[], float],
    ):
        self.token = token
        self.secret = secret
        self.keywords = tuple(keywords)
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in ip_whitelist]
        self.clock = clock
        self.limiter = RobotLimiter(per_minute, penalty_seconds, clock)
        self.messages: list[dict[str, Any]] = []
        self._uuids: set[str] = set()

    def clear(self) -> None:
        self.messages.clear()
        self._uuids.clear()
        self.limiter.clear()

    def _check_signature(self, query: dict[str, str]) -> None:
        if not self.secret:
            return
        try:
            timestamp = int(query.get("timestamp", ""))
        except ValueError:
            raise OapiError(SECURITY, "invalid timestamp") from None
        if abs(self.clock() * 1000 - timestamp) > 3_600_000:
            raise OapiError(SECURITY, "invalid timestamp")
        expected = unquote_plus(robot_sign(self.secret, timestamp))
        if not hmac.compare_digest(query.get("sign", ""), expected):
            raise OapiError(SECURITY, "sign not match")

    def send(self, req: Request) -> dict[str, Any]:
        if not self.token or req.query.get("access_token") != self.token:
            raise OapiError(TOKEN_UNKNOWN, "token is not exist")
        if not req.headers.get("content-type", "").startswith("application/json"):
            raise OapiError(CONTENT_TYPE, "Content-Type must be application/json")
        self._check_signature(req.query)
        if self.networks and not any(ipaddress.ip_address(req.client_ip) in n for n in self.networks):
            raise OapiError(SECURITY, f"ip not in whitelist: {req.client_ip}")
        message = req.json()
        text = _text_of(message)
        if text is None:
            raise OapiError(BAD_MESSAGE, "invalid msgtype or missing content")
        if self.keywords and not any(keyword in text for keyword in self.keywords):
            raise OapiError(SECURITY, "keywords not in content")
        uuid = message.get("msgUuid")
        if isinstance(uuid, str) and uuid in self._uuids:
            return {}
        if not self.limiter.admit():
            raise OapiError(TOO_FAST, "sending too many messages per minute")
        if isinstance(uuid, str):
            self._uuids.add(uuid)
        self.messages.append(message)
        return {}

    def routes(self) -> list[Route]:
        return [route("POST", "/robot/send", self.send, authenticated=False, throttled=False)]
