"""A DingTalk custom group robot's webhook: signed POSTs to ``/robot/send``.

The signature is HMAC-SHA256 keyed with the robot's secret over ``"{timestamp}\\n{secret}"``, Base64 and then
URL-encoded; DingTalk accepts it within an hour of its clock. Pacing (20 messages a minute per robot) belongs
to the caller's outbox; this module only reports a throttled robot as ``RobotThrottled``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import httpx

from ..models import DEFAULT_OAPI_BASE_URL
from .errors import ROBOT_THROTTLE_CODES, RobotError, RobotThrottled
from .oapi import CONNECTION_ERROR

ROBOT_PATH = "/robot/send"


def sign(secret: str, timestamp_ms: int) -> str:
    """The ``sign`` query value for a timestamp in milliseconds (already URL-encoded)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


class RobotSender:
    """Posts messages (``{"msgtype": "markdown", "markdown": {...}}``...) to one robot."""

    def __init__(
        self,
        token: str,
        secret: str,
        *,
        oapi_base_url: str = DEFAULT_OAPI_BASE_URL,
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self.token = token
        self.secret = secret
        self.oapi_base_url = oapi_base_url.rstrip("/")
        self.clock = clock
        self.timeout = timeout

    def url(self) -> str:
        """The webhook address signed now (the signature is already URL-encoded, so it is joined as is)."""
        timestamp = int(self.clock() * 1000)
        return (
            f"{self.oapi_base_url}{ROBOT_PATH}?access_token={quote_plus(self.token)}"
            f"&timestamp={timestamp}&sign={sign(self.secret, timestamp)}"
        )

    def send(self, message: dict[str, Any]) -> None:
        """Deliver one message; ``msgUuid`` in the message (DingTalk's idempotency key) travels with it."""
        try:
            response = httpx.post(self.url(), json=message, timeout=self.timeout)
        except httpx.TransportError as exc:
            raise RobotError(CONNECTION_ERROR, repr(exc)) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise RobotError(
                f"http_{response.status_code}", response.text[:200], http_status=response.status_code
            )
        code = str(body.get("errcode", f"http_{response.status_code}"))
        if code == "0":
            return
        error = RobotThrottled if code in ROBOT_THROTTLE_CODES else RobotError
        raise error(code, str(body.get("errmsg", "")), http_status=response.status_code)
