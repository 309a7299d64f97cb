"""The group robot sender against the emulator's webhook: signed messages accepted, every security failure
reported as RobotError 310000, a robot sending too fast as RobotThrottled."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from urllib.parse import quote_plus

import pytest

from harbour.integrations.dingtalk.client import RobotError, RobotSender, RobotThrottled, sign
from tests.dingtalk_emulator import Emulator

MESSAGE = {"msgtype": "markdown", "markdown": {"title": "Harbour incident", "text": "**Harbour**: disk full"}}


def sender_for(
    emu: Emulator, *, secret: str = "SECrobotsecret", clock: Callable[[], float] = time.time
) -> RobotSender:
    return RobotSender("robottoken", secret, oapi_base_url=emu.url, clock=clock)


def test_signature_follows_dingtalks_recipe() -> None:
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    assert sign("SECabc", 1700000000000) == quote_plus(base64.b64encode(digest).decode())


def test_a_signed_message_is_accepted(dingtalk_emulator: Emulator) -> None:
    sender_for(dingtalk_emulator).send(MESSAGE)
    assert dingtalk_emulator.robot_messages == [MESSAGE]


def test_msg_uuid_travels_with_the_message(dingtalk_emulator: Emulator) -> None:
    message = {**MESSAGE, "msgUuid": "incident-42"}
    sender = sender_for(dingtalk_emulator)
    sender.send(message)
    sender.send(message)  # a retry of the same message is accepted once
    assert dingtalk_emulator.robot_messages == [message]


def test_a_wrong_secret_is_refused_with_310000(dingtalk_emulator: Emulator) -> None:
    with pytest.raises(RobotError) as caught:
        sender_for(dingtalk_emulator, secret="SECwrong").send(MESSAGE)
    assert caught.value.code == "310000"
    assert not isinstance(caught.value, RobotThrottled)
    assert dingtalk_emulator.robot_messages == []


def test_a_clock_an_hour_off_is_refused_with_310000(dingtalk_emulator: Emulator) -> None:
    sender = sender_for(dingtalk_emulator, clock=lambda: time.time() - 3700)
    with pytest.raises(RobotError) as caught:
        sender.send(MESSAGE)
    assert caught.value.code == "310000"


def test_a_message_without_a_keyword_is_refused(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    emu = make_dingtalk_emulator(robot_keywords=("Harbour",))
    sender_for(emu).send(MESSAGE)
    with pytest.raises(RobotError) as caught:
        sender_for(emu).send({"msgtype": "text", "text": {"content": "no keyword here"}})
    assert caught.value.code == "310000"
    assert len(emu.robot_messages) == 1


def test_an_unknown_robot_token_is_a_robot_error(dingtalk_emulator: Emulator) -> None:
    sender = RobotSender("nosuchrobot", "SECrobotsecret", oapi_base_url=dingtalk_emulator.url)
    with pytest.raises(RobotError) as caught:
        sender.send(MESSAGE)
    assert caught.value.code == "300005"


def test_a_robot_sending_too_fast_is_throttled(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    emu = make_dingtalk_emulator(robot_per_minute=3)
    sender = sender_for(emu)
    for n in range(3):
        sender.send({"msgtype": "text", "text": {"content": f"Harbour alert {n}"}})
    with pytest.raises(RobotThrottled) as caught:
        sender.send({"msgtype": "text", "text": {"content": "Harbour alert 3"}})
    assert caught.value.code in {"410100", "660026"}
    assert str(caught.value.explanation)
    assert len(emu.robot_messages) == 3
