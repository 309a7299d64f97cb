"""A Premium company's data moves to its own database and back: every row, verified, with the API, the
console sign-in and new writes following it; other companies and lower plans are not affected."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test import Client

from harbour.audit.chain import verify
from harbour.audit.models import AuditEvent
from harbour.cli import main
from harbour.core.databases import forget_placements
from harbour.core.errors import Conflict, Invalid, NotEntitled
from harbour.core.models import Tenant
from harbour.directory import actions
from harbour.directory.actions.placement import company_models, count_company_rows, move_company_data
from harbour.directory.models import Department, Member
from tests.api.helpers import api_as, body
from tests.factories import Company, make_company, subscribe

pytestmark = pytest.mark.django_db(databases=["default", "dedicated"], transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_placements() -> None:
    forget_placements()


def _rows_in(alias: str, tenant: Tenant) -> int:
    return sum(m._base_manager.using(alias).filter(tenant_id=tenant.pk).count() for m in company_models())


def _premium(slug: str) -> Company:
    company = make_company(slug, domains=[f"{slug}.hk"])
    subscribe(company.tenant, "premium", seats=500)
    return company


def test_round_trip_moves_every_row_and_keeps_the_chain(capsys: Any) -> None:
    company = _premium("vault")
    neighbour = make_company("neighbour", domains=["neighbour.hk"])
    api = api_as(company.admin)  # type: ignore[arg-type]
    before = count_company_rows(company.tenant)
    neighbour_rows = count_company_rows(neighbour.tenant)
    assert before > 20

    assert main(["tenant", "move", "vault", "--to", "dedicated"]) == 0
    assert "verified" in capsys.readouterr().out
    tenant = Tenant.objects.get(pk=company.tenant.pk)
    assert tenant.database == "dedicated" and tenant.database_moving_to == ""
    assert _rows_in("default", tenant) == 0
    assert _rows_in("dedicated", tenant) == before + 1  # + the audit entry of the move
    assert _rows_in("default", neighbour.tenant) == neighbour_rows  # nobody else moved

    # the API (token found in the dedicated database), reads and new writes all follow the company
    forget_placements()
    names = {m["name"] for m in body(api.get("/members", limit=50))["items"]}
    assert "Ada Admin" in names
    created = body(api.post("/departments", {"name": "Vault Operations"}))
    assert Department._base_manager.using("dedicated").filter(pk=created["id"]).exists()
    assert not Department._base_manager.using("default").filter(pk=created["id"]).exists()

    # signing in to the console finds the member in the dedicated database
    assert company.admin is not None and company.admin.account is not None
    client = Client()
    client.force_login(company.admin.account)
    assert client.get("/members/").status_code == 200

    events = list(AuditEvent.objects.for_tenant(tenant).order_by("seq"))
    assert verify(events).intact
    assert events[-1].kind == "department.created"
    assert any(e.kind == "tenant.database_moved" for e in events)

    # and back again
    forget_placements()
    report = move_company_data(tenant, "default")
    assert report.source == "dedicated" and report.target == "default"
    forget_placements()
    tenant.refresh_from_db()
    assert tenant.database == "default"
    assert _rows_in("dedicated", tenant) == 0
    assert verify(list(AuditEvent.objects.for_tenant(tenant).order_by("seq"))).intact
    assert Member.objects.for_tenant(tenant).filter(email="admin@vault.hk").exists()


def test_only_premium_gets_a_dedicated_database(capsys: Any) -> None:
    company = make_company("modest", domains=["modest.hk"])
    subscribe(company.tenant, "professional")
    with pytest.raises(NotEntitled) as caught:
        move_company_data(company.tenant, "dedicated")
    assert "Premium" in caught.value.message
    assert main(["tenant", "move", "modest", "--to", "dedicated"]) == 2
    assert "Premium" in capsys.readouterr().err
    assert _rows_in("dedicated", company.tenant) == 0
    assert Tenant.objects.get(pk=company.tenant.pk).database_moving_to == ""


def test_unknown_database_and_same_database_are_refused() -> None:
    company = _premium("picky")
    with pytest.raises(Invalid) as caught:
        move_company_data(company.tenant, "elsewhere")
    assert caught.value.field == "database"
    with pytest.raises(Conflict):
        move_company_data(company.tenant, "default")


def test_writes_wait_while_a_move_runs() -> None:
    company = _premium("paused")
    Tenant.objects.filter(pk=company.tenant.pk).update(database_moving_to="dedicated")
    forget_placements()
    with pytest.raises(Conflict) as caught:
        actions.create_department(company.system, name="During the move")
    assert caught.value.field == "database"
    assert not Department.objects.for_tenant(company.tenant).filter(name="During the move").exists()


def test_an_interrupted_copy_leaves_the_source_in_charge(monkeypatch: Any) -> None:
    company = _premium("crashy")
    rows = count_company_rows(company.tenant)
    import harbour.directory.actions.placement as placement

    def broken_fingerprint(model: Any, alias: str, tenant_id: Any) -> tuple[int, str]:
        return (0, alias)  # the copy never matches

    monkeypatch.setattr(placement, "_fingerprint", broken_fingerprint)
    with pytest.raises(Conflict):
        move_company_data(company.tenant, "dedicated")
    tenant = Tenant.objects.get(pk=company.tenant.pk)
    assert (tenant.database, tenant.database_moving_to) == ("default", "")
    assert count_company_rows(tenant) == rows and _rows_in("dedicated", tenant) == 0
    monkeypatch.undo()
    forget_placements()
    assert move_company_data(tenant, "dedicated").total >= rows  # and a rerun completes


def test_downgrade_is_refused_while_the_data_is_dedicated() -> None:
    company = _premium("locked")
    move_company_data(company.tenant, "dedicated")
    forget_placements()
    api = api_as(company.admin)  # type: ignore[arg-type]
    response = api.request("put", "/subscription", {"plan": "professional", "seats": 500, "term": "annual"})
    assert response.status_code == 409
    assert "dedicated database" in body(response)["detail"]
    assert connections["dedicated"].vendor in ("sqlite", "postgresql")
