"""SCIM Groups are the company's departments: ``displayName`` is the department's name and ``members`` the
accounts sitting in it (directly, not in its sub-departments). Groups an identity provider creates are
new top-level departments; adding a member gives the account a place in the department (its primary one
when it had none), removing takes that place away — all through the directory's actions.

A group's ``externalId`` is kept on a SCIM ``SourceLink`` without an account (external id ``group:<id>``,
the department in ``record``). A department with people, sub-departments or role grants over it cannot be
deleted: the request is refused and says why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.directory import actions as directory
from harbour.directory.models import Department, Membership
from harbour.directory.queries import attach_places
from harbour.lifecycle.models import SourceLink, SyncRun
from harbour.lifecycle.rules import recompute_after_move
from harbour.lifecycle.scim.errors import invalid_path, invalid_value, mutability, not_found, uniqueness
from harbour.lifecycle.scim.filters import (
    CORE_GROUP,
    Column,
    Compare,
    Logical,
    PatchPath,
    matches,
    parse_filter,
    to_query,
)
from harbour.lifecycle.scim.patch import operations_of
from harbour.lifecycle.scim.reports import Change
from harbour.lifecycle.scim.tokens import Caller
from harbour.lifecycle.scim.users import links_of, users_of

SCIM = SyncRun.Source.SCIM
GROUP_KEY = "group:"


# --------------------------------------------------------------------------------------------- reading
def group_links(tenant_id: uuid.UUID) -> QuerySet[SourceLink]:
    return SourceLink.objects.for_tenant(tenant_id).filter(
        source=SCIM, member__isnull=True, external_id__startswith=GROUP_KEY
    )


def _external_ids(tenant_id: uuid.UUID) -> dict[str, str]:
    """department id → the group's externalId (one query: a company has few departments)."""
    return {
        str(link.record.get("departmentId")): str(link.record.get("externalId"))
        for link in group_links(tenant_id)
    }


def group_columns(tenant_id: uuid.UUID) -> dict[str, Column]:
    def by_link(condition: Q) -> Q:
        ids = [link.record.get("departmentId") for link in group_links(tenant_id).filter(condition)]
        return Q(pk__in=[i for i in ids if i])

    return {
        "id": Column("pk", identifier=True),
        "displayname": Column("name"),
        "externalid": Column("record__externalId", case_exact=True, wrap=by_link),
    }


def get_group(caller: Caller, group_id: str) -> Department:
    try:
        return Department.objects.for_tenant(caller.tenant_id).get(pk=uuid.UUID(str(group_id)))
    except (Department.DoesNotExist, ValueError):
        raise not_found(_("no group %(id)s") % {"id": group_id}) from None


def search_groups(
    caller: Caller, filter_text: str | None, start: int, count: int
) -> tuple[int, list[Department]]:
    groups = Department.objects.for_tenant(caller.tenant_id)
    if filter_text:
        groups = groups.filter(to_query(parse_filter(filter_text), group_columns(caller.tenant_id), "Groups"))
    total = groups.count()
    if count == 0 or start > total:
        return total, []
    return total, list(groups.order_by("path")[start - 1 : start - 1 + count])


def members_of(tenant_id: uuid.UUID, departments: list[Department]) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """department id → [(member id, name)] for a page of departments, in one query; accounts SCIM deleted
    are left out, as they are from Users."""
    found: dict[uuid.UUID, list[tuple[str, str]]] = {d.pk: [] for d in departments}
    deleted = links_of(tenant_id).filter(situation=SourceLink.Situation.DELETED).values("member_id")
    rows = (
        Membership.objects.for_tenant(tenant_id)
        .filter(department_id__in=list(found))
        .exclude(member_id__in=deleted)
        .order_by("member__name", "member_id")
        .values_list("department_id", "member_id", "member__name")
    )
    for department_id, member_id, name in rows:
        found[department_id].append((str(member_id), name))
    return found


def version_of(department: Department) -> str:
    return f'W/"{int(department.updated_at.timestamp() * 1_000_000):x}"'


def render_group(
    base: str,
    department: Department,
    external_id: str | None,
    members: list[tuple[str, str]] | None,
) -> dict[str, Any]:
    """The department as a SCIM Group; ``members`` None leaves them out (``excludedAttributes=members``)."""
    doc: dict[str, Any] = {"schemas": [CORE_GROUP], "id": str(department.pk), "displayName": department.name}
    if external_id:
        doc["externalId"] = external_id
    if members is not None:
        doc["members"] = [
            {"value": member_id, "$ref": f"{base}/Users/{member_id}", "display": name, "type": "User"}
            for member_id, name in members
        ]
    doc["meta"] = {
        "resourceType": "Group",
        "created": department.created_at.isoformat().replace("+00:00", "Z"),
        "lastModified": department.updated_at.isoformat().replace("+00:00", "Z"),
        "location": f"{base}/Groups/{department.pk}",
        "version": version_of(department),
    }
    return doc


def external_id_of(tenant_id: uuid.UUID, department: Department) -> str | None:
    return _external_ids(tenant_id).get(str(department.pk))


def render_page(
    base: str, tenant_id: uuid.UUID, page: list[Department], with_members: bool
) -> list[dict[str, Any]]:
    external = _external_ids(tenant_id)
    members = members_of(tenant_id, page) if with_members else {}
    return [
        render_group(base, d, external.get(str(d.pk)), members[d.pk] if with_members else None) for d in page
    ]


# ---------------------------------------------------------------------------------------------- writes
@dataclass
class GroupWrite:
    """What a request asks of a group: a new name, an externalId, members to add and to take away (or the
    exact set)."""

    name: str | None = None
    external_id: Any = None  # str, "" to clear, None: as it is
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    exact: list[str] | None = None
    remove_all: bool = False


def _string(value: Any, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid_value(_("%(attr)s is a non-empty string") % {"attr": label})
    return value.strip()


def _member_ids(value: Any) -> list[str]:
    """``[{"value": id}, …]`` (or one such object) → ids."""
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        if isinstance(item, dict):
            lowered = {str(k).lower(): v for k, v in item.items()}
            item = lowered.get("value")
        if not isinstance(item, str) or not item.strip():
            raise invalid_value(_('members are given as [{"value": "<user id>"}]'))
        ids.append(item.strip())
    return ids


def _attributes(body: dict[str, Any], write: GroupWrite, *, replace_members: bool) -> None:
    for key, value in body.items():
        lowered = str(key).lower()
        if lowered == "displayname":
            write.name = _string(value, "displayName")
        elif lowered == "externalid":
            write.external_id = "" if value is None else _string(value, "externalId")
        elif lowered == "members":
            ids = _member_ids(value) if value else []
            if replace_members:
                write.exact = ids
            else:
                write.add.extend(ids)


def read_group(body: Any, *, full: bool) -> GroupWrite:
    """POST and PUT bodies: displayName required; members, when present, are the whole set."""
    if not isinstance(body, dict):
        raise invalid_value(_("a Group is a JSON object"))
    lowered = {str(k).lower(): v for k, v in body.items()}
    schemas = lowered.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or CORE_GROUP not in schemas):
        raise invalid_value(_("a Group names the schema %(urn)s") % {"urn": CORE_GROUP})
    write = GroupWrite()
    _attributes(body, write, replace_members=True)
    if full and write.name is None:
        raise invalid_value(_("displayName is required: the department's name"))
    return write


def read_group_patch(body: Any, current_members: Any) -> GroupWrite:
    """PATCH operations on a group: displayName and externalId replaced, members added, removed (by a
    ``members[value eq "…"]`` path, or with a value list, or all) or replaced. ``current_members`` is asked
    only for a remove filter that is not a plain list of ids."""
    write = GroupWrite()
    for op, path, value in operations_of(body):
        if path is None:
            _attributes(value, write, replace_members=op == "replace")
            continue
        _patch_path(write, op, path, value, current_members)
    return write


def _ids_in(node: Any) -> list[str] | None:
    """The ids of ``value eq "a" or value eq "b"``; None for any other filter."""
    if (
        isinstance(node, Compare)
        and node.op == "eq"
        and node.path.name == "value"
        and isinstance(node.value, str)
    ):
        return [node.value]
    if isinstance(node, Logical) and node.op == "or":
        left, right = _ids_in(node.left), _ids_in(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _patch_path(write: GroupWrite, op: str, path: PatchPath, value: Any, current_members: Any) -> None:
    if path.schema and path.schema != CORE_GROUP.lower():
        raise invalid_path(_("a Group has no attribute %(path)s") % {"path": path.name})
    if path.name == "displayname":
        if op == "remove":
            raise mutability(_("displayName cannot be removed: a department has a name"))
        write.name = _string(value, "displayName")
    elif path.name == "externalid":
        write.external_id = "" if op == "remove" or value is None else _string(value, "externalId")
    elif path.name == "members" and path.where is not None:
        if op != "remove" or path.sub:
            raise invalid_path(_("members[…] is only used to remove members"))
        ids = _ids_in(path.where)
        if ids is None:
            where = path.where
            ids = [m for m, name in current_members() if matches(where, {"value": m, "display": name})]
        write.remove.extend(ids)
    elif path.name == "members":
        if op == "add":
            write.add.extend(_member_ids(value))
        elif op == "replace":
            write.exact = _member_ids(value) if value else []
        elif value:
            write.remove.extend(_member_ids(value))
        else:
            write.remove_all = True
    # Other attributes (Groups have no others in Harbour) are ignored, as for Users.


def _label(department: Department) -> str:
    return _("group %(name)s") % {"name": department.name}


def create_group(caller: Caller, body: Any) -> tuple[Department, list[Change]]:
    write = read_group(body, full=True)
    assert write.name is not None
    if write.external_id:
        _check_external_id(caller, write.external_id, None)
    department = directory.create_department(caller.actor, name=write.name)
    changes = [Change("group", _label(department), fields={"department": [None, department.name]})]
    if write.external_id:
        _keep_link(caller, department, write.external_id)
    changes += _set_members(caller, department, add=write.exact or [], remove=[])
    return department, changes


def replace_group(caller: Caller, department: Department, body: Any) -> list[Change]:
    write = read_group(body, full=True)
    sent_id = {str(k).lower(): v for k, v in body.items()}.get("id")
    if sent_id is not None and str(sent_id) != str(department.pk):
        raise mutability(_("id cannot be changed"))
    return _apply(caller, department, write)


def patch_group(caller: Caller, department: Department, body: Any) -> list[Change]:
    def current() -> list[tuple[str, str]]:
        return members_of(caller.tenant_id, [department])[department.pk]

    return _apply(caller, department, read_group_patch(body, current))


def _apply(caller: Caller, department: Department, write: GroupWrite) -> list[Change]:
    changes: list[Change] = []
    if write.name is not None and write.name != department.name:
        before = department.name
        directory.rename_department(caller.actor, department, name=write.name)
        changes.append(Change("group", _label(department), fields={"name": [before, department.name]}))
    if write.external_id is not None:
        if write.external_id:
            _check_external_id(caller, write.external_id, department)
        _keep_link(caller, department, write.external_id)
    add, remove = list(write.add), list(write.remove)
    if write.exact is not None or write.remove_all:
        now_in = {m for m, _name in members_of(caller.tenant_id, [department])[department.pk]}
        wanted = set(write.exact or [])
        add += [m for m in (write.exact or []) if m not in now_in]
        remove += [m for m in now_in if m not in wanted]
    changes += _set_members(caller, department, add=add, remove=remove)
    return changes


def _check_external_id(caller: Caller, external_id: str, department: Department | None) -> None:
    clash = group_links(caller.tenant_id).filter(external_id=GROUP_KEY + external_id)
    if department is not None:
        clash = clash.exclude(record__departmentId=str(department.pk))
    if clash.exists():
        raise uniqueness(_("externalId %(id)s belongs to another group") % {"id": external_id})


def _keep_link(caller: Caller, department: Department, external_id: str) -> None:
    """Keep (or, with an empty externalId, drop) the group's externalId."""
    links = group_links(caller.tenant_id).filter(record__departmentId=str(department.pk))
    if not external_id:
        links.delete()
        return
    record = {"resourceType": "Group", "departmentId": str(department.pk), "externalId": external_id}
    link = links.first()
    if link is None:
        SourceLink.objects.create(
            tenant_id=caller.tenant_id,
            source=SCIM,
            external_id=(GROUP_KEY + external_id)[:200],
            situation=SourceLink.Situation.LINKED,
            record=record,
        )
    elif link.record != record:
        link.external_id, link.record = (GROUP_KEY + external_id)[:200], record
        link.save(update_fields=["external_id", "record", "updated_at"])


def _set_members(
    caller: Caller, department: Department, *, add: list[str], remove: list[str]
) -> list[Change]:
    """Give each added account a place in the department and take it from each removed one (one directory
    update each, audited); ids that are not users here are refused before anything changes."""
    wanted = {*add, *remove}
    if not wanted:
        return []
    for value in wanted:
        try:
            uuid.UUID(value)
        except ValueError:
            raise invalid_value(_("%(id)s is not a user here") % {"id": value}) from None
    found = list(users_of(caller.tenant_id).filter(pk__in=list(wanted)))
    members = {str(m.pk): m for m in found}
    missing = sorted(v for v in wanted if str(uuid.UUID(v)) not in members)
    if missing:
        raise invalid_value(_("%(id)s is not a user here") % {"id": missing[0]})
    attach_places(found, caller.tenant_id)
    involved = {p.department_id for m in found for p in m.places()} | {department.pk}
    departments = {d.pk: d for d in Department.objects.for_tenant(caller.tenant_id).filter(pk__in=involved)}
    changes: list[Change] = []
    adding = {str(uuid.UUID(v)) for v in add}
    removing = {str(uuid.UUID(v)) for v in remove} - adding
    for key, member in sorted(members.items(), key=lambda pair: pair[1].name):
        held = [p.department_id for p in member.places()]
        if key in adding and department.pk not in held:
            after = [*held, department.pk]
        elif key in removing and department.pk in held:
            after = [d for d in held if d != department.pk]
        else:
            continue
        before_names = [departments[d].name for d in held]
        directory.update_member(caller.actor, member, departments=[departments[d] for d in after])
        if key in removing:
            member.forget_access()
            recompute_after_move(caller.actor, member, left=[department.pk])
        changes.append(
            Change(
                "update",
                f"{member.name} <{member.email}>",
                member.pk,
                fields={
                    "departments": [", ".join(before_names), ", ".join(departments[d].name for d in after)]
                },
            )
        )
    return changes


def delete_group(caller: Caller, department: Department) -> list[Change]:
    """Only an empty department goes (the directory refuses one with people, sub-departments or grants)."""
    name = department.name
    directory.delete_department(caller.actor, department)
    group_links(caller.tenant_id).filter(record__departmentId=str(department.pk)).delete()
    return [Change("group", _("group %(name)s") % {"name": name}, fields={"department": [name, None]})]
