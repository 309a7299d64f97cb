"""Harbour → DingTalk, one item at a time: departments created, renamed, moved and deleted; members
added, updated and removed. Each handler makes its DingTalk call, then settles the item with its links."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.time import now
from harbour.directory.models import Department, Member, Membership, MemberState
from harbour.integrations.dingtalk.client import AlreadyExists, NotFoundInDingTalk
from harbour.integrations.dingtalk.models import ROOT_DEPT_ID, DepartmentLink, MemberLink, SyncItem
from harbour.integrations.dingtalk.sync.context import Applying, NotReady, settle
from harbour.integrations.dingtalk.sync.fields import dingtalk_mobile
from harbour.integrations.dingtalk.sync.items import Op, Outcome
from harbour.integrations.dingtalk.sync.links import (
    dept_id_of,
    link_department,
    link_member,
    mark_user_removed,
)
from harbour.integrations.dingtalk.sync.plan import wanted_fields


# ----------------------------------------------------------------------------------------- departments
def _parent_dept_id(ctx: Applying, parent: str | None) -> int:
    if not parent:
        return ROOT_DEPT_ID
    dept_id = dept_id_of(ctx.tenant_id, parent)
    if dept_id is None:
        raise NotReady(_("the parent department is not in DingTalk yet"))
    return dept_id


def _department(ctx: Applying, item: SyncItem) -> Department | None:
    return Department.objects.for_tenant(ctx.tenant_id).filter(pk=item.department_id).first()


def create_department(ctx: Applying, item: SyncItem) -> None:
    department = _department(ctx, item)
    if department is None:
        settle(ctx, item, Outcome.SKIPPED, _("deleted in Harbour since the plan"))
        return
    parent_id = _parent_dept_id(ctx, str(department.parent_id) if department.parent_id else None)
    live = dept_id_of(ctx.tenant_id, department.pk)
    client = ctx.client()
    if live is not None and live != item.before.get("dept_id"):
        dept_id = live  # made before a crash and linked: nothing to do
    else:
        try:
            dept_id = client.create_department(
                name=department.name, parent_id=parent_id, source_identifier=str(department.pk)
            )
        except AlreadyExists:
            found = [d for d in client.list_sub_departments(parent_id) if d.get("name") == department.name]
            if not found:
                raise
            dept_id = int(found[0]["dept_id"])
    settle(
        ctx,
        item,
        Outcome.APPLIED,
        then=lambda: _link_dept(ctx, item, dept_id, department, parent_id),
    )


def _link_dept(ctx: Applying, item: SyncItem, dept_id: int, department: Department, parent_id: int) -> None:
    link_department(
        ctx.connection,
        dept_id=dept_id,
        department_id=department.pk,
        parent_dept_id=parent_id,
        name=department.name,
    )
    item.dept_id = dept_id
    item.save(update_fields=["dept_id"])


def update_department(ctx: Applying, item: SyncItem) -> None:
    department = _department(ctx, item)
    if department is None or item.dept_id is None:
        settle(ctx, item, Outcome.SKIPPED, _("deleted in Harbour since the plan"))
        return
    dept_id = int(item.dept_id)
    parent_id = _parent_dept_id(ctx, str(department.parent_id) if department.parent_id else None)
    ctx.client().update_department(dept_id, name=department.name, parent_id=parent_id)
    settle(ctx, item, Outcome.APPLIED, then=lambda: _link_dept(ctx, item, dept_id, department, parent_id))


def delete_department(ctx: Applying, item: SyncItem) -> None:
    assert item.dept_id is not None
    links = DepartmentLink.objects.for_tenant(ctx.tenant_id).filter(dept_id=item.dept_id)
    if item.op == Op.ONLY_IN_DINGTALK and links.exists():
        settle(ctx, item, Outcome.SKIPPED, _("linked to a Harbour department since the plan"))
        return
    if item.op == Op.DELETE_DEPARTMENT and links.filter(department__isnull=False).exists():
        settle(ctx, item, Outcome.SKIPPED, _("linked to a Harbour department again since the plan"))
        return
    with suppress(NotFoundInDingTalk):  # deleted before (a lost outcome, or someone did it in DingTalk)
        ctx.client().delete_department(int(item.dept_id))
    settle(ctx, item, Outcome.APPLIED, then=lambda: links.update(removed_at=now(), updated_at=now()))


# ------------------------------------------------------------------------------------------------- users
def _member(ctx: Applying, item: SyncItem) -> Member | None:
    return Member.objects.for_tenant(ctx.tenant_id).filter(pk=item.member_id).first()


def _dept_id_list(ctx: Applying, department_ids: list[str]) -> list[int]:
    dept_ids: list[int] = []
    for department_id in department_ids:
        dept_id = dept_id_of(ctx.tenant_id, department_id)
        if dept_id is None:
            name = (
                Department.objects.for_tenant(ctx.tenant_id)
                .filter(pk=department_id)
                .values_list("name", flat=True)
                .first()
            )
            raise NotReady(
                _("the department %(name)s is not in DingTalk yet") % {"name": name or department_id}
            )
        if dept_id not in dept_ids:
            dept_ids.append(dept_id)
    return dept_ids or [ROOT_DEPT_ID]


def _current_departments(ctx: Applying, member: Member) -> list[str]:
    rows = (
        Membership.objects.for_tenant(ctx.tenant_id)
        .filter(member=member)
        .order_by("-is_primary", "created_at")
    )
    return [str(d) for d in rows.values_list("department_id", flat=True)]


def _is_leaving(ctx: Applying, member: Member) -> bool:
    return member.state == MemberState.DEACTIVATED or member.pk in open_departures_of(ctx, member)


def open_departures_of(ctx: Applying, member: Member) -> set[uuid.UUID]:
    from harbour.lifecycle.models import Departure

    return set(
        Departure.objects.for_tenant(ctx.tenant_id)
        .filter(member=member, rehired_at__isnull=True)
        .values_list("member_id", flat=True)
    )


def create_user(ctx: Applying, item: SyncItem) -> None:
    member = _member(ctx, item)
    if member is None or _is_leaving(ctx, member):
        settle(ctx, item, Outcome.SKIPPED, _("the member has left since the plan"))
        return
    if not member.mobile:
        settle(ctx, item, Outcome.SKIPPED, _("DingTalk requires a mobile number, and this member has none"))
        return
    userid = str(item.payload.get("userid") or item.userid)
    fields = wanted_fields(member)
    name = fields.pop("name")
    dept_ids = _dept_id_list(ctx, _current_departments(ctx, member))
    client = ctx.client()
    try:
        userid, unionid = client.create_user(
            name=name, mobile=dingtalk_mobile(member.mobile), dept_id_list=dept_ids, userid=userid, **fields
        )
    except AlreadyExists as refused:
        try:  # made before a crash whose outcome was lost: the same userid is there
            existing = client.get_user(userid)
        except NotFoundInDingTalk:
            raise refused from None
        unionid = str(existing.get("unionid") or "")
    replaces = str(item.payload.get("replaces") or "")
    settle(
        ctx,
        item,
        Outcome.APPLIED,
        then=lambda: link_member(
            ctx.connection, userid=userid, member_id=member.pk, unionid=unionid, name=name, replaces=replaces
        ),
    )


def update_user(ctx: Applying, item: SyncItem) -> None:
    member = _member(ctx, item)
    if member is None:
        settle(ctx, item, Outcome.SKIPPED, _("the member was removed since the plan"))
        return
    fields: dict[str, Any] = dict(item.payload.get("fields") or {})
    if "departments" in item.payload:
        fields["dept_id_list"] = _dept_id_list(ctx, _current_departments(ctx, member))
    if fields:
        ctx.client().update_user(item.userid, **fields)
    settle(
        ctx,
        item,
        Outcome.APPLIED,
        then=lambda: link_member(ctx.connection, userid=item.userid, member_id=member.pk, name=member.name),
    )


def delete_user(ctx: Applying, item: SyncItem) -> None:
    links = MemberLink.objects.for_tenant(ctx.tenant_id).filter(userid=item.userid)
    if (
        item.op == Op.ONLY_IN_DINGTALK
        and links.filter(member__isnull=False, removed_at__isnull=True).exists()
    ):
        settle(ctx, item, Outcome.SKIPPED, _("linked to a Harbour account since the plan"))
        return
    with suppress(NotFoundInDingTalk):  # removed before (a lost outcome, or someone did it in DingTalk)
        ctx.client().delete_user(item.userid)
    settle(ctx, item, Outcome.APPLIED, then=lambda: _removed(ctx, item))


def _removed(ctx: Applying, item: SyncItem) -> None:
    mark_user_removed(ctx.connection, item.userid)


def blocked(ctx: Applying, item: SyncItem) -> None:
    settle(ctx, item, Outcome.SKIPPED, item.reason)


def only_in_dingtalk(ctx: Applying, item: SyncItem) -> None:
    if item.userid:
        delete_user(ctx, item)
    else:
        delete_department(ctx, item)


HANDLERS: dict[str, Callable[[Applying, SyncItem], None]] = {
    Op.CREATE_DEPARTMENT: create_department,
    Op.UPDATE_DEPARTMENT: update_department,
    Op.DELETE_DEPARTMENT: delete_department,
    Op.CREATE_USER: create_user,
    Op.UPDATE_USER: update_user,
    Op.DELETE_USER: delete_user,
    Op.ONLY_IN_DINGTALK: only_in_dingtalk,
    Op.BLOCKED: blocked,
}
