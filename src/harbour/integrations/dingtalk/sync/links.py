"""Keeping the links up to date: which DingTalk department and user each Harbour department and member is.
Written in the same transaction as the change that made them true."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from harbour.core.errors import Conflict
from harbour.core.time import now
from harbour.integrations.dingtalk.models import Connection, DepartmentLink, MemberLink

Situation = MemberLink.Situation


def link_department(
    connection: Connection, *, dept_id: int, department_id: uuid.UUID, parent_dept_id: int | None, name: str
) -> DepartmentLink:
    """``department`` is DingTalk's ``dept_id`` from now on; a link it had to another dept_id is dropped."""
    links = DepartmentLink.objects.for_tenant(connection.tenant_id)
    links.filter(department_id=department_id).exclude(dept_id=dept_id).update(
        department=None, removed_at=now(), updated_at=now()
    )
    link, _created = links.update_or_create(
        dept_id=dept_id,
        defaults={
            "tenant_id": connection.tenant_id,
            "connection": connection,
            "department_id": department_id,
            "parent_dept_id": parent_dept_id,
            "name": name[:64],
            "removed_at": None,
        },
    )
    return link


def dept_id_of(tenant_id: uuid.UUID, department_id: uuid.UUID | str) -> int | None:
    return (
        DepartmentLink.objects.for_tenant(tenant_id)
        .filter(department_id=department_id, removed_at__isnull=True)
        .values_list("dept_id", flat=True)
        .first()
    )


def link_member(
    connection: Connection,
    *,
    userid: str,
    member_id: uuid.UUID,
    unionid: str = "",
    name: str = "",
    replaces: str = "",
) -> MemberLink:
    """``userid`` is the member from now on. A member is linked to one DingTalk user at a time: the user it
    ``replaces`` (gone from DingTalk) is set aside, any other live link is a conflict."""
    links = MemberLink.objects.for_tenant(connection.tenant_id)
    if replaces and replaces != userid:
        links.filter(userid=replaces, member_id=member_id).update(
            removed_at=now(), situation=Situation.DELETED, updated_at=now()
        )
    other = links.filter(member_id=member_id, removed_at__isnull=True).exclude(userid=userid).first()
    if other is not None:
        raise Conflict(
            _("this account is already linked to DingTalk user %(userid)s") % {"userid": other.userid},
            field="member_id",
        )
    defaults: dict[str, object] = {
        "tenant_id": connection.tenant_id,
        "connection": connection,
        "member_id": member_id,
        "situation": Situation.LINKED,
        "candidates": [],
        "removed_at": None,
    }
    if unionid:
        defaults["unionid"] = unionid
    if name:
        defaults["name"] = name[:80]
    link, _created = links.update_or_create(userid=userid, defaults=defaults)
    return link


def note_unlinked(
    connection: Connection,
    *,
    userid: str,
    situation: str,
    name: str = "",
    candidates: list[str] | None = None,
    member_id: uuid.UUID | None = None,
) -> None:
    """A DingTalk user not (or not yet) tied to an account: disputed, unmatched, or matching a former
    employee. A live link already there is left alone."""
    links = MemberLink.objects.for_tenant(connection.tenant_id)
    existing = links.filter(userid=userid).first()
    if existing is not None and existing.removed_at is None and existing.situation == Situation.LINKED:
        return
    links.update_or_create(
        userid=userid,
        defaults={
            "tenant_id": connection.tenant_id,
            "connection": connection,
            "member_id": member_id,
            "situation": situation,
            "name": name[:80],
            "candidates": candidates or [],
            "removed_at": None,
        },
    )


def mark_user_removed(connection: Connection, userid: str) -> MemberLink | None:
    link = MemberLink.objects.for_tenant(connection.tenant_id).filter(userid=userid).first()
    if link is not None and link.removed_at is None:
        link.removed_at, link.situation = now(), Situation.DELETED
        link.save(update_fields=["removed_at", "situation", "updated_at"])
    return link
