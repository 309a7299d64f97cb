"""DingTalk's events reflected in Harbour, each once (a replayed push has the same digest).

- ``user_leave_org``: the linked account is frozen as a leaver (rights handed over, suspended, sessions
  ended), once; the link is marked removed.
- ``user_add_org``: a one-user adoption (link or create) — unless the person is a former employee in
  Harbour: a rehire in DingTalk leaves the account suspended until HR rehires them.
- ``user_modify_org``: drift; Harbour is the source, so the next sync plan shows (and undoes) it.
- ``org_dept_create`` / ``org_dept_modify`` / ``org_dept_remove``: the department is read and created,
  renamed, moved or (when empty) removed in Harbour.
- Anything else (``check_url`` included) is recorded and ignored. Every event is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.errors import HarbourError
from harbour.core.permissions import SystemActor
from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import Department, MemberState
from harbour.integrations.dingtalk.client import DingTalkClient, DingTalkError
from harbour.integrations.dingtalk.models import (
    ROOT_DEPT_ID,
    CallbackEvent,
    Connection,
    DepartmentLink,
    MemberLink,
    SyncRun,
)
from harbour.integrations.dingtalk.sync import adopt
from harbour.integrations.dingtalk.sync.apply import apply_pending
from harbour.integrations.dingtalk.sync.clients import client_for
from harbour.integrations.dingtalk.sync.items import Outcome as ItemOutcome
from harbour.integrations.dingtalk.sync.items import store_plan
from harbour.integrations.dingtalk.sync.links import link_department, note_unlinked
from harbour.integrations.dingtalk.sync.matching import load_accounts
from harbour.integrations.dingtalk.sync.snapshot import Snapshot, remember_user
from harbour.lifecycle.leavers import freeze_leaver

Outcome = CallbackEvent.Outcome
Situation = MemberLink.Situation
LEFT_IN_DINGTALK = "left in DingTalk"


@dataclass
class Handling:
    """What handling one event did, item by item."""

    connection: Connection
    system: SystemActor
    made: list[DingTalkClient] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def client(self) -> DingTalkClient:
        if not self.made:
            self.made.append(client_for(self.connection))
        return self.made[0]

    def outcome(self) -> tuple[str, str]:
        if self.failed:
            state = Outcome.FAILED
        elif self.applied:
            state = Outcome.APPLIED
        else:
            state = Outcome.IGNORED
        return state, "; ".join([*self.failed, *self.applied, *self.ignored])[:500]


def handle_event(connection: Connection, envelope: dict[str, Any], *, digest: str) -> CallbackEvent:
    tenant_id = connection.tenant_id
    known = CallbackEvent.objects.for_tenant(tenant_id).filter(digest=digest).first()
    if known is not None:
        return known  # a replay: handled once already
    event_type = str(envelope.get("EventType") or "")[:40]
    try:
        with tenant_transaction(tenant_id):
            event = CallbackEvent.objects.create(
                tenant_id=tenant_id,
                connection=connection,
                digest=digest,
                event_type=event_type,
                payload=envelope,
            )
    except IntegrityError:  # the same push, delivered twice at once: the other delivery handles it
        return CallbackEvent.objects.for_tenant(tenant_id).get(digest=digest)
    handling = Handling(connection, SystemActor(tenant_id, "DingTalk"))
    handler = HANDLERS.get(event_type)
    if handler is None:
        handling.ignored.append(_("not an event Harbour acts on"))
    else:
        try:
            handler(handling, envelope)
        except DingTalkError as exc:
            handling.failed.append(f"{exc.code}: {exc.explanation}")
        except HarbourError as exc:
            handling.failed.append(exc.message)
    outcome, message = handling.outcome()
    with tenant_transaction(tenant_id):
        event.outcome, event.message, event.handled_at = outcome, message, now()
        event.save(update_fields=["outcome", "message", "handled_at", "updated_at"])
        corp_id = str(envelope.get("CorpId") or "")
        if corp_id and not connection.corp_id:
            connection.corp_id = corp_id[:64]
            connection.save(update_fields=["corp_id", "updated_at"])
        record(handling.system, "dingtalk.event_received", target=event, after=event.snapshot())
    return event


def _ids(envelope: dict[str, Any], key: str) -> list[Any]:
    value = envelope.get(key) or []
    return list(value) if isinstance(value, list | tuple) else [value]


# ----------------------------------------------------------------------------------------------- people
def user_left(handling: Handling, envelope: dict[str, Any]) -> None:
    tenant_id = handling.connection.tenant_id
    for userid in map(str, _ids(envelope, "UserId")):
        link = (
            MemberLink.objects.for_tenant(tenant_id)
            .filter(userid=userid, removed_at__isnull=True)
            .select_related("member")
            .first()
        )
        if link is None:
            handling.ignored.append(_("%(userid)s is not linked to an account") % {"userid": userid})
            continue
        member = link.member
        try:
            with tenant_transaction(tenant_id):
                link.removed_at, link.situation = now(), Situation.DELETED
                link.save(update_fields=["removed_at", "situation", "updated_at"])
                if member is None or member.state == MemberState.DEACTIVATED:
                    handling.ignored.append(_("%(userid)s: no active account") % {"userid": userid})
                    continue
                freeze_leaver(handling.system, member, reason=LEFT_IN_DINGTALK)
        except HarbourError as exc:
            handling.failed.append(f"{member}: {exc.message}")
            continue
        handling.applied.append(_("%(name)s suspended: left in DingTalk") % {"name": member.name})


def user_added(handling: Handling, envelope: dict[str, Any]) -> None:
    connection = handling.connection
    if connection.state != Connection.State.ADOPTED:
        handling.ignored.append(_("the DingTalk directory is not adopted yet; adopting it will read them"))
        return
    tenant_id = connection.tenant_id
    linked = set(
        MemberLink.objects.for_tenant(tenant_id)
        .filter(userid__in=[str(u) for u in _ids(envelope, "UserId")], removed_at__isnull=True)
        .exclude(member__isnull=True)
        .values_list("userid", flat=True)
    )
    snapshot = Snapshot()
    for userid in map(str, _ids(envelope, "UserId")):
        if userid in linked:
            handling.ignored.append(_("%(userid)s is linked already") % {"userid": userid})
            continue
        remember_user(snapshot, handling.client().get_user(userid))
    accounts = load_accounts(tenant_id, snapshot.users.values())
    for userid, user in list(snapshot.users.items()):
        former = [m for m in accounts.match(user) if m in accounts.leavers]
        if former:
            with tenant_transaction(tenant_id):
                note_unlinked(
                    connection,
                    userid=userid,
                    situation=Situation.UNLINKED,
                    name=str(user.get("name") or ""),
                    member_id=former[0],
                )
            handling.ignored.append(
                _(
                    "%(account)s is a former employee: added again in DingTalk, the Harbour account stays "
                    "suspended until HR rehires them"
                )
                % {"account": accounts.labels[former[0]]}
            )
            del snapshot.users[userid]
    if not snapshot.users:
        return
    planned = adopt.plan_adoption(connection, snapshot, userids=set(snapshot.users))
    with tenant_transaction(tenant_id):
        run = store_plan(
            handling.system, connection, SyncRun.Kind.ADOPT, SyncRun.Trigger.EVENT, planned, planned.items
        )
    run = apply_pending(handling.system, run, client=handling.client())
    for item in run.items.order_by("position"):
        if item.outcome == ItemOutcome.APPLIED:
            handling.applied.append(f"{item.label}: {item.get_op_display()}")
        elif item.outcome == ItemOutcome.WAITING:
            handling.ignored.append(f"{item.label}: {item.get_op_display()} — {item.reason}")
        else:
            handling.failed.append(f"{item.label}: {item.message}")


def user_changed(handling: Handling, envelope: dict[str, Any]) -> None:
    tenant_id = handling.connection.tenant_id
    userids = [str(u) for u in _ids(envelope, "UserId")]
    with tenant_transaction(tenant_id):
        MemberLink.objects.for_tenant(tenant_id).filter(userid__in=userids).update(
            fingerprint="", updated_at=now()
        )
    handling.ignored.append(
        _("changed in DingTalk; Harbour is the source, so the next sync plan shows the difference")
    )


# ----------------------------------------------------------------------------------------- departments
def _live_link(tenant_id: uuid.UUID, dept_id: int) -> DepartmentLink | None:
    return (
        DepartmentLink.objects.for_tenant(tenant_id)
        .filter(dept_id=dept_id, removed_at__isnull=True)
        .select_related("department")
        .first()
    )


def department_changed(handling: Handling, envelope: dict[str, Any]) -> None:
    for dept_id in map(int, _ids(envelope, "DeptId")):
        dept = handling.client().get_department(dept_id)
        try:
            with tenant_transaction(handling.connection.tenant_id):
                _reflect_department(handling, dept_id, dept)
        except HarbourError as exc:
            handling.failed.append(f"{dept.get('name') or dept_id}: {exc.message}")


def _reflect_department(handling: Handling, dept_id: int, dept: dict[str, Any]) -> None:
    tenant_id, system = handling.connection.tenant_id, handling.system
    name = str(dept.get("name") or dept_id)
    parent_dept_id = int(dept.get("parent_id") or ROOT_DEPT_ID)
    parent: Department | None = None
    if parent_dept_id != ROOT_DEPT_ID:
        parent_link = _live_link(tenant_id, parent_dept_id)
        if parent_link is None or parent_link.department is None:
            handling.failed.append(
                _("%(name)s: its parent department is not linked to Harbour") % {"name": name}
            )
            return
        parent = parent_link.department
    link = _live_link(tenant_id, dept_id)
    department = link.department if link is not None else None
    if department is None:
        same = Department.objects.for_tenant(tenant_id).filter(parent=parent, name__iexact=name).first()
        department = same or directory.create_department(system, name=name, parent=parent)
        handling.applied.append(
            (_("%(name)s linked") if same else _("%(name)s created in Harbour")) % {"name": name}
        )
    else:
        changed = False
        if department.name != name:
            directory.rename_department(system, department, name=name)
            changed = True
        if department.parent_id != (parent.pk if parent else None):
            directory.move_department(system, department, parent=parent)
            changed = True
        if changed:
            handling.applied.append(_("%(name)s renamed or moved in Harbour") % {"name": name})
        else:
            handling.ignored.append(_("%(name)s is in step already") % {"name": name})
    link_department(
        handling.connection,
        dept_id=dept_id,
        department_id=department.pk,
        parent_dept_id=parent_dept_id,
        name=name,
    )


def department_removed(handling: Handling, envelope: dict[str, Any]) -> None:
    tenant_id = handling.connection.tenant_id
    for dept_id in map(int, _ids(envelope, "DeptId")):
        link = _live_link(tenant_id, dept_id)
        if link is None or link.department is None:
            handling.ignored.append(_("department %(id)s is not linked") % {"id": dept_id})
            if link is not None:
                with tenant_transaction(tenant_id):
                    DepartmentLink.objects.for_tenant(tenant_id).filter(pk=link.pk).update(removed_at=now())
            continue
        department = link.department
        with tenant_transaction(tenant_id):
            DepartmentLink.objects.for_tenant(tenant_id).filter(pk=link.pk).update(
                removed_at=now(), updated_at=now()
            )
        try:
            directory.delete_department(handling.system, department)
        except HarbourError as exc:
            handling.failed.append(
                _("%(name)s was removed in DingTalk but stays in Harbour: %(why)s")
                % {"name": department.name, "why": exc.message}
            )
            continue
        handling.applied.append(_("%(name)s removed from Harbour") % {"name": department.name})


def ignored(handling: Handling, envelope: dict[str, Any]) -> None:
    handling.ignored.append(_("nothing to do"))


HANDLERS: dict[str, Callable[[Handling, dict[str, Any]], None]] = {
    "user_leave_org": user_left,
    "user_add_org": user_added,
    "user_modify_org": user_changed,
    "org_dept_create": department_changed,
    "org_dept_modify": department_changed,
    "org_dept_remove": department_removed,
    "check_url": ignored,
}
