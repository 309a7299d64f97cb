"""The two token endpoints (reference §1): legacy ``GET /gettoken`` and new ``POST
/v1.0/oauth2/accessToken``."""

from __future__ import annotations

import hmac
from typing import Any

from tests.dingtalk_emulator.envelopes import ApiError, OapiError
from tests.dingtalk_emulator.routing import Request, Route, route
from tests.dingtalk_emulator.tokens import TokenStore


def token_routes(tokens: TokenStore, appkey: str, appsecret: str) -> list[Route]:
    def matches(key: Any, secret: Any) -> bool:
        return (
            isinstance(key, str)
            and isinstance(secret, str)
            and hmac.compare_digest(key, appkey)
            and hmac.compare_digest(secret, appsecret)
        )

    def gettoken(req: Request) -> dict[str, Any]:
        key, secret = req.query.get("appkey"), req.query.get("appsecret")
        if not key or not secret:
            raise OapiError(40035, "missing parameter appkey or appsecret")
        if not matches(key, secret):
            raise OapiError(40096, "invalid appkey or appsecret")
        token, lifetime = tokens.issue()
        return {"access_token": token, "expires_in": lifetime}

    def access_token(req: Request) -> dict[str, Any]:
        body = req.json()
        if not matches(body.get("appKey"), body.get("appSecret")):
            raise ApiError(400, "invalidClientIdOrSecret", "invalid client id or secret")
        token, lifetime = tokens.issue()
        return {"accessToken": token, "expireIn": lifetime}

    return [
        route("GET|POST", "/gettoken", gettoken, authenticated=False),
        route("POST", "/v1.0/oauth2/accessToken", access_token, authenticated=False),
    ]
