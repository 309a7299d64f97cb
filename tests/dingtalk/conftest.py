"""DingTalk test fixtures: an emulator per test, on a free loopback port, stopped afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.dingtalk_emulator import Emulator

EMULATOR_DEFAULTS: dict[str, Any] = {
    "appkey": "dingappkey",
    "appsecret": "dingsecret",
    "corp_id": "dingcorp",
    "robot_token": "robottoken",
    "robot_secret": "SECrobotsecret",
}


@pytest.fixture
def make_dingtalk_emulator() -> Iterator[Callable[..., Emulator]]:
    """A factory: ``make_dingtalk_emulator(qps_per_api=None, scopes={...})`` returns a started emulator with
    the standard credentials unless overridden; every emulator it made is stopped after the test."""
    started: list[Emulator] = []

    def make(**overrides: Any) -> Emulator:
        emulator = Emulator(**{**EMULATOR_DEFAULTS, **overrides})
        emulator.start(host="127.0.0.1", port=0)
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()


@pytest.fixture
def dingtalk_emulator(
    request: pytest.FixtureRequest, make_dingtalk_emulator: Callable[..., Emulator]
) -> Emulator:
    """A started emulator; parametrize indirectly (``request.param`` = a dict of options) to configure it."""
    options = getattr(request, "param", None) or {}
    return make_dingtalk_emulator(**options)
