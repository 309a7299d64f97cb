"""Demo data of account lifecycle: a role rule, an HR file planned and waiting to be applied (a joiner, a
mover, a leaver and a disputed record), an HR webhook, a temporary collaborator waiting for the Sales
Manager's approval, and an open access review."""

from __future__ import annotations

import datetime as dt

from harbour.collaborators.actions import request_collaborator
from harbour.core.permissions import SystemActor
from harbour.core.time import now
from harbour.directory.models import BuiltinRole, Department, Member, Role
from harbour.lifecycle.actions import plan_file_import
from harbour.lifecycle.rules import create_rule
from harbour.lifecycle.webhook import create_webhook
from harbour.reviews.actions import create_campaign, open_campaign


def seed_lifecycle(
    system: SystemActor, domain: str, it_head: Member, sales_head: Member, general: Member
) -> None:
    tenant_id = system.tenant_id
    sales = Department.objects.for_tenant(tenant_id).get(name="Sales", parent__isnull=True)
    marketing = Department.objects.for_tenant(tenant_id).get(name="Marketing", parent__isnull=True)
    manager_role = Role.objects.for_tenant(tenant_id).get(builtin=BuiltinRole.DEPARTMENT_MANAGER)
    create_rule(it_head, role=manager_role, department=sales, title_contains="Manager")
    create_webhook(it_head)

    # An HR export planned by the IT Manager: nothing changes until someone applies it.
    mover = (
        Member.objects.for_tenant(tenant_id)
        .filter(memberships__department__name="Operations", manager__isnull=False)
        .order_by("employee_number")
        .first()
    )
    leaver = (
        Member.objects.for_tenant(tenant_id)
        .filter(memberships__department__name="Procurement", manager__isnull=False)
        .order_by("-employee_number")
        .first()
    )
    assert mover is not None and leaver is not None
    rows = [
        "employee number,email,name,department,title,status",
        f"HDT-9001,grace.lau@{domain},Grace Lau,Hong Kong Sales,Account Executive,",
        f"{mover.employee_number},{mover.email},{mover.name},{marketing.name},Marketing Executive,",
        f"{leaver.employee_number},{leaver.email},{leaver.name},,,resigned",
        f"{general.employee_number},{sales_head.email},Two Records,,,",
    ]
    plan_file_import(it_head, ("\n".join(rows) + "\n").encode(), "hr-export-2026-11.csv")

    request_collaborator(
        general,
        email=f"consultant.wong@{domain}",
        name="Winnie Wong",
        organisation="Wong & Partners Consulting",
        purpose="CRM migration workshop with the Hong Kong Sales team",
        department=general.memberships.get().department,
    )

    campaign = create_campaign(
        it_head, name="Q4 2026 admin and manager review", due_at=now() + dt.timedelta(days=14)
    )
    open_campaign(it_head, campaign)
