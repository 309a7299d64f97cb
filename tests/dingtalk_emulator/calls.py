"""HTTP helpers for tests that talk to the emulator directly: a token, and legacy/new calls with it
(one shared keep-alive client: creating an httpx client costs more than a call)."""

from __future__ import annotations

from functools import cache
from typing import Any

import httpx

from tests.dingtalk_emulator.emulator import Emulator


@cache
def http() -> httpx.Client:
    return httpx.Client(timeout=10.0)


def token(emu: Emulator) -> str:
    credentials = {"appkey": emu.appkey, "appsecret": emu.appsecret}
    return str(http().get(f"{emu.url}/gettoken", params=credentials).json()["access_token"])


def oapi(
    emu: Emulator, path: str, body: dict[str, Any] | None = None, *, access_token: str | None = None
) -> dict[str, Any]:
    """POST a legacy call (always HTTP 200) and return its JSON envelope."""
    response = http().post(
        f"{emu.url}{path}", params={"access_token": access_token or token(emu)}, json=body or {}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def api(
    emu: Emulator, method: str, path: str, *, access_token: str | None = None, **kwargs: Any
) -> httpx.Response:
    headers = {"x-acs-dingtalk-access-token": access_token or token(emu)}
    return http().request(method, f"{emu.url}{path}", headers=headers, **kwargs)
