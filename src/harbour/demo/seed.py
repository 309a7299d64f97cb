"""Seed the demo company once. Deterministic: the same names, departments and numbers every time."""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.db import transaction

from harbour.core.models import Account, Tenant
from harbour.core.permissions import SystemActor
from harbour.core.time import now
from harbour.demo.announcements_seed import seed_announcements
from harbour.demo.breaches_seed import seed_breaches
from harbour.demo.compliance_seed import seed_compliance
from harbour.demo.data_requests_seed import seed_data_requests
from harbour.demo.lifecycle_seed import seed_lifecycle
from harbour.demo.names import ENGLISH_NAMES, GIVEN_NAMES, SURNAMES
from harbour.demo.pdpo_seed import seed_pdpo
from harbour.demo.policies_seed import seed_policies
from harbour.demo.retention_seed import seed_retention
from harbour.demo.training_seed import seed_training
from harbour.directory import actions
from harbour.directory.models import BuiltinRole, Department, Member, MemberState, Role
from harbour.plans.actions import change_subscription
from harbour.plans.models import Term
from harbour.plans.queries import get_plan
from harbour.procurement import actions as procurement
from harbour.procurement.models import Reseller

DEMO_SLUG = "harbour-demo"
DOMAIN = "demo-trading.com.hk"
SEED = 2026

# (English, Chinese, headcount, [(sub-department English, Chinese, headcount)])
DEPARTMENTS: list[tuple[str, str, int, list[tuple[str, str, int]]]] = [
    ("Management", "管理層", 5, []),
    ("Finance", "財務部", 6, [("Accounts", "會計組", 10), ("Treasury", "庫務組", 4)]),
    ("Human Resources", "人力資源部", 12, []),
    ("Information Technology", "資訊科技部", 20, []),
    ("Sales", "銷售部", 6, [("Hong Kong Sales", "香港銷售組", 30), ("Export Sales", "出口銷售組", 16)]),
    ("Operations", "營運部", 6, [("Warehouse", "倉務組", 24), ("Logistics", "物流組", 14)]),
    ("Procurement", "採購部", 20, []),
    ("Marketing", "市場推廣部", 16, []),
    ("Legal & Compliance", "法律及合規部", 8, []),
]

TITLES = {
    "Management": ["Managing Director", "Director", "Executive Assistant"],
    "Finance": ["Finance Manager", "Accountant", "Accounting Clerk", "Treasury Analyst"],
    "Human Resources": ["HR Manager", "HR Officer", "Payroll Officer", "Recruiter"],
    "Information Technology": ["IT Manager", "Systems Engineer", "Support Analyst", "Developer"],
    "Sales": ["Sales Manager", "Account Executive", "Sales Coordinator", "Sales Representative"],
    "Operations": ["Operations Manager", "Warehouse Supervisor", "Logistics Coordinator", "Storekeeper"],
    "Procurement": ["Procurement Manager", "Buyer", "Purchasing Officer"],
    "Marketing": ["Marketing Manager", "Marketing Executive", "Designer"],
    "Legal & Compliance": ["Legal Counsel", "Compliance Officer", "Data Protection Officer"],
}


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str
    note: str


def _credentials_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.json"


def demo_logins() -> list[DemoLogin]:
    path = _credentials_file()
    if not path.exists():
        return []
    return [DemoLogin(**row) for row in json.loads(path.read_text())]


def _person(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    while True:
        zh_surname, surname = rng.choice(SURNAMES)
        zh_given, given = rng.choice(GIVEN_NAMES)
        english = rng.choice(ENGLISH_NAMES)
        email = f"{english}.{surname}".lower()
        if email in used:
            email = f"{english}.{given.replace(' ', '')}.{surname}".lower()
        if email not in used:
            used.add(email)
            return f"{english} {surname} {given}", f"{zh_surname}{zh_given}", f"{email}@{DOMAIN}"


_MOBILE_PREFIXES = [
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "59",
    "61",
    "62",
    "63",
    "64",
    "65",
    "66",
    "67",
    "68",
    "69",
    "90",
    "92",
    "93",
    "94",
    "95",
    "96",
    "97",
    "98",
]


def _mobile(rng: random.Random) -> str:
    """A Hong Kong mobile number from an allocated range (drawn again until libphonenumber agrees)."""
    while True:
        candidate = f"+852{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 999999):06d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


def is_seeded() -> bool:
    return Tenant.objects.filter(slug=DEMO_SLUG).exists()


# Named as authorised DingTalk resellers in Hong Kong (as of June 2025) by the buying guide this product
# follows; the demo records them "to be re-verified", with no BR or certificate number it could vouch for.
DEMO_RESELLERS: list[dict[str, str]] = [
    {"name": "Global Digital Cyber (GDC Hong Kong)", "notes": "Named as an authorised reseller (June 2025)."},
    {"name": "TechSphere HK", "notes": "Named as an authorised reseller (June 2025)."},
    {
        "name": "Accounting Master Limited",
        "registered_name": "Accounting Master Limited",
        "notes": "Alibaba Cloud Ecosystem Partner; named as an authorised reseller (June 2025).",
    },
]


def _seed_procurement(
    system: SystemActor, tenant: Tenant, head_of: dict[uuid.UUID, Member], heads: list[tuple[Department, int]]
) -> tuple[Member, Member]:
    """The three resellers of the buying guide, a sample quote, and the two sign-off roles held by two
    people (Legal: the head of Legal & Compliance; Information Security: an IT engineer)."""
    for values in DEMO_RESELLERS:
        procurement.create_reseller(system, **values)
    techsphere = Reseller.objects.for_tenant(tenant).get(name="TechSphere HK")
    procurement.create_quote(
        system,
        reseller=techsphere,
        plan=get_plan("professional"),
        seats=250,
        term=Term.ANNUAL,
        unit_price=Decimal("72.00"),
        reference="TS-Q-2025-031",
        invoice_issuer="TechSphere HK",
        payer_name=tenant.registered_name,
    )
    legal_role = actions.create_role(
        system,
        name="Legal",
        description="Signs purchase verdicts off for Legal.",
        permissions=["procurement.view", "procurement.sign_legal"],
    )
    infosec_role = actions.create_role(
        system,
        name="Information Security",
        description="Signs purchase verdicts off for Information Security.",
        permissions=["procurement.view", "procurement.sign_infosec"],
    )
    legal = head_of[next(top.pk for top, _ in heads if top.name == "Legal & Compliance")]
    it_top = next(top for top, _ in heads if top.name == "Information Technology")
    infosec = (
        Member.objects.for_tenant(tenant)
        .filter(memberships__department=it_top)
        .exclude(pk=head_of[it_top.pk].pk)
        .order_by("employee_number")
        .first()
    )
    assert infosec is not None
    actions.grant_role(system, legal, legal_role, reason="purchase sign-off")
    actions.grant_role(system, infosec, infosec_role, reason="purchase sign-off")
    return legal, infosec


@transaction.atomic
def _bind_own_domains(system: SystemActor) -> None:
    """The company's listed domains, marked verified (a demo has no DNS to publish in), and bound."""
    from harbour.security.actions import update_settings
    from harbour.security.domains import domain_statuses, override_verification

    for status in domain_statuses(system):
        override_verification(
            system, status.name, reason="demo company: its own domain, no DNS to publish in"
        )
    update_settings(system, {"domain_binding": True})


def _seed_security(system: SystemActor, it_head: Member, general: Member) -> None:
    """Security settings part-way to the baseline, a domain still waiting for its DNS record, an accepted
    exception, and incidents: one with its clock running, one overdue, one reported and resolved."""
    from harbour.security import domains, incidents
    from harbour.security.actions import grant_exception, update_settings
    from harbour.security.models import IncidentKind, Severity

    _bind_own_domains(system)
    domains.add_domain(system, "harbourdemo.hk")  # the TXT record to publish is shown on Email domains
    update_settings(
        system,
        {
            "break_glass_member": str(it_head.pk),
            # local addresses are the office here, so the demo's own sign-ins are not flagged
            "allowed_networks": ["127.0.0.0/8", "::1/128", "203.0.113.0/24"],
            "working_days": [0, 1, 2, 3, 4, 5, 6],
            "working_hours_start": "00:00",
            "working_hours_end": "23:59",
        },
    )
    grant_exception(
        system,
        rule_id="HB.DEV.1v1",
        rationale="Company laptops are being enrolled department by department; all done by the end of Q1.",
        expires_at=now() + dt.timedelta(days=90),
    )
    running = incidents.open_incident(
        system,
        kind=IncidentKind.SUSPICIOUS_LOGIN,
        severity=Severity.HIGH,
        title=f"Burst of refused passwords for {general.email}",
        subject=general,
        evidence=[{"rule": "failed_burst", "failures": 7, "ip": "198.51.100.23", "window_minutes": 15}],
        detected_at=now() - dt.timedelta(hours=5),
    )
    incidents.take_ownership(it_head, running)
    incidents.open_incident(
        system,
        kind=IncidentKind.SUSPICIOUS_LOGIN,
        severity=Severity.HIGH,
        title=f"Sign-in from an unknown network for {it_head.email}",
        subject=it_head,
        evidence=[{"rule": "outside_networks", "ip": "192.0.2.77"}, {"rule": "new_device"}],
        detected_at=now() - dt.timedelta(hours=30),
    )
    lost = incidents.open_incident(
        system,
        kind=IncidentKind.SELF_REPORTED,
        severity=Severity.MEDIUM,
        title="Phone with the work app left in a taxi",
        subject=general,
        detected_at=now() - dt.timedelta(days=3),
    )
    incidents.report_incident(it_head, lost, summary="Reported to compliance by email; sessions ended.")
    incidents.resolve_incident(it_head, lost, resolution="Phone recovered; the member changed the password.")


def _compliance_officer(system: SystemActor, tenant: Tenant, legal_signer: Member, role: Role) -> Member:
    """A member of Legal & Compliance (not the head, who signs purchases off) holds the Compliance Officer
    role."""
    legal = Department.objects.for_tenant(tenant).get(name="Legal & Compliance")
    officer = (
        Member.objects.for_tenant(tenant)
        .filter(memberships__department=legal)
        .exclude(pk=legal_signer.pk)
        .order_by("employee_number")
        .first()
    )
    assert officer is not None
    actions.update_member(system, officer, title="Compliance Officer")
    actions.grant_role(system, officer, role, reason="runs the compliance programme")
    return officer


def seed_demo() -> list[DemoLogin]:
    """Create the demo company, its org chart, ~200 members and the demo logins (once)."""
    if is_seeded():
        return demo_logins()
    rng = random.Random(SEED)
    operator = Account.objects.create_user(
        "operator@harbour-reseller.hk",
        secrets.token_urlsafe(12),
        display_name="Harbour Reseller (operator)",
        is_operator=True,
    )
    tenant = actions.create_tenant(
        operator,
        slug=DEMO_SLUG,
        display_name="Harbour Demo Trading Ltd",
        registered_name="Harbour Demo Trading Limited 海港示範貿易有限公司",
        br_number="12345678",
        registration_location="HK",
        data_storage_region="hk",
        contracting_entity="Harbour Demo Trading Limited",
        local_contact_address="18/F, Harbour Centre, 25 Harbour Road, Wan Chai, Hong Kong",
        email_domains=[DOMAIN],
        locale="en",
    )
    system = SystemActor(tenant.id, "demo seed")
    # Professional, so the demo shows the API and the operation log; seats leave room to invite.
    change_subscription(system, get_plan("professional"), 250, Term.ANNUAL)
    roles = {r.builtin: r for r in Role.objects.for_tenant(tenant) if r.builtin}

    used: set[str] = set()
    specs: list[actions.MemberSpec] = []
    heads: list[tuple[Department, int]] = []
    number = 0
    hire_base = dt.date(2012, 1, 1)
    for position, (name, name_zh, headcount, subs) in enumerate(DEPARTMENTS):
        top = actions.create_department(system, name=name, name_zh=name_zh, position=position)
        units = [(top, headcount)] + [
            (actions.create_department(system, name=s, name_zh=s_zh, parent=top), n) for s, s_zh, n in subs
        ]
        titles = TITLES[name]
        for unit, count in units:
            for i in range(count):
                number += 1
                english, chinese, email = _person(rng, used)
                is_head = unit is top and i == 0
                if is_head:
                    heads.append((top, len(specs)))
                specs.append(
                    actions.MemberSpec(
                        email=email,
                        name=english,
                        name_zh=chinese,
                        mobile=_mobile(rng),
                        employee_number=f"HDT-{number:04d}",
                        title=titles[0] if is_head else rng.choice(titles[1:]),
                        departments=[unit],
                        hire_date=hire_base + dt.timedelta(days=rng.randint(0, 5000)),
                        state=MemberState.ACTIVE,
                    )
                )
    actions.bulk_create_members(system, specs)
    members = {m.email: m for m in Member.objects.for_tenant(tenant)}

    # Reporting lines: everyone reports to their top-level department's head; heads to the MD.
    md = members[specs[heads[0][1]].email]
    head_of = {top.pk: members[specs[index].email] for top, index in heads}
    for spec in specs:
        member = members[spec.email]
        unit = spec.departments[0]
        boss = head_of[unit.parent_id or unit.pk]
        if boss == member:
            boss = md if member != md else None
        if boss is not None:
            actions.update_member(system, member, manager=boss)

    for top, index in heads:
        head = members[specs[index].email]
        if top.name != "Management":
            actions.grant_role(
                system, head, roles[BuiltinRole.DEPARTMENT_MANAGER], scope=top, reason="head of department"
            )
    everyone = [m for m in members.values() if m.email != operator.email]
    for member in everyone:
        actions.grant_role(system, member, roles[BuiltinRole.GENERAL_MEMBER])

    it_head = head_of[next(top.pk for top, _ in heads if top.name == "Information Technology")]
    sales_head = head_of[next(top.pk for top, _ in heads if top.name == "Sales")]
    hk_sales = Department.objects.for_tenant(tenant).get(name="Hong Kong Sales")
    general = (
        Member.objects.for_tenant(tenant)
        .filter(memberships__department=hk_sales)
        .exclude(pk=sales_head.pk)
        .order_by("employee_number")
        .first()
    )
    assert general is not None
    actions.grant_role(system, it_head, roles[BuiltinRole.ADMINISTRATOR], reason="IT administrator")

    external = actions.invite_member(
        system,
        actions.MemberSpec(
            email=f"auditor.chan@{DOMAIN}",
            name="Kelvin Chan (Audit partner)",
            name_zh="陳啟明",
            title="External auditor",
            departments=[Department.objects.for_tenant(tenant).get(name="Finance")],
            is_external=True,
            access_expires_at=now() + dt.timedelta(days=7),
            state=MemberState.ACTIVE,
        ),
    )
    actions.grant_role(
        system,
        external,
        roles[BuiltinRole.GENERAL_MEMBER],
        reason="year-end audit",
        expires_at=external.access_expires_at,
    )

    legal_signer, infosec_signer = _seed_procurement(system, tenant, head_of, heads)
    _seed_security(system, it_head, general)
    seed_breaches(system, it_head)
    seed_lifecycle(system, DOMAIN, it_head, sales_head, general)
    officer = _compliance_officer(system, tenant, legal_signer, roles[BuiltinRole.COMPLIANCE_OFFICER])
    seed_policies(system, it_head, general)
    seed_training(system, it_head)
    seed_announcements(system, it_head)
    seed_pdpo(system, it_head, general)
    seed_data_requests(officer, general, sales_head)
    seed_retention(system, it_head)
    seed_compliance(officer)

    logins: list[DemoLogin] = []
    for role, member, note in [
        ("Administrator", it_head, "IT Manager; administers the whole company"),
        ("Department Manager", sales_head, "Sales Manager; manages the Sales subtree"),
        ("General Member", general, "Hong Kong Sales"),
        ("External collaborator", external, "access ends 7 days after seeding"),
        ("Legal sign-off", legal_signer, "signs purchase verdicts off for Legal"),
        (
            "Compliance Officer",
            officer,
            "Legal & Compliance; runs policies, training, the PDPO register, reports",
        ),
        (
            "Information Security sign-off",
            infosec_signer,
            "signs purchase verdicts off for Information Security",
        ),
    ]:
        password = secrets.token_urlsafe(9)
        account = Account.objects.create_user(member.email, password, display_name=member.name)
        member.account = account
        member.save(update_fields=["account"])
        logins.append(DemoLogin(role, member.email, password, note))
    operator_password = secrets.token_urlsafe(9)
    operator.set_password(operator_password)
    operator.save()
    logins.append(
        DemoLogin(
            "Platform operator", operator.email, operator_password, "reseller running two client companies"
        )
    )

    bakery = actions.create_tenant(
        operator,
        slug="kowloon-bakery",
        display_name="Kowloon Bakery Ltd",
        registered_name="Kowloon Bakery Limited",
        br_number="87654321",
        email_domains=["kowloonbakery.hk"],
        local_contact_address="G/F, 88 Nathan Road, Tsim Sha Tsui, Kowloon",
    )
    bakery_system = SystemActor(bakery.id, "demo seed")
    _bind_own_domains(bakery_system)
    change_subscription(bakery_system, get_plan("basic"), 12, Term.MONTHLY)
    kitchen = actions.create_department(bakery_system, name="Kitchen", name_zh="廚房")
    shop = actions.create_department(bakery_system, name="Shop Floor", name_zh="門市")
    actions.bulk_create_members(
        bakery_system,
        [
            actions.MemberSpec(
                email=f"staff{i}@kowloonbakery.hk",
                name=f"Bakery Staff {i}",
                departments=[kitchen if i % 2 else shop],
                state=MemberState.ACTIVE,
            )
            for i in range(1, 9)
        ],
    )

    path = _credentials_file()
    path.write_text(json.dumps([login.__dict__ for login in logins], indent=2))
    path.chmod(0o600)
    return logins
