"""DingTalk → Harbour, one adoption item at a time: departments created or linked, accounts created (through
the directory's actions, audited as always) or linked. Nothing is sent to DingTalk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.databases import tenant_transaction
from harbour.core.errors import HarbourError, NotFound
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import Department, Member
from harbour.directory.validation import clean_mobile
from harbour.integrations.dingtalk.models import (
    ROOT_DEPT_ID,
    Connection,
    DepartmentLink,
    MemberLink,
    SyncItem,
    SyncRun,
)
from harbour.integrations.dingtalk.sync.context import Applying, NotReady, settle
from harbour.integrations.dingtalk.sync.items import Op, Outcome
from harbour.integrations.dingtalk.sync.links import link_department, link_member, note_unlinked

Situation = MemberLink.Situation


def _harbour_department(ctx: Applying, dept_id: int) -> Department | None:
    link = (
        DepartmentLink.objects.for_tenant(ctx.tenant_id)
        .filter(dept_id=dept_id, removed_at__isnull=True, department__isnull=False)
        .select_related("department")
        .first()
    )
    return link.department if link is not None else None


def adopt_department(ctx: Applying, item: SyncItem) -> None:
    assert item.dept_id is not None
    dept_id, name = int(item.dept_id), str(item.payload.get("name") or item.label)
    parent_id = int(item.payload.get("parent_id") or ROOT_DEPT_ID)
    if _harbour_department(ctx, dept_id) is not None:
        settle(ctx, item, Outcome.APPLIED, _("adopted before"))
        return
    parent = None
    if parent_id != ROOT_DEPT_ID:
        parent = _harbour_department(ctx, parent_id)
        if parent is None:
            raise NotReady(_("the parent department was not adopted"))

    def create_and_link() -> None:
        same = Department.objects.for_tenant(ctx.tenant_id).filter(parent=parent, name__iexact=name).first()
        department = same or directory.create_department(ctx.actor, name=name, parent=parent)
        link_department(
            ctx.connection, dept_id=dept_id, department_id=department.pk, parent_dept_id=parent_id, name=name
        )
        item.department_id = department.pk
        item.save(update_fields=["department_id"])

    settle(ctx, item, Outcome.APPLIED, then=create_and_link)


def link_existing_department(ctx: Applying, item: SyncItem) -> None:
    assert item.dept_id is not None
    department = Department.objects.for_tenant(ctx.tenant_id).filter(pk=item.department_id).first()
    if department is None:
        raise NotFound(_("the Harbour department was deleted since the plan"))
    dept_id, name = int(item.dept_id), str(item.payload.get("name") or item.label)
    parent_id = int(item.payload.get("parent_id") or ROOT_DEPT_ID)
    settle(
        ctx,
        item,
        Outcome.APPLIED,
        then=lambda: link_department(
            ctx.connection, dept_id=dept_id, department_id=department.pk, parent_dept_id=parent_id, name=name
        ),
    )


def _spec(ctx: Applying, payload: dict[str, Any]) -> directory.MemberSpec:
    departments = [
        department
        for dept_id in payload.get("dept_id_list") or []
        if int(dept_id) != ROOT_DEPT_ID and (department := _harbour_department(ctx, int(dept_id))) is not None
    ]
    try:
        mobile = clean_mobile(str(payload.get("mobile") or ""))
    except HarbourError:
        mobile = ""  # a number Harbour cannot read is left out, not a reason to refuse the account
    hired = payload.get("hired_date")
    return directory.MemberSpec(
        email=str(payload["email"]),
        name=str(payload["name"]),
        mobile=mobile,
        employee_number=str(payload.get("job_number") or "") or None,
        title=str(payload.get("title") or "")[:120],
        departments=departments,
        hire_date=dt.date.fromisoformat(hired) if hired else None,
    )


def adopt_member(ctx: Applying, item: SyncItem) -> None:
    payload = item.payload
    live = MemberLink.objects.for_tenant(ctx.tenant_id).filter(
        userid=item.userid, removed_at__isnull=True, member__isnull=False
    )
    if live.exists():
        settle(ctx, item, Outcome.APPLIED, _("adopted before"))
        return

    def create_and_link() -> None:
        email = str(payload["email"]).lower()
        member = Member.objects.for_tenant(ctx.tenant_id).filter(email=email).first()
        if member is None:
            member = directory.bulk_create_members(ctx.actor, [_spec(ctx, payload)])[0]
        _link(ctx, item, member)

    settle(ctx, item, Outcome.APPLIED, then=create_and_link)


def _link(ctx: Applying, item: SyncItem, member: Member) -> None:
    link_member(
        ctx.connection,
        userid=item.userid,
        member_id=member.pk,
        unionid=str(item.payload.get("unionid") or ""),
        name=str(item.payload.get("name") or ""),
    )
    if item.member_id != member.pk:
        item.member_id = member.pk
        item.save(update_fields=["member_id"])


def link_existing_member(ctx: Applying, item: SyncItem) -> None:
    member = Member.objects.for_tenant(ctx.tenant_id).filter(pk=item.member_id).first()
    if member is None:
        raise NotFound(_("the Harbour account was deleted since the plan"))
    settle(ctx, item, Outcome.APPLIED, then=lambda: _link(ctx, item, member))


def decided(ctx: Applying, item: SyncItem) -> None:
    """A disputed or unadoptable user a person tied to an account: linked like a match."""
    if item.member_id is None:
        settle(ctx, item, Outcome.SKIPPED, _("a person decided it is none of the accounts"))
        return
    link_existing_member(ctx, item)


def note_waiting(connection: Connection, run: SyncRun) -> None:
    """The users waiting for a person are kept as links too (disputed, unmatched), so the reconciliation
    shows them and a later sync does not mistake them for strangers to remove without asking."""
    waiting = SyncItem.objects.for_tenant(run.tenant_id).filter(
        run=run, outcome=Outcome.WAITING, op__in=[Op.DISPUTED, Op.CANNOT_ADOPT]
    )
    for item in waiting:
        note_unlinked(
            connection,
            userid=item.userid,
            situation=Situation.DISPUTED if item.op == Op.DISPUTED else Situation.UNMATCHED,
            name=str(item.payload.get("name") or ""),
            candidates=list(item.candidates),
        )


def mark_adopted(connection: Connection) -> None:
    if connection.state == Connection.State.NEW:
        connection.state = Connection.State.ADOPTED
        connection.adopted_at = connection.adopted_at or now()
        connection.save(update_fields=["state", "adopted_at", "updated_at"])


def apply_decision(ctx: Applying, item: SyncItem) -> None:
    """Apply a person's decision on a waiting item at once (it changes nothing in DingTalk)."""
    with tenant_transaction(ctx.tenant_id):
        decided(ctx, item)


HANDLERS: dict[str, Callable[[Applying, SyncItem], None]] = {
    Op.ADOPT_DEPARTMENT: adopt_department,
    Op.LINK_DEPARTMENT: link_existing_department,
    Op.ADOPT_MEMBER: adopt_member,
    Op.LINK_MEMBER: link_existing_member,
    Op.DISPUTED: decided,
    Op.CANNOT_ADOPT: decided,
}
