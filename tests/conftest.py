"""Shared test fixtures: tenants with the built-in roles and members holding them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from harbour.directory.models import Member
from tests.api.helpers import ApiClient, api_as
from tests.factories import Company, make_company


@pytest.fixture
def company(db) -> Company:  # type: ignore[no-untyped-def]
    return make_company("acme", domains=["acme.com.hk"])


@pytest.fixture
def other_company(db) -> Company:  # type: ignore[no-untyped-def]
    return make_company("globex", domains=["globex.com.hk"])


@pytest.fixture
def as_member() -> Callable[[Member], Client]:
    """A browser signed in to the console as the member (any test directory may use it)."""

    def login(member: Member) -> Client:
        client = Client()
        assert member.account is not None
        client.force_login(member.account)
        return client

    return login


@pytest.fixture(autouse=True)
def _clear_login_throttle() -> None:
    from django.core.cache import cache

    cache.clear()


# API clients acting as the company's members (any test directory may use them).
@pytest.fixture
def admin_api(company: Company) -> ApiClient:
    assert company.admin is not None
    return api_as(company.admin)


@pytest.fixture
def member_api(company: Company) -> ApiClient:
    assert company.member is not None
    return api_as(company.member)


@pytest.fixture
def manager_api(company: Company) -> ApiClient:
    assert company.manager is not None
    return api_as(company.manager)


@pytest.fixture(scope="session")
def dns_server():  # type: ignore[no-untyped-def]
    """A DNS server on loopback answering TXT queries from ``dns_server.records``."""
    from tests.dns_server import running_txt_server

    with running_txt_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _local_dns(settings, dns_server) -> None:  # type: ignore[no-untyped-def]
    """Domain verification asks the test's DNS server, never the machine's resolver."""
    settings.HARBOUR_DNS_SERVERS = ["127.0.0.1"]
    settings.HARBOUR_DNS_PORT = dns_server.port
    dns_server.clear()
