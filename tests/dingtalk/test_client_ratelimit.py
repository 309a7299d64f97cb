"""The per-API limiter and the token cache on a fake clock: counts and fake seconds, never real time."""

from __future__ import annotations

import pytest

from harbour.integrations.dingtalk.client.ratelimit import RateLimiter
from harbour.integrations.dingtalk.client.tokens import TokenCache, token_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def run_calls(
    limiter: RateLimiter, clock: FakeClock, count: int, *, latency: float
) -> list[tuple[float, float]]:
    """Sequential calls of one API; each takes ``latency`` fake seconds. Returns (sent, answered) pairs."""
    spans = []
    for _ in range(count):
        with limiter.slot(("app", "/topapi/v2/user/get")):
            sent = clock.now
            clock.now += latency
        spans.append((sent, clock.now))
    return spans


@pytest.mark.parametrize("latency", [0.0, 0.002, 0.03])
def test_no_one_second_window_ever_holds_more_than_the_limit(latency: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    spans = run_calls(limiter, clock, 200, latency=latency)
    # DingTalk counts a call at some moment between sending and answering: whatever the moment, the 21st
    # call after any call is sent more than one second after the earlier one was answered.
    for earlier, later in zip(spans, spans[20:], strict=False):
        assert later[0] - earlier[1] >= 1.0


def test_an_evenly_paced_client_reaches_ninety_percent_of_the_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    start = clock.now
    run_calls(limiter, clock, 400, latency=0.002)
    achieved = 400 / (clock.now - start)
    assert achieved >= 0.9 * 20


def test_each_api_has_its_own_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    for path in ("/a", "/b", "/c"):
        for _ in range(2):
            with limiter.slot(("app", path)):
                pass
    assert limiter.waits == 0
    with limiter.slot(("app", "/a")):
        pass
    assert limiter.waits >= 1


def test_limiting_can_be_switched_off() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    run_calls(limiter, clock, 100, latency=0.0)
    assert limiter.waits == 0
    assert clock.now == 1000.0


def test_token_is_reused_then_renewed_five_minutes_before_expiry() -> None:
    clock = FakeClock()
    cache = TokenCache(clock=clock)
    key = token_key("https://api.dingtalk.com", "appkey", "secret")
    fetched: list[str] = []

    def fetch() -> tuple[str, float]:
        fetched.append(f"token{len(fetched)}")
        return fetched[-1], 7200.0

    assert cache.get(key, fetch) == "token0"
    clock.now += 6800
    assert cache.get(key, fetch) == "token0"
    clock.now += 150  # 250 s left: inside the 5-minute margin
    assert cache.get(key, fetch) == "token1"
    assert len(fetched) == 2


def test_a_refused_token_is_dropped_but_not_a_fresher_one() -> None:
    clock = FakeClock()
    cache = TokenCache(clock=clock)
    key = token_key("https://api.dingtalk.com", "appkey", "secret")
    tokens = iter(["old", "new", "newer"])
    assert cache.get(key, lambda: (next(tokens), 7200.0)) == "old"
    cache.drop(key, "old")
    assert cache.get(key, lambda: (next(tokens), 7200.0)) == "new"
    cache.drop(key, "old")  # a late report about the old token keeps the new one
    assert cache.get(key, lambda: (next(tokens), 7200.0)) == "new"


def test_a_different_secret_never_borrows_the_cached_token() -> None:
    assert token_key("https://api.dingtalk.com", "k", "right") != token_key(
        "https://api.dingtalk.com", "k", "wrong"
    )
