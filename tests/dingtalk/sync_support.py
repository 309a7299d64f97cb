"""Setting up a company, its DingTalk connection and an emulated DingTalk directory for the sync tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbour.directory import actions as directory
from harbour.directory.models import Department, Member
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.actions.connection import connect
from harbour.integrations.dingtalk.models import Connection, MemberLink, SyncItem, SyncRun
from tests.dingtalk.conftest import EMULATOR_DEFAULTS
from tests.dingtalk_emulator import Emulator
from tests.factories import Company


def connect_to(company: Company, emu: Emulator, **options: Any) -> Connection:
    return connect(
        company.system,
        app_key=EMULATOR_DEFAULTS["appkey"],
        app_secret=EMULATOR_DEFAULTS["appsecret"],
        oapi_base_url=emu.url,
        api_base_url=emu.url,
        **options,
    )


def give_mobiles(company: Company) -> None:
    """DingTalk needs a mobile number: the factory's four members get one each."""
    for i, member in enumerate([company.admin, company.manager, company.member, company.outsider]):
        assert member is not None
        directory.update_member(company.system, member, mobile=f"+852 9100 000{i}")


def refreshed(connection: Connection) -> Connection:
    return Connection.objects.for_tenant(connection.tenant_id).get(pk=connection.pk)


def adopt_all(company: Company, connection: Connection) -> SyncRun:
    """Plan the adoption and apply it, as the company's administrator."""
    assert company.admin is not None
    run = sync_actions.plan_adoption(company.admin, connection)
    return sync_actions.apply_run(company.admin, run)


def sync_once(company: Company, connection: Connection) -> SyncRun:
    assert company.admin is not None
    run = sync_actions.plan_sync(company.admin, refreshed(connection))
    return sync_actions.apply_run(company.admin, run)


def items(run: SyncRun, op: str | None = None) -> list[SyncItem]:
    found = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run).order_by("position")
    return list(found.filter(op=op) if op else found)


def ops(run: SyncRun) -> dict[str, int]:
    counted: dict[str, int] = {}
    for item in items(run):
        counted[item.op] = counted.get(item.op, 0) + 1
    return counted


def user_by_email(emu: Emulator, email: str) -> dict[str, Any]:
    found = [u for u in emu.users.values() if (u.get("email") or "").lower() == email.lower()]
    assert len(found) == 1, f"{email}: {len(found)} DingTalk users"
    return found[0]


def link_of(member: Member) -> MemberLink:
    return MemberLink.objects.for_tenant(member.tenant_id).get(member=member, removed_at__isnull=True)


def department(company: Company, name: str, parent: Department | None = None) -> Department:
    return Department.objects.for_tenant(company.tenant).get(name=name, parent=parent)


@dataclass
class Seeded:
    """The emulated DingTalk directory ``seed_directory`` made."""

    finance: int
    accounts: int
    invoices: int
    disputes: int
    sales: int
    operations: int


def seed_directory(emu: Emulator, company: Company, *, sales_people: int = 3) -> Seeded:
    """Departments four levels deep (two of them Harbour's own), a department with ``sales_people``, a
    person in two departments, and the adoption situations: a link by address, a link by job number, a
    dispute, no email, an address outside the company's domains, a DingTalk user not activated yet."""
    assert company.manager and company.member and company.outsider and company.admin
    finance = emu.add_department("Finance")
    accounts = emu.add_department("Accounts Payable", parent_id=finance)
    invoices = emu.add_department("Invoices", parent_id=accounts)
    disputes = emu.add_department("Disputes", parent_id=invoices)
    sales = emu.add_department("Sales")
    operations = emu.add_department("Operations")
    emu.add_user(
        name="Gary G", mobile="+852-91000002", dept_ids=[accounts], email="gary@acme.com.hk", userid="gary"
    )
    emu.add_user(
        name="Fiona F",
        mobile="+852-91000001",
        dept_ids=[finance],
        email="fiona.private@example.com",
        job_number=company.manager.employee_number,
        userid="fiona",
    )
    emu.add_user(
        name="Helen H",
        mobile="+852-91000003",
        dept_ids=[1],
        email="admin@acme.com.hk",
        job_number=company.outsider.employee_number,
        userid="helen",
    )
    emu.add_user(name="No Mail", mobile="13800138000", dept_ids=[operations], userid="nomail")
    emu.add_user(
        name="Elsewhere",
        mobile="+852-91000009",
        dept_ids=[operations],
        email="x@elsewhere.example",
        userid="elsewhere",
    )
    emu.add_user(
        name="Dora Disputes",
        mobile="+852-91000010",
        dept_ids=[disputes],
        email="dora@acme.com.hk",
        userid="dora",
        title="Clerk",
    )
    emu.add_user(
        name="Tess Two",
        mobile="+852-91000011",
        dept_ids=[sales, operations],
        email="tess@acme.com.hk",
        userid="tess",
        job_number="T-2",
    )
    emu.add_user(
        name="Ivy Inactive",
        mobile="+852-91000012",
        dept_ids=[invoices],
        email="ivy@acme.com.hk",
        userid="ivy",
        active=False,
    )
    for i in range(sales_people):
        emu.add_user(
            name=f"Seller {i}", mobile=f"+852-92{i:06d}", dept_ids=[sales], email=f"seller{i}@acme.com.hk"
        )
    return Seeded(finance, accounts, invoices, disputes, sales, operations)


def adopt_gary_in_finance(company: Company, emu: Emulator) -> Connection:
    """DingTalk holds Finance with Gary (the company's general member, by email); Harbour adopts it."""
    finance = emu.add_department("Finance")
    emu.add_user(
        name="Gary General",
        mobile="+852-91000002",
        dept_ids=[finance],
        email="gary@acme.com.hk",
        userid="gary",
    )
    connection = connect_to(company, emu)
    adopt_all(company, connection)
    return refreshed(connection)
