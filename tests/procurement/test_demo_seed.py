"""The demo company starts with the three resellers of the buying guide (to be re-verified), a sample quote,
and the Legal and Information Security sign-off roles held by two different people who can sign in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from harbour.core.models import Tenant
from harbour.core.permissions import can
from harbour.demo.seed import DEMO_SLUG, seed_demo
from harbour.directory.models import Member, RoleGrant
from harbour.procurement.models import Quote, Reseller
from harbour.procurement.queries import checklist_of


@pytest.mark.django_db
def test_demo_company_has_resellers_roles_and_a_quote(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    logins = {login.role: login for login in seed_demo()}
    tenant = Tenant.objects.get(slug=DEMO_SLUG)
    resellers = {r.name: r for r in Reseller.objects.for_tenant(tenant)}
    assert set(resellers) == {
        "Global Digital Cyber (GDC Hong Kong)",
        "TechSphere HK",
        "Accounting Master Limited",
    }
    assert {r.status for r in resellers.values()} == {"to_reverify"}
    assert "Alibaba Cloud Ecosystem Partner" in resellers["Accounting Master Limited"].notes

    quote = Quote.objects.for_tenant(tenant).get()
    checklist = checklist_of(quote)
    assert not checklist.approvable and {f.code for f in checklist.red_flags} >= {"no_certificate", "no_sla"}

    holders = {
        g.role.name: g.member
        for g in RoleGrant.objects.for_tenant(tenant).filter(role__name__in=["Legal", "Information Security"])
    }
    legal, infosec = holders["Legal"], holders["Information Security"]
    assert legal != infosec
    assert can(legal, "procurement.sign_legal", quote) and not can(legal, "procurement.sign_infosec", quote)
    assert can(infosec, "procurement.sign_infosec", quote)

    login = logins["Legal sign-off"]
    assert Member.objects.for_tenant(tenant).get(email=login.email) == legal
    client = Client()
    assert client.post("/login/", {"email": login.email, "password": login.password}).status_code == 302
    assert "TS-Q-2025-031" in client.get("/procurement/").content.decode()
