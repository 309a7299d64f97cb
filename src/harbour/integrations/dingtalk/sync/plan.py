"""Harbour → DingTalk: what a sync would change, compared with what DingTalk holds now (the dry run).

Order of the items, which is the order they are applied in: departments created, renamed and moved level by
level (a parent before its children); members added and updated (which also moves them out of departments
about to go); leavers removed; what only DingTalk has; departments deleted last, deepest first. Deletes a
person must allow (irreversible in DingTalk) wait for confirmation; a leaver's removal needs none (HR's
leaver is the confirmation). DingTalk cannot change a mobile number: a difference is reported, not sent.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.directory.models import Department, Member, Membership, MemberState
from harbour.integrations.dingtalk.client import DingTalkClient, NotFoundInDingTalk, OutOfScope
from harbour.integrations.dingtalk.models import ROOT_DEPT_ID, Connection, DepartmentLink, MemberLink
from harbour.integrations.dingtalk.sync.fields import dingtalk_mobile, e164, hired_ms, userid_for
from harbour.integrations.dingtalk.sync.items import Op, Plan, Planned
from harbour.integrations.dingtalk.sync.matching import open_departures
from harbour.integrations.dingtalk.sync.snapshot import Snapshot

Situation = MemberLink.Situation
MOBILE_FIXED = gettext_lazy("DingTalk cannot change a mobile number; remove and re-add")
LIVE_SITUATIONS = (Situation.LINKED, Situation.UNLINKED)


@dataclass
class _Tree:
    departments: list[Department]
    dept_of: dict[uuid.UUID, int]  # Harbour department → its live DingTalk dept_id


def plan_sync(connection: Connection, snapshot: Snapshot, client: DingTalkClient) -> Plan:
    plan = Plan(out_of_scope=list(snapshot.out_of_scope))
    tree, creates_updates, deletes = _departments(connection, snapshot, plan)
    users, leavers, only, blocked = _members(connection, snapshot, tree, client, plan)
    only_depts = _only_in_dingtalk_departments(connection, snapshot)
    plan.items = [
        *creates_updates,
        *users,
        *leavers,
        *blocked,
        *only,
        *sorted([*deletes, *only_depts], key=lambda item: -item.depth),
    ]
    return plan


# ------------------------------------------------------------------------------------------- departments
def _departments(
    connection: Connection, snapshot: Snapshot, plan: Plan
) -> tuple[_Tree, list[Planned], list[Planned]]:
    tenant_id = connection.tenant_id
    links = list(DepartmentLink.objects.for_tenant(tenant_id).filter(removed_at__isnull=True))
    by_department = {link.department_id: link for link in links if link.department_id is not None}
    departments = list(Department.objects.for_tenant(tenant_id).order_by("depth", "position", "name"))
    dept_of = {
        d_id: link.dept_id for d_id, link in by_department.items() if link.dept_id in snapshot.departments
    }
    items: list[Planned] = []
    for department in departments:
        link = by_department.get(department.pk)
        parent = str(department.parent_id) if department.parent_id else None
        payload = {"name": department.name, "parent": parent}
        if link is None or link.dept_id not in snapshot.departments:
            if link is not None and not snapshot.complete:
                plan.settled["department_out_of_scope"] += 1
                continue  # outside what the app may see: neither created again nor changed
            items.append(
                Planned(
                    Op.CREATE_DEPARTMENT,
                    department.name,
                    department_id=department.pk,
                    depth=department.depth,
                    payload=payload,
                    reason=_("deleted in DingTalk; created again") if link is not None else "",
                )
            )
            continue
        there = snapshot.departments[link.dept_id]
        wanted_parent = dept_of.get(department.parent_id) if department.parent_id else ROOT_DEPT_ID
        before = {"name": there.get("name"), "parent_id": snapshot.parent_of(link.dept_id)}
        if before["name"] == department.name and before["parent_id"] == wanted_parent:
            plan.settled["department_linked"] += 1
            continue
        items.append(
            Planned(
                Op.UPDATE_DEPARTMENT,
                department.name,
                department_id=department.pk,
                dept_id=link.dept_id,
                depth=department.depth,
                payload=payload,
                before=before,
            )
        )
    deletes = [
        Planned(
            Op.DELETE_DEPARTMENT,
            str(link.name or link.dept_id),
            dept_id=link.dept_id,
            depth=snapshot.depth[link.dept_id],
            needs_confirmation=True,
            waiting=True,
            before={"name": snapshot.departments[link.dept_id].get("name")},
            reason=_("deleted in Harbour; deleting it in DingTalk cannot be undone"),
        )
        for link in links
        if link.department_id is None and link.dept_id in snapshot.departments
    ]
    return _Tree(departments, dept_of), items, deletes


def _only_in_dingtalk_departments(connection: Connection, snapshot: Snapshot) -> list[Planned]:
    known = set(DepartmentLink.objects.for_tenant(connection.tenant_id).values_list("dept_id", flat=True))
    return [
        Planned(
            Op.ONLY_IN_DINGTALK,
            str(dept.get("name") or dept_id),
            dept_id=dept_id,
            depth=snapshot.depth[dept_id],
            needs_confirmation=True,
            waiting=True,
            before={"name": dept.get("name")},
            reason=_("only in DingTalk; deleting it cannot be undone"),
        )
        for dept_id, dept in snapshot.departments.items()
        if dept_id not in known
    ]


# ------------------------------------------------------------------------------------------------ members
def wanted_fields(member: Member) -> dict[str, Any]:
    """The DingTalk fields Harbour sets for a member (an empty Harbour value is not sent: DingTalk keeps
    its own)."""
    fields: dict[str, Any] = {"name": member.name}
    if member.title:
        fields["title"] = member.title
    if member.email:
        fields["email"] = member.email
    if member.employee_number:
        fields["job_number"] = member.employee_number
    if member.hire_date:
        fields["hired_date"] = hired_ms(member.hire_date)
    return fields


def _differences(fields: dict[str, Any], user: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed, before = {}, {}
    for key, value in fields.items():
        theirs = user.get(key)
        same = (
            (str(theirs or "").lower() == str(value).lower())
            if key == "email"
            else (str(theirs or "") == str(value))
        )
        if not same:
            changed[key], before[key] = value, theirs
    return changed, before


def _members(
    connection: Connection, snapshot: Snapshot, tree: _Tree, client: DingTalkClient, plan: Plan
) -> tuple[list[Planned], list[Planned], list[Planned], list[Planned]]:
    tenant_id = connection.tenant_id
    leavers = open_departures(tenant_id)
    links = list(MemberLink.objects.for_tenant(tenant_id).filter(removed_at__isnull=True))
    live = {link.member_id: link for link in links if link.member_id and link.situation in LIVE_SITUATIONS}
    members = Member.objects.for_tenant(tenant_id).filter(is_external=False)
    members = members.exclude(state=MemberState.DEACTIVATED) | members.filter(pk__in=list(live))
    places: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for member_id, department_id in (
        Membership.objects.for_tenant(tenant_id)
        .order_by("-is_primary", "created_at")
        .values_list("member_id", "department_id")
    ):
        places[member_id].append(department_id)
    creates_updates: list[Planned] = []
    removals: list[Planned] = []
    blocked: list[Planned] = []
    claimed = {link.userid for link in links if link.member_id}  # DingTalk users this plan accounts for
    for member in members.order_by("name", "pk"):
        label = f"{member.name} <{member.email}>"
        link = live.get(member.pk)
        leaving = member.pk in leavers or member.state == MemberState.DEACTIVATED
        user = snapshot.users.get(link.userid) if link is not None else None
        if link is not None:
            claimed.add(link.userid)
            if user is None and _still_there(client, snapshot, link.userid):
                plan.settled["member_out_of_scope"] += 1
                continue
        if leaving:
            if link is not None and link.situation == Situation.LINKED and user is not None:
                removals.append(
                    Planned(
                        Op.DELETE_USER,
                        label,
                        member_id=member.pk,
                        userid=link.userid,
                        before={"name": user.get("name")},
                        reason=_("left the company"),
                    )
                )
            continue
        departments = [str(d) for d in places.get(member.pk, [])]
        fields = wanted_fields(member)
        if user is None:
            claimed.add(userid_for(member.pk))
            item = _create(member, label, departments, fields, link)
            (blocked if item.op == Op.BLOCKED else creates_updates).append(item)
            continue
        mapped = [tree.dept_of.get(uuid.UUID(d)) for d in departments]
        wanted_depts = sorted({d for d in mapped if d is not None}) or [ROOT_DEPT_ID]
        theirs = sorted({int(d) for d in user.get("dept_id_list") or []})
        changed, before = _differences(fields, user)
        payload: dict[str, Any] = {"fields": changed}
        if None in mapped or wanted_depts != theirs:
            payload["departments"] = departments
            before["dept_id_list"] = theirs
        reason = ""
        if member.mobile and e164(str(user.get("mobile") or "")) not in ("", member.mobile):
            reason = (
                str(MOBILE_FIXED)
                + " "
                + _("(Harbour has %(ours)s, DingTalk %(theirs)s)")
                % {"ours": member.mobile, "theirs": user.get("mobile")}
            )
        if len(payload) == 1 and not changed:
            if link is not None and link.situation != Situation.LINKED:
                creates_updates.append(
                    Planned(
                        Op.UPDATE_USER,
                        label,
                        member_id=member.pk,
                        userid=user["userid"],
                        payload=payload,
                        reason=_("rehired: linked again"),
                    )
                )
            elif reason:
                blocked.append(
                    Planned(
                        Op.BLOCKED,
                        label,
                        member_id=member.pk,
                        userid=user["userid"],
                        before={"mobile": user.get("mobile")},
                        reason=reason,
                    )
                )
            else:
                plan.settled["member_linked"] += 1
            continue
        creates_updates.append(
            Planned(
                Op.UPDATE_USER,
                label,
                member_id=member.pk,
                userid=user["userid"],
                payload=payload,
                before=before,
                reason=reason,
            )
        )
    only = [
        Planned(
            Op.ONLY_IN_DINGTALK,
            f"{user.get('name')} ({userid})",
            userid=userid,
            needs_confirmation=True,
            waiting=True,
            before={"name": user.get("name")},
            reason=_("only in DingTalk; removing the person cannot be undone"),
        )
        for userid, user in snapshot.users.items()
        if userid not in claimed
    ]
    return creates_updates, removals, only, blocked


def _create(
    member: Member, label: str, departments: list[str], fields: dict[str, Any], link: MemberLink | None
) -> Planned:
    if not member.mobile:
        return Planned(
            Op.BLOCKED,
            label,
            member_id=member.pk,
            reason=_("DingTalk requires a mobile number, and this member has none"),
        )
    userid = userid_for(member.pk)
    payload: dict[str, Any] = {
        "userid": userid,
        "mobile": dingtalk_mobile(member.mobile),
        "fields": fields,
        "departments": departments,
        "replaces": link.userid if link is not None else "",
    }
    reason = _("no longer in DingTalk; added again") if link is not None else ""
    return Planned(Op.CREATE_USER, label, member_id=member.pk, userid=userid, payload=payload, reason=reason)


def _still_there(client: DingTalkClient, snapshot: Snapshot, userid: str) -> bool:
    """A linked user the walk did not see: gone, or only outside what the app may see?"""
    if snapshot.complete:
        return False
    try:
        client.get_user(userid)
    except NotFoundInDingTalk:
        return False
    except OutOfScope:
        return True
    return True
