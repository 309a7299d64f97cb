"""Adopting a DingTalk directory: what each DingTalk department and user is in Harbour.

Departments: already linked; the same name under the mapped parent (DingTalk's root, dept 1, is the company
itself, so its children sit at Harbour's top level) → link; otherwise → create in Harbour. Users: linked;
one matching account (``matching``) → link; different accounts → disputed, a person decides; none → create
the account when DingTalk has an email address for it, else it cannot be adopted (a person may link it by
hand). ``active`` false only means the person has not activated DingTalk yet: they are still employed.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.admission import email_checker
from harbour.directory.models import Department
from harbour.integrations.dingtalk.models import ROOT_DEPT_ID, Connection, DepartmentLink, MemberLink
from harbour.integrations.dingtalk.sync.fields import e164, emails_of, hired_day
from harbour.integrations.dingtalk.sync.items import Op, Plan, Planned
from harbour.integrations.dingtalk.sync.matching import Accounts, load_accounts
from harbour.integrations.dingtalk.sync.snapshot import Snapshot

NEW = "new"  # a department this plan creates in Harbour: nothing can be matched under it yet


def plan_adoption(
    connection: Connection, snapshot: Snapshot, *, userids: Collection[str] | None = None
) -> Plan:
    """The adoption of what ``snapshot`` holds (``userids``: only these users, no departments — an event)."""
    plan = Plan(out_of_scope=list(snapshot.out_of_scope))
    if userids is None:
        plan.items += _departments(connection, snapshot, plan)
    users = [u for uid, u in snapshot.users.items() if userids is None or uid in userids]
    accounts = load_accounts(connection.tenant_id, users if userids is not None else None)
    plan.items += _users(connection, users, accounts, plan)
    return plan


def _departments(connection: Connection, snapshot: Snapshot, plan: Plan) -> list[Planned]:
    tenant_id = connection.tenant_id
    links = {
        link.dept_id: link
        for link in DepartmentLink.objects.for_tenant(tenant_id).filter(
            removed_at__isnull=True, department__isnull=False
        )
    }
    taken = {link.department_id for link in links.values()}
    by_place: dict[tuple[Any, str], Department] = {}
    for department in Department.objects.for_tenant(tenant_id).order_by("depth", "position"):
        if department.pk not in taken:
            by_place.setdefault((department.parent_id, department.name.lower()), department)
    harbour_of: dict[int, Any] = {ROOT_DEPT_ID: None}  # DingTalk dept → Harbour department id (or NEW)
    items: list[Planned] = []
    for dept_id, dept in snapshot.departments.items():
        name = str(dept.get("name") or dept_id)
        parent_id = snapshot.parent_of(dept_id)
        depth = snapshot.depth[dept_id]
        payload = {"name": name, "parent_id": parent_id}
        link = links.get(dept_id)
        if link is not None:
            harbour_of[dept_id] = link.department_id
            plan.settled["department_linked"] += 1
            continue
        parent = harbour_of.get(parent_id, NEW)
        same = None if parent == NEW else by_place.pop((parent, name.lower()), None)
        if same is not None:
            harbour_of[dept_id] = same.pk
            items.append(
                Planned(
                    Op.LINK_DEPARTMENT,
                    name,
                    department_id=same.pk,
                    dept_id=dept_id,
                    depth=depth,
                    payload=payload,
                    reason=_("a Harbour department of the same name is in the same place"),
                )
            )
        else:
            harbour_of[dept_id] = NEW
            items.append(Planned(Op.ADOPT_DEPARTMENT, name, dept_id=dept_id, depth=depth, payload=payload))
    items.sort(key=lambda item: item.depth)  # level by level: a parent is there before its children
    return items


def user_payload(user: dict[str, Any]) -> dict[str, Any]:
    """What adoption keeps of a DingTalk user (as Harbour reads it)."""
    hired = hired_day(user.get("hired_date"))
    return {
        "name": str(user.get("name") or user["userid"]),
        "email": (emails_of(user) or [""])[0],
        "mobile": e164(str(user.get("mobile") or "")),
        "job_number": str(user.get("job_number") or ""),
        "title": str(user.get("title") or ""),
        "dept_id_list": [int(d) for d in user.get("dept_id_list") or []],
        "unionid": str(user.get("unionid") or ""),
        "hired_date": hired.isoformat() if hired else None,
        "active": bool(user.get("active", True)),
    }


def _label(user: dict[str, Any], payload: dict[str, Any]) -> str:
    return (
        f"{payload['name']} <{payload['email']}>"
        if payload["email"]
        else f"{payload['name']} ({user['userid']})"
    )


def _users(
    connection: Connection, users: list[dict[str, Any]], accounts: Accounts, plan: Plan
) -> list[Planned]:
    tenant_id = connection.tenant_id
    live = {
        link.userid: link
        for link in MemberLink.objects.for_tenant(tenant_id).filter(
            userid__in=[u["userid"] for u in users], removed_at__isnull=True, member__isnull=False
        )
    }
    refusal = email_checker(tenant_id)
    items: list[Planned] = []
    for user in users:
        userid = user["userid"]
        if userid in live:
            plan.settled["member_linked"] += 1
            continue
        payload = user_payload(user)
        label = _label(user, payload)
        found = accounts.match(user)
        free = [m for m in found if m not in accounts.linked_to]
        if len(found) == 1 and free:
            items.append(
                Planned(
                    Op.LINK_MEMBER,
                    label,
                    member_id=found[0],
                    userid=userid,
                    payload=payload,
                    reason=_("matches %(account)s") % {"account": accounts.labels[found[0]]},
                )
            )
        elif len(found) > 1:
            items.append(
                Planned(
                    Op.DISPUTED,
                    label,
                    userid=userid,
                    payload=payload,
                    waiting=True,
                    candidates=[str(m) for m in found],
                    reason=_("job number, email and mobile point at different accounts: %(accounts)s")
                    % {"accounts": ", ".join(accounts.labels[m] for m in found)},
                )
            )
        elif found:
            items.append(
                _cannot(
                    label,
                    userid,
                    payload,
                    _("matches %(account)s, which is already linked to DingTalk user %(other)s")
                    % {"account": accounts.labels[found[0]], "other": accounts.linked_to[found[0]]},
                )
            )
        elif not payload["email"]:
            items.append(
                _cannot(
                    label,
                    userid,
                    payload,
                    _(
                        "DingTalk has no email address for this person, "
                        "and Harbour needs one to create an account"
                    ),
                )
            )
        elif reason := refusal(payload["email"]):
            items.append(_cannot(label, userid, payload, reason))
        else:
            items.append(Planned(Op.ADOPT_MEMBER, label, userid=userid, payload=payload))
    return items


def _cannot(label: str, userid: str, payload: dict[str, Any], reason: str) -> Planned:
    return Planned(Op.CANNOT_ADOPT, label, userid=userid, payload=payload, reason=reason, waiting=True)
