"""Fixtures of the API tests: two companies, and in the first one every kind of object an endpoint names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from harbour.core.models import Account
from harbour.directory import actions
from harbour.directory.models import Department, Member, MemberState, Role, RoleGrant
from harbour.plans.models import Subscription
from tests.api.helpers import ApiClient, api_as, issue_token
from tests.factories import Company, make_member
from tests.procurement.builders import procurement_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Accounts made by the factories hash a password; Argon2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """Company A (``a``) with a member holding no role, an invited and a suspended member, an empty
    department, a custom role nobody holds and one somebody holds; company B (``b``) beside it.
    Both administrators are platform operators running their own company."""

    a: Company
    b: Company
    nobody: Member
    invited: Member
    suspended: Member
    empty_department: Department
    spare_role: Role
    held_role: Role
    grant: RoleGrant
    admin_token_id: str = ""
    clients: dict[str, ApiClient] = field(default_factory=dict)
    # procurement: a reseller, a quote awaiting sign-off, and its two signatories
    reseller_id: str = ""
    quote_id: str = ""
    legal: Member | None = None
    infosec: Member | None = None

    def client(self, who: str) -> ApiClient:
        """``admin``, ``manager``, ``member``, ``nobody``, ``legal``, ``infosec`` (company A) or ``other``
        (company B's admin)."""
        if who not in self.clients:
            member = {
                "admin": self.a.admin,
                "manager": self.a.manager,
                "member": self.a.member,
                "outsider": self.a.outsider,
                "nobody": self.nobody,
                "other": self.b.admin,
                "legal": self.legal,
                "infosec": self.infosec,
            }[who]
            assert member is not None
            self.clients[who] = api_as(member, issued_by=self.a.system if who == "nobody" else None)
        return self.clients[who]

    def ids_of_a(self) -> set[str]:
        """Every id of company A, to check none of them leaks to company B."""
        from harbour.audit.models import AuditEvent
        from harbour.identity.models import ApiToken

        ids = {str(self.a.tenant.id)}
        for model in (Department, Member, Role, RoleGrant, ApiToken, AuditEvent):
            ids |= {str(pk) for pk in model.objects.for_tenant(self.a.tenant).values_list("pk", flat=True)}
        return ids


def _make_operator(company: Company) -> None:
    assert company.admin is not None and company.admin.account is not None
    account: Account = company.admin.account
    account.is_operator = True
    account.save(update_fields=["is_operator"])
    company.tenant.operator = account
    company.tenant.save(update_fields=["operator"])


@pytest.fixture
def world(company: Company, other_company: Company) -> World:
    _make_operator(company)
    _make_operator(other_company)
    domain = company.tenant.email_domains[0]
    nobody = make_member(
        company,
        name="Nora Nobody",
        email=f"nora@{domain}",
        departments=[company.departments["hr"]],
        role=None,
    )
    invited = make_member(
        company,
        name="Ivan Invited",
        email=f"ivan@{domain}",
        departments=[company.departments["accounts"]],
        state=MemberState.INVITED,
        with_login=False,
        role=None,
    )
    suspended = make_member(
        company, name="Sam Suspended", email=f"sam@{domain}", departments=[company.departments["accounts"]]
    )
    actions.suspend_member(company.system, suspended, reason="on leave")
    empty = actions.create_department(company.system, name="Projects", name_zh="項目部")
    spare = actions.create_role(company.system, name="Auditors", permissions=["audit.view"])
    held = actions.create_role(
        company.system, name="Payroll clerks", permissions=["member.view_private"], requires_scope=True
    )
    assert company.member is not None
    grant = actions.grant_role(
        company.system, company.member, held, scope=company.departments["finance"], reason="month end"
    )
    for each in (company, other_company):  # a downgrade waiting for the end of the period, to cancel
        sub = Subscription.objects.for_tenant(each.tenant).get()
        sub.scheduled_plan, sub.scheduled_seats, sub.scheduled_term = sub.plan, 900, sub.term
        sub.save()
    w = World(
        a=company,
        b=other_company,
        nobody=nobody,
        invited=invited,
        suspended=suspended,
        empty_department=empty,
        spare_role=spare,
        held_role=held,
        grant=grant,
    )
    procurement = procurement_world(company)
    w.reseller_id, w.quote_id = str(procurement.reseller.id), str(procurement.quote.id)
    w.legal, w.infosec = procurement.signatories.legal, procurement.signatories.infosec
    w.client("admin")
    from harbour.identity.models import ApiToken

    w.admin_token_id = str(ApiToken.objects.for_tenant(company.tenant).get(member=company.admin).pk)
    return w


@pytest.fixture
def other_admin_api(other_company: Company) -> ApiClient:
    assert other_company.admin is not None
    return api_as(other_company.admin)


__all__ = ["World", "issue_token"]
