"""The legacy ``oapi`` host over plain HTTP: POST JSON with ``?access_token=``, errors inside an HTTP 200.

The official SDK does not cover these paths (all directory CRUD lives here). An answer is an envelope
``{"errcode", "errmsg", "request_id", "result"}``; authentication and throttling errors come wrapped as
errcode 88 with the real code in ``sub_code``.
"""

from __future__ import annotations

from typing import Any

import httpx

from .errors import DingTalkError, ServerError, error_for

BUSY = -1
WRAPPED = 88
CONNECTION_ERROR = "connection_error"


def _as_int(value: Any) -> int | None:
    """Documentation examples print numbers as strings; live answers use JSON numbers. Accept both."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_envelope(path: str, response: httpx.Response) -> dict[str, Any]:
    """The envelope of a successful call, or the matching DingTalkError."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if status >= 500:
            raise ServerError(f"http_{status}", response.text[:200], api=path, http_status=status)
        raise DingTalkError(f"http_{status}", response.text[:200], api=path, http_status=status)
    request_id = body.get("request_id") or body.get("requestid")
    errcode = _as_int(body.get("errcode"))
    if errcode is None and "code" in body:  # an api-style error answered on the oapi host (gateways)
        raise error_for(
            body["code"], str(body.get("message", "")), api=path, http_status=status, request_id=request_id
        )
    if status >= 500 and errcode in (None, 0):
        raise ServerError(
            f"http_{status}", str(body)[:200], api=path, http_status=status, request_id=request_id
        )
    if errcode in (None, 0) and status < 400:
        return body
    if errcode == WRAPPED and body.get("sub_code"):
        code: str | int = str(body["sub_code"])
        message = str(body.get("sub_msg") or body.get("errmsg") or "")
    else:
        code = errcode if errcode is not None else f"http_{status}"
        message = str(body.get("errmsg") or "")
    raise error_for(code, message, api=path, http_status=status, request_id=request_id)


class OapiTransport:
    """Sends one request to the legacy host; knows nothing about retries or tokens' lifetimes."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def post(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.post(path, params={"access_token": token}, json=body)
        except httpx.TransportError as exc:
            raise ServerError(CONNECTION_ERROR, repr(exc), api=path) from exc
        return parse_envelope(path, response)

    def close(self) -> None:
        self.http.close()
