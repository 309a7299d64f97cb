"""The DingTalk client a connection talks through, built from the connection's own settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from harbour.integrations.dingtalk.client import DingTalkClient
from harbour.integrations.dingtalk.models import Connection

ClientFactory = Callable[[Connection], DingTalkClient]

_override: list[ClientFactory] = []


def client_for(connection: Connection, *, timeout: float = 10.0, max_retries: int = 5) -> DingTalkClient:
    """A client for the connection's app: its base URLs, its AppKey/AppSecret and its QPS limit (the
    client keeps every API under it). Tests may substitute their own factory with ``clients_made_by``."""
    if _override:
        return _override[-1](connection)
    return DingTalkClient(
        connection.app_key,
        connection.app_secret,
        oapi_base_url=connection.oapi_base_url,
        api_base_url=connection.api_base_url,
        qps_per_api=connection.qps_limit,
        timeout=timeout,
        max_retries=max_retries,
    )


@contextmanager
def clients_made_by(factory: ClientFactory) -> Iterator[None]:
    """Within the block, ``client_for`` answers what ``factory`` makes (a test's own client)."""
    _override.append(factory)
    try:
        yield
    finally:
        _override.remove(factory)
