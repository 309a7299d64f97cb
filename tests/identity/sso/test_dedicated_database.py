"""A Premium company in its own database: the connection and the provider links stay in the registry, the
work accounts (found, created just in time) and their log entries in the company's database."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.databases import forget_placements
from harbour.directory.actions.placement import move_company_data
from harbour.directory.models import Member, MemberState
from harbour.identity.models import LoginSession, SsoConnection
from harbour.security.models import TenantDomain
from tests.factories import make_company, subscribe
from tests.identity.sso.helpers import (
    IDP_PASSWORD,
    oidc_connection,
    sso_round_trip,
    start_sso,
    verify_domain,
)

pytestmark = pytest.mark.django_db(databases=["default", "dedicated"], transaction=True)


@pytest.fixture(autouse=True)
def _fresh_placements() -> None:
    forget_placements()


def test_sso_into_a_company_in_its_own_database(oidc_provider: Any) -> None:
    company = make_company("vault", domains=["vault.hk"])
    subscribe(company.tenant, "premium", seats=500)
    verify_domain(company, "vault.hk")
    move_company_data(company.tenant, "dedicated")
    forget_placements()
    connection = oidc_connection(company, oidc_provider, just_in_time=True)
    assert SsoConnection._base_manager.using("default").filter(pk=connection.pk).exists()
    # the verified domains are registry rows, read from the default database for a company anywhere
    assert TenantDomain.objects.for_tenant(company.tenant).filter(name="vault.hk").db == "default"
    member = company.member
    assert member is not None
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    oidc_provider.add_user("newbie@vault.hk", IDP_PASSWORD, "New Bie")

    for email in (member.email, "newbie@vault.hk"):
        client = Client()
        response = sso_round_trip(client, start_sso(client, email), email)
        assert response.status_code == 302 and response["Location"] == "/", response.content[:300]

    created = Member._base_manager.using("dedicated").get(email="newbie@vault.hk")
    assert created.state == MemberState.ACTIVE
    assert not Member._base_manager.using("default").filter(tenant_id=company.tenant.pk).exists()
    events = AuditEvent._base_manager.using("dedicated").filter(tenant_id=company.tenant.pk)
    kinds = set(events.values_list("kind", flat=True))
    assert {"sso.connection_created", "sso.member_provisioned", "login.succeeded"} <= kinds
    assert LoginSession.objects.filter(tenant_id=company.tenant.pk, method="sso").count() == 2

    assert company.admin is not None
    admin = Client()
    admin.force_login(company.admin.account)
    assert connection.name in admin.get("/security/sso/").content.decode()
