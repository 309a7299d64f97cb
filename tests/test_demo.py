"""The demo company is seeded once, with ~200 members and working logins."""

from __future__ import annotations

from django.test import Client

from harbour.audit.chain import verify
from harbour.audit.models import AuditEvent
from harbour.core.models import Tenant
from harbour.demo.seed import DEMO_SLUG, seed_demo
from harbour.directory.models import Department, Member


def test_demo_seed(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    logins = seed_demo()
    tenant = Tenant.objects.get(slug=DEMO_SLUG)
    members = Member.objects.for_tenant(tenant)
    assert 190 <= members.count() <= 220
    assert Department.objects.for_tenant(tenant).count() >= 8
    assert all(m.name_zh for m in members.exclude(is_external=True).exclude(title="Platform operator"))
    assert {login.role for login in logins} >= {
        "Administrator",
        "Department Manager",
        "General Member",
        "External collaborator",
        "Platform operator",
    }
    assert seed_demo() == logins  # a rerun keeps what exists
    assert Member.objects.for_tenant(tenant).count() == members.count()
    assert verify(AuditEvent.objects.for_tenant(tenant).order_by("seq")).intact
    for login in logins:
        client = Client()
        response = client.post("/login/", {"email": login.email, "password": login.password})
        assert response.status_code == 302, login.role
        assert client.get("/").status_code == 200


def test_demo_security_pages(db, settings, tmp_path):
    """The demo's security settings, domains, baseline and incident register show real data."""
    settings.DATA_DIR = tmp_path
    logins = seed_demo()
    admin = next(login for login in logins if login.role == "Administrator")
    client = Client()
    assert client.post("/login/", {"email": admin.email, "password": admin.password}).status_code == 302
    domains = client.get("/security/domains/").content.decode()
    assert "harbourdemo.hk" in domains and "harbour-verification=" in domains
    baseline = client.get("/security/baseline/").content.decode()
    assert "HB.DEV.1v1" in baseline and "accepted until" in baseline
    incidents = client.get("/security/incidents/").content.decode()
    assert "Burst of refused passwords" in incidents and "overdue" in incidents.lower()
    assert "security baseline score" in client.get("/").content.decode()


def test_demo_lifecycle_pages(db, settings, tmp_path):
    """The demo shows an HR file waiting to be applied, a rule, a collaborator waiting for the Sales Manager
    and an open access review."""
    settings.DATA_DIR = tmp_path
    logins = seed_demo()

    def signed_in(role: str) -> Client:
        login = next(login for login in logins if login.role == role)
        client = Client()
        assert client.post("/login/", {"email": login.email, "password": login.password}).status_code == 302
        return client

    admin = signed_in("Administrator")
    imports = admin.get("/lifecycle/imports/").content.decode()
    assert "hr-export-2026-11.csv" in imports and "Planned (dry run)" in imports
    assert "Sales" in admin.get("/lifecycle/rules/").content.decode()
    assert "Two Records" in admin.get("/lifecycle/reconciliation/").content.decode()  # the disputed record
    assert "Q4 2026 admin and manager review" in admin.get("/reviews/campaigns/").content.decode()
    manager = signed_in("Department Manager")
    assert "Winnie Wong" in manager.get("/collaborators/").content.decode()
