"""The emulator's custom robot webhook (reference §8): signature, timestamp, keywords, IP, msgtype, rate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.robot import robot_sign

TEXT = {"msgtype": "text", "text": {"content": "Alert: disk full"}}


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def send(
    emu: Emulator,
    message: dict[str, Any],
    *,
    token: str = "robottoken",
    secret: str = "SECrobotsecret",
    timestamp: int | None = None,
    sign: str | None = None,
) -> dict[str, Any]:
    stamp = timestamp if timestamp is not None else int(emu.clock() * 1000)
    query = f"access_token={token}&timestamp={stamp}&sign={sign or robot_sign(secret, stamp)}"
    response = httpx.post(f"{emu.url}/robot/send?{query}", json=message)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_signed_message_is_accepted_and_recorded(dingtalk_emulator: Emulator) -> None:
    assert send(dingtalk_emulator, TEXT)["errcode"] == 0
    assert dingtalk_emulator.robot_messages == [TEXT]


def test_security_failures_are_310000(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    emu = make_dingtalk_emulator(robot_keywords=("Alert",))
    now = int(emu.clock() * 1000)
    assert send(emu, TEXT, secret="wrong")["errcode"] == 310000
    assert send(emu, TEXT, timestamp=now - 3_700_000)["errcode"] == 310000
    assert send(emu, {"msgtype": "text", "text": {"content": "no keyword"}})["errcode"] == 310000
    assert send(emu, TEXT, token="unknown")["errcode"] == 300005
    assert emu.robot_messages == []
    blocked = make_dingtalk_emulator(robot_ip_whitelist=("10.0.0.0/8",))
    assert send(blocked, TEXT)["errcode"] == 310000


def test_message_types_are_validated(dingtalk_emulator: Emulator) -> None:
    good = [
        {"msgtype": "markdown", "markdown": {"title": "T", "text": "# hi"}},
        {"msgtype": "link", "link": {"title": "T", "text": "x", "messageUrl": "https://e.invalid"}},
        {
            "msgtype": "actionCard",
            "actionCard": {"title": "T", "text": "x", "singleTitle": "Go", "singleURL": "https://e.invalid"},
        },
        {"msgtype": "feedCard", "feedCard": {"links": [{"title": "T", "messageURL": "https://e.invalid"}]}},
    ]
    for message in good:
        assert send(dingtalk_emulator, message)["errcode"] == 0
    assert send(dingtalk_emulator, {"msgtype": "video", "video": {}})["errcode"] == 400105
    assert send(dingtalk_emulator, {"msgtype": "text", "text": {}})["errcode"] == 400105


def test_twenty_a_minute_then_a_ten_minute_penalty(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    clock = Clock()
    emu = make_dingtalk_emulator(clock=clock)
    assert all(send(emu, TEXT)["errcode"] == 0 for _ in range(20))
    assert send(emu, TEXT)["errcode"] == 660026
    clock.now += 61
    assert send(emu, TEXT)["errcode"] == 660026  # still penalised
    clock.now += 600
    assert send(emu, TEXT)["errcode"] == 0
    assert len(emu.robot_messages) == 21


def test_msg_uuid_makes_a_resend_idempotent(dingtalk_emulator: Emulator) -> None:
    message = {**TEXT, "msgUuid": "incident-42"}
    assert send(dingtalk_emulator, message)["errcode"] == 0
    assert send(dingtalk_emulator, message)["errcode"] == 0
    assert dingtalk_emulator.robot_messages == [message]
