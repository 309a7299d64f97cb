"""Factories for tests: a company with a small org chart and one member per built-in role."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import factory

from harbour.core.entitlements import forget_entitlements
from harbour.core.models import Account, Tenant
from harbour.core.permissions import SystemActor
from harbour.core.time import add_months, now, today_in_hong_kong
from harbour.directory import actions
from harbour.directory.actions.tenants import create_builtin_roles
from harbour.directory.models import BuiltinRole, Department, Member, MemberState, Role, RoleGrant
from harbour.plans.catalogue import ensure_default_catalogue
from harbour.plans.models import Plan, Subscription

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"company-{n}")
    display_name = factory.Sequence(lambda n: f"Company {n} Ltd")
    email_domains: list[str] = []

    @factory.post_generation
    def roles(obj: Tenant, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            create_builtin_roles(obj)


@dataclass
class Company:
    tenant: Tenant
    system: SystemActor
    roles: dict[str, Role]
    departments: dict[str, Department] = field(default_factory=dict)
    admin: Member | None = None
    manager: Member | None = None
    member: Member | None = None
    outsider: Member | None = None  # a member of another department than the manager's

    def role(self, key: str) -> Role:
        return self.roles[key]


def make_member(
    company: Company,
    *,
    name: str,
    email: str,
    departments: list[Department] | None = None,
    role: str | None = BuiltinRole.GENERAL_MEMBER,
    scope: Department | None = None,
    with_login: bool = True,
    state: str = MemberState.ACTIVE,
) -> Member:
    spec = actions.MemberSpec(
        email=email,
        name=name,
        departments=departments or [],
        state=state,
        employee_number=f"E{next(_counter):05d}",
    )
    member = actions.invite_member(company.system, spec)
    if with_login:
        account = Account.objects.filter(email=email).first() or Account.objects.create_user(email, PASSWORD)
        member.account = account
        member.save(update_fields=["account"])
    if role:
        RoleGrant.objects.create(tenant=company.tenant, member=member, role=company.roles[role], scope=scope)
    member.forget_access()
    return member


def subscribe(tenant: Tenant, plan_code: str = "professional", seats: int = 1000) -> Subscription:
    """Put a company on a plan directly (the plans tests go through the actions)."""
    ensure_default_catalogue()
    plan = Plan.objects.get(code=plan_code)
    today = today_in_hong_kong()
    Subscription.objects.for_tenant(tenant).delete()
    forget_entitlements(tenant)
    return Subscription.objects.create(
        tenant=tenant,
        plan=plan,
        seats=seats,
        term="annual",
        started_on=today,
        renews_on=add_months(today, 12),
        unit_price=plan.price_per_seat_month or Decimal("150.00"),
    )


def bind_domains(tenant: Tenant, domains: list[str]) -> None:
    """The company's domains, verified, with domain binding on (what most tests assume)."""
    from harbour.security.models import SecuritySettings, TenantDomain

    for name in domains:
        TenantDomain.objects.create(tenant_id=tenant.pk, name=name, verified_at=now(), method="override")
    SecuritySettings.objects.for_tenant(tenant).update_or_create(
        tenant_id=tenant.pk, defaults={"domain_binding": True}
    )


def make_company(
    slug: str, *, domains: list[str] | None = None, plan: str = "professional", seats: int = 1000
) -> Company:
    """A company on the Professional plan by default: most tests use the API, which the plan includes."""
    tenant = TenantFactory(slug=slug, display_name=f"{slug.title()} Trading Ltd", email_domains=domains or [])
    subscribe(tenant, plan, seats)
    if domains:
        bind_domains(tenant, domains)
    system = SystemActor(tenant.id, "tests")
    roles = {r.builtin: r for r in Role.objects.for_tenant(tenant) if r.builtin}
    company = Company(tenant=tenant, system=system, roles=roles)
    domain = (domains or [f"{slug}.example"])[0]
    finance = actions.create_department(system, name="Finance", name_zh="財務部")
    accounts = actions.create_department(system, name="Accounts Payable", parent=finance)
    hr = actions.create_department(system, name="Human Resources", name_zh="人力資源部")
    company.departments = {"finance": finance, "accounts": accounts, "hr": hr}
    company.admin = make_member(
        company, name="Ada Admin", email=f"admin@{domain}", departments=[hr], role=BuiltinRole.ADMINISTRATOR
    )
    company.manager = make_member(
        company,
        name="Fiona Finance",
        email=f"fiona@{domain}",
        departments=[finance],
        role=BuiltinRole.DEPARTMENT_MANAGER,
        scope=finance,
    )
    company.member = make_member(company, name="Gary General", email=f"gary@{domain}", departments=[accounts])
    company.outsider = make_member(company, name="Helen HR", email=f"helen@{domain}", departments=[hr])
    return company
