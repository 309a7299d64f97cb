"""Response envelopes of the two API families (reference §0, §13.4) and the errors handlers raise.

Legacy ``oapi`` answers HTTP 200 with ``errcode``/``errmsg``/``request_id`` (and ``result`` or other top-level
keys); authentication, permission and throttling failures are wrapped as ``errcode 88`` with a ``sub_code``.
The new ``api`` family answers a bare object on success and ``{code, message, requestid}`` with a 4xx/5xx
status.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any


class OapiError(Exception):
    """A legacy-host failure: HTTP 200 (unless ``http_status`` says otherwise) with a non-zero errcode."""

    def __init__(self, errcode: int, errmsg: str, *, sub_code: str | None = None, http_status: int = 200):
        super().__init__(f"{errcode} {sub_code or ''} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.sub_code = sub_code
        self.http_status = http_status

    @property
    def code(self) -> str:
        return self.sub_code if self.sub_code else str(self.errcode)


def wrapped(sub_code: str, sub_msg: str) -> OapiError:
    """The errcode 88 wrapper the gateway uses for auth, permission and throttling failures."""
    return OapiError(88, sub_msg, sub_code=sub_code)


class ApiError(Exception):
    """A new-host failure: ``{code, message, requestid}`` with a 4xx/5xx status."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


@dataclass
class Response:
    status: int
    body: Any
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


def new_request_id() -> str:
    return secrets.token_hex(7)


def oapi_ok(fields: dict[str, Any]) -> Response:
    body: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
    body.update(fields)
    body["request_id"] = new_request_id()
    return Response(200, body)


def oapi_failure(error: OapiError) -> Response:
    body: dict[str, Any] = {"errcode": error.errcode}
    if error.sub_code is not None:
        body["sub_code"] = error.sub_code
        body["sub_msg"] = error.errmsg
        body["errmsg"] = f"ding talk error[subcode={error.sub_code},submsg={error.errmsg}]"
    else:
        body["errmsg"] = error.errmsg
    body["request_id"] = new_request_id()
    return Response(error.http_status, body)


def api_ok(body: Any) -> Response:
    return Response(200, body)


def api_failure(error: ApiError) -> Response:
    return Response(
        error.status, {"code": error.code, "message": error.message, "requestid": new_request_id()}
    )


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields: DingTalk omits them rather than sending null (§2.3)."""
    return {key: value for key, value in fields.items() if value is not None and value != "" and value != []}
