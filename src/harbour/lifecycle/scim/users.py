"""SCIM Users are the company's work accounts (``directory.Member``): their representation, the list and
its filters, and the writes — joiner, mover, update, leaver, rehire — through the directory's and the
lifecycle's actions.

- ``id`` is the member's UUID; ``userName`` is the work address, which is also the one work email (Harbour
  keeps one address: a request that gives the two different values is refused, naming both).
- ``externalId`` and the parts of the name Harbour does not keep apart (given and family name) are kept on
  the member's SCIM ``SourceLink`` (external id = the externalId, or the userName when none is sent).
- ``active`` is true for invited and active accounts. ``active=false`` freezes the account as a leaver
  (``freeze_leaver``); ``active=true`` on a frozen account is a rehire.
- The enterprise extension's ``department`` is the primary department, matched by name (or path
  "Finance / Accounts Payable"); a change is a move. ``manager.value`` is the manager's id.
- DELETE freezes the account as a leaver — a former employee's record is kept for the retention clock,
  never erased here — and marks the link ``deleted``: SCIM no longer shows the account.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.models import Tenant
from harbour.directory import actions as directory
from harbour.directory.models import Department, Member, MemberState
from harbour.directory.queries import attach_places
from harbour.lifecycle.hr_file import department_index
from harbour.lifecycle.leavers import freeze_leaver, rehire
from harbour.lifecycle.models import SourceLink, SyncRun
from harbour.lifecycle.rules import grant_by_rules, recompute_after_move
from harbour.lifecycle.scim.errors import invalid_value, mutability, not_found, uniqueness
from harbour.lifecycle.scim.filters import CORE_USER, ENTERPRISE, Column, parse_filter, to_query
from harbour.lifecycle.scim.patch import apply_operations, canonical, operations_of
from harbour.lifecycle.scim.reports import Change
from harbour.lifecycle.scim.tokens import Caller

SCIM = SyncRun.Source.SCIM
Situation = SourceLink.Situation
ACTIVE_STATES = (MemberState.INVITED, MemberState.ACTIVE)
UNSET: Any = object()  # "the request leaves this as it is"


# --------------------------------------------------------------------------------------------- reading
def links_of(tenant_id: uuid.UUID) -> QuerySet[SourceLink]:
    return SourceLink.objects.for_tenant(tenant_id).filter(source=SCIM, member__isnull=False)


def users_of(tenant_id: uuid.UUID) -> QuerySet[Member]:
    """The accounts SCIM shows: every member of the company but those SCIM deleted."""
    deleted = links_of(tenant_id).filter(situation=Situation.DELETED).values("member_id")
    return Member.objects.for_tenant(tenant_id).exclude(pk__in=deleted)


def get_user(caller: Caller, user_id: str) -> tuple[Member, SourceLink | None]:
    try:
        member = users_of(caller.tenant_id).select_related("manager").get(pk=uuid.UUID(str(user_id)))
    except (Member.DoesNotExist, ValueError):
        raise not_found(_("no user %(id)s") % {"id": user_id}) from None
    link = links_of(caller.tenant_id).filter(member=member).first()
    return member, link


def user_columns(tenant_id: uuid.UUID) -> dict[str, Column]:
    def by_link(condition: Q) -> Q:
        return Q(pk__in=links_of(tenant_id).filter(condition).values("member_id"))

    return {
        "id": Column("pk", identifier=True),
        "username": Column("email"),
        "displayname": Column("name"),
        "emails": Column("email"),
        "emails.value": Column("email"),
        "employeenumber": Column("employee_number"),
        "externalid": Column("external_id", case_exact=True, wrap=by_link),
    }


def search_users(
    caller: Caller, filter_text: str | None, start: int, count: int
) -> tuple[int, list[tuple[Member, SourceLink | None]]]:
    """(total, the page): members by name then id, so index-based pages hold still. Four queries."""
    users = users_of(caller.tenant_id)
    if filter_text:
        users = users.filter(to_query(parse_filter(filter_text), user_columns(caller.tenant_id), "Users"))
    total = users.count()
    if count == 0 or start > total:
        return total, []
    page = list(users.select_related("manager").order_by("name", "id")[start - 1 : start - 1 + count])
    attach_places(page, caller.tenant_id)
    links = {
        link.member_id: link for link in links_of(caller.tenant_id).filter(member_id__in=[m.pk for m in page])
    }
    return total, [(member, links.get(member.pk)) for member in page]


def version_of(member: Member) -> str:
    return f'W/"{int(member.updated_at.timestamp() * 1_000_000):x}"'


def _time(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


def render_user(base: str, member: Member, link: SourceLink | None) -> dict[str, Any]:
    """The member as a SCIM User (unset attributes left out, as RFC 7643 asks)."""
    record = link.record if link is not None else {}
    stored = record.get("name")
    names: dict[str, Any] = stored if isinstance(stored, dict) else {}
    name: dict[str, Any] = {"formatted": member.name}
    for part in ("givenName", "familyName"):
        if names.get(part):
            name[part] = names[part]
    location = f"{base}/Users/{member.pk}"
    doc: dict[str, Any] = {
        "schemas": [CORE_USER, ENTERPRISE],
        "id": str(member.pk),
        "userName": member.email,
        "name": name,
        "displayName": member.name,
        "active": member.state in ACTIVE_STATES,
        "emails": [{"value": member.email, "type": "work", "primary": True}],
    }
    if record.get("externalId"):
        doc["externalId"] = record["externalId"]
    if member.title:
        doc["title"] = member.title
    places = member.places()
    if places:
        doc["groups"] = [
            {"value": str(p.department_id), "$ref": f"{base}/Groups/{p.department_id}", "display": p.name}
            for p in places
        ]
    enterprise: dict[str, Any] = {}
    if member.employee_number:
        enterprise["employeeNumber"] = member.employee_number
    primary = next((p for p in places if p.is_primary), places[0] if places else None)
    if primary is not None:
        enterprise["department"] = primary.name
    if member.manager_id is not None:
        enterprise["manager"] = {"value": str(member.manager_id), "$ref": f"{base}/Users/{member.manager_id}"}
        if member.manager is not None:
            enterprise["manager"]["displayName"] = member.manager.name
    if enterprise:
        doc[ENTERPRISE] = enterprise
    doc["meta"] = {
        "resourceType": "User",
        "created": _time(member.created_at),
        "lastModified": _time(member.updated_at),
        "location": location,
        "version": version_of(member),
    }
    return doc


# ------------------------------------------------------------------------------------ reading a request
@dataclass
class Wanted:
    """What a request asks of an account, checked; ``UNSET`` fields stay as they are."""

    email: Any = UNSET
    name: Any = UNSET
    title: Any = UNSET
    employee_number: Any = UNSET
    department: Any = UNSET  # Department, or None: no primary department
    manager: Any = UNSET  # Member or None
    active: Any = UNSET  # bool
    external_id: Any = UNSET  # str or None
    name_parts: dict[str, str] = field(default_factory=dict)


def _text(doc: dict[str, Any], key: str, label: str | None = None) -> str | None:
    value = doc.get(key)
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise invalid_value(_("%(attr)s is a string") % {"attr": label or key})


def _flag(value: Any, label: str) -> bool | None:
    """A boolean, also as the strings "True"/"False" Entra ID sends in PATCH values."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(_("%(attr)s is true or false, not %(value)r") % {"attr": label, "value": value})


def _work_email(doc: dict[str, Any]) -> str | None:
    emails = doc.get("emails")
    if emails is None:
        return None
    if isinstance(emails, dict):
        emails = [emails]
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise invalid_value(_("emails is a list of objects"))
    chosen = (
        next((e for e in emails if _flag(e.get("primary"), "emails.primary")), None)
        or next((e for e in emails if str(e.get("type") or "").lower() == "work"), None)
        or (emails[0] if emails else None)
    )
    return _text(chosen, "value", "emails.value") if chosen is not None else None


def _name_of(doc: dict[str, Any]) -> dict[str, str]:
    name = doc.get("name")
    if name is None:
        return {}
    if not isinstance(name, dict):
        raise invalid_value(_("name is an object"))
    return {
        part: value
        for part in ("formatted", "givenName", "familyName")
        if (value := _text(name, part, f"name.{part}"))
    }


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def find_department(tenant_id: uuid.UUID, label: str) -> Department:
    """A department by its name (English or Chinese; the shallowest when several share it) or by its path
    from the top ("Finance / Accounts Payable"). An unknown one is refused: SCIM does not create
    departments through a user."""
    if "/" in label:
        found = department_index(Tenant.objects.get(pk=tenant_id)).get(
            re.sub(r"\s*/\s*", " / ", label).lower()
        )
    else:
        found = (
            Department.objects.for_tenant(tenant_id)
            .filter(Q(name__iexact=label) | Q(name_zh__iexact=label))
            .order_by("depth", "path")
            .first()
        )
    if found is None:
        raise invalid_value(
            _("no department %(name)r in the company: create it first (or provision it as a Group)")
            % {"name": label}
        )
    return found


def _manager_id(enterprise: dict[str, Any]) -> str | None:
    manager = enterprise.get("manager")
    value = manager.get("value") if isinstance(manager, dict) else manager
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid_value(_("manager.value is the manager's id"))
    return value.strip()


def _find_manager(caller: Caller, value: str) -> Member:
    try:
        return users_of(caller.tenant_id).get(pk=uuid.UUID(value))
    except (Member.DoesNotExist, ValueError):
        raise invalid_value(_("the manager %(id)s is not a user here") % {"id": value}) from None


def _enterprise(doc: dict[str, Any]) -> dict[str, Any]:
    ext = doc.get(ENTERPRISE)
    if ext is None:
        return {}
    if not isinstance(ext, dict):
        raise invalid_value(_("%(urn)s is an object") % {"urn": ENTERPRISE})
    return ext


def read_request(caller: Caller, current: dict[str, Any], new: dict[str, Any]) -> Wanted:
    """Compare the resource the request leaves (``new``) with the one there is (``current``, empty for a
    create) and check what differs. Only what changed is resolved, so an unchanged department name that
    two departments share cannot move anybody."""
    creating = not current
    wanted = Wanted()
    # The address: userName and the work email are one.
    user_name, mail = _text(new, "userName"), _work_email(new)
    old_user, old_mail = current.get("userName"), _work_email(current) if current else None
    if not user_name:
        raise invalid_value(_("userName is required: the work email address"))
    user_changed = creating or not _same(user_name, old_user)
    mail_changed = bool(mail) and (creating or not _same(mail, old_mail))
    if user_changed and mail_changed and not _same(user_name, mail):
        raise invalid_value(
            _(
                "Harbour keeps one work address: userName %(user)s and the work email %(mail)s differ "
                "(map userName to the mail attribute)"
            )
            % {"user": user_name, "mail": mail}
        )
    if user_changed:
        wanted.email = user_name
    elif mail_changed:
        wanted.email = mail
    # The name: displayName first, then name.formatted, then given and family name.
    display = _text(new, "displayName")
    parts, old_parts = _name_of(new), _name_of(current)
    given_family = " ".join(p for p in (parts.get("givenName"), parts.get("familyName")) if p)
    candidates = [
        (display, creating or not _same(display, current.get("displayName"))),
        (parts.get("formatted"), creating or not _same(parts.get("formatted"), old_parts.get("formatted"))),
        (
            given_family,
            creating
            or not _same(parts.get("givenName"), old_parts.get("givenName"))
            or not _same(parts.get("familyName"), old_parts.get("familyName")),
        ),
    ]
    chosen = next((value for value, changed in candidates if value and changed), None)
    if chosen:
        wanted.name = chosen
    elif creating:
        raise invalid_value(_("a name is needed: displayName or name"))
    wanted.name_parts = {k: v for k, v in parts.items() if k in ("givenName", "familyName")}
    title = _text(new, "title") or ""
    if creating or not _same(title, current.get("title")):
        wanted.title = title
    external = _text(new, "externalId")
    if creating or (external or "") != (current.get("externalId") or ""):
        wanted.external_id = external or None
    active = _flag(new.get("active"), "active")
    if active is not None and (creating or active != current.get("active")):
        wanted.active = active
    ext, old_ext = _enterprise(new), _enterprise(current)
    number = _text(ext, "employeeNumber", "employeeNumber")
    if creating or (number or "") != (old_ext.get("employeeNumber") or ""):
        wanted.employee_number = number or None
    department = _text(ext, "department", "department")
    if creating or not _same(department, old_ext.get("department")):
        wanted.department = find_department(caller.tenant_id, department) if department else None
    manager = _manager_id(ext)
    if creating or (manager or "") != (_manager_id(old_ext) or ""):
        wanted.manager = _find_manager(caller, manager) if manager else None
    if creating and wanted.department is None:
        wanted.department = UNSET
    return wanted


def _body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_value(_("a User is a JSON object"))
    doc = canonical(body)
    schemas = doc.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or CORE_USER not in schemas):
        raise invalid_value(_("a User names the schema %(urn)s") % {"urn": CORE_USER})
    return doc


# ----------------------------------------------------------------------------------------------- links
def _link_record(wanted: Wanted, link: SourceLink | None) -> dict[str, Any]:
    record = dict(link.record) if link is not None else {}
    if wanted.external_id is not UNSET:
        record["externalId"] = wanted.external_id
    record["name"] = wanted.name_parts
    return record


def _check_external_id(caller: Caller, external_id: str, member: Member | None) -> None:
    clash = SourceLink.objects.for_tenant(caller.tenant_id).filter(source=SCIM, external_id=external_id)
    if member is not None:
        clash = clash.exclude(member=member)
    if clash.exists():
        raise uniqueness(_("externalId %(id)s belongs to another user") % {"id": external_id})


def _keep_link(
    caller: Caller, member: Member, link: SourceLink | None, wanted: Wanted, situation: str = Situation.LINKED
) -> SourceLink:
    record = _link_record(wanted, link)
    key = (record.get("externalId") or member.email)[:200]
    if link is None or link.external_id != key:
        taken = SourceLink.objects.for_tenant(caller.tenant_id).filter(source=SCIM, external_id=key)
        if link is not None:
            taken = taken.exclude(pk=link.pk)
        if taken.exists():
            key = f"id:{member.pk}"
    if link is None:
        return SourceLink.objects.create(
            tenant_id=caller.tenant_id,
            source=SCIM,
            external_id=key,
            member=member,
            situation=situation,
            record=record,
        )
    if (link.external_id, link.situation, link.record) != (key, situation, record):
        link.external_id, link.situation, link.record = key, situation, record
        link.save(update_fields=["external_id", "situation", "record", "updated_at"])
    return link


# ---------------------------------------------------------------------------------------------- writes
def _label(member: Member) -> str:
    return f"{member.name} <{member.email}>"


def create_user(caller: Caller, body: Any) -> tuple[Member, SourceLink, list[Change]]:
    """A joiner: the account is invited in its department (seat checked, invitation sent), or — sent with
    ``active=false`` — created deactivated, with no invitation. A userName SCIM once deleted comes back:
    the same account, relinked (and rehired unless sent inactive)."""
    doc = _body(body)
    user_name = (_text(doc, "userName") or "").lower()
    deleted = links_of(caller.tenant_id).filter(situation=Situation.DELETED).values("member_id")
    returning = Member.objects.for_tenant(caller.tenant_id).filter(email=user_name, pk__in=deleted).first()
    if returning is not None:
        link = links_of(caller.tenant_id).filter(member=returning).first()
        current = render_user("", returning, link)
        wanted_doc = {**_merged(current, doc), "active": doc.get("active", True)}
        return update_user(caller, returning, link, current, wanted_doc, relink=True)
    wanted = read_request(caller, {}, doc)
    if wanted.external_id:
        _check_external_id(caller, wanted.external_id, None)
    department = wanted.department if wanted.department is not UNSET else None
    spec = directory.MemberSpec(
        email=wanted.email,
        name=wanted.name,
        employee_number=wanted.employee_number,
        title=wanted.title,
        departments=[department] if department is not None else [],
        manager=wanted.manager,
        state=MemberState.INVITED,
    )
    # As the file import does: one checked insert (seats taken), then the invitation, mailed by the worker
    # with a link minted as it sends, and the role rules' grants.
    directory.bulk_create_members(caller.actor, [spec])
    member = (
        Member.objects.for_tenant(caller.tenant_id)
        .select_related("manager")
        .get(email=spec.email.strip().lower())
    )
    if wanted.active is False:
        directory.deactivate_member(caller.actor, member, reason="SCIM: created inactive")
    else:
        directory.send_invitations(caller.actor, [member])
        grant_by_rules(caller.actor, member)
    link = _keep_link(caller, member, None, wanted)
    change = Change(
        "create",
        _label(member),
        member.pk,
        fields={
            "email": [None, member.email],
            "department": [None, department.name if department is not None else None],
            "state": [None, member.state],
        },
        record={"userName": member.email, "externalId": wanted.external_id},
    )
    return member, link, [change]


def replace_user(
    caller: Caller, member: Member, link: SourceLink | None, body: Any
) -> tuple[Member, SourceLink, list[Change]]:
    """PUT: the attributes sent replace the account's; those left out stay as they are (Harbour's
    directory has other writers than the identity provider)."""
    doc = _body(body)
    current = render_user("", member, link)
    return update_user(caller, member, link, current, _merged(current, doc))


def _merged(current: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """The resource a PUT leaves: the attributes sent (the extension's one by one) over the current ones."""
    merged = {**current, **doc}
    if isinstance(current.get(ENTERPRISE), dict) and isinstance(doc.get(ENTERPRISE), dict):
        merged[ENTERPRISE] = {**current[ENTERPRISE], **doc[ENTERPRISE]}
    return merged


def patch_user(
    caller: Caller, member: Member, link: SourceLink | None, body: Any
) -> tuple[Member, SourceLink, list[Change]]:
    current = render_user("", member, link)
    return update_user(caller, member, link, current, apply_operations(current, operations_of(body)))


def _field_changes(member: Member, wanted: Wanted) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The directory's update_member arguments, and each changed field's before and after."""
    changes: dict[str, Any] = {}
    fields: dict[str, list[Any]] = {}
    for name in ("email", "name", "title", "employee_number"):
        value, before = getattr(wanted, name), getattr(member, name)
        if value is UNSET:
            continue
        same = _same(before, value) if name == "email" else (before or "") == (value or "")
        if not same:
            changes[name], fields[name] = value, [before, value]
    if wanted.manager is not UNSET and member.manager_id != (wanted.manager.pk if wanted.manager else None):
        changes["manager"] = wanted.manager
        fields["manager"] = [
            member.manager.email if member.manager else None,
            wanted.manager.email if wanted.manager else None,
        ]
    return changes, fields


def _move(
    caller: Caller, member: Member, target: Department | None
) -> tuple[list[Department], str | None] | None:
    """The departments after a move (the new primary first, the member's other departments kept) and the
    name of the primary department left; None when the primary department stays."""
    places = member.places()
    primary = next((p for p in places if p.is_primary), places[0] if places else None)
    if (primary.department_id if primary else None) == (target.pk if target else None):
        return None
    others = [
        p.department_id
        for p in places
        if p is not primary and (target is None or p.department_id != target.pk)
    ]
    kept = sorted(
        Department.objects.for_tenant(caller.tenant_id).filter(pk__in=others),
        key=lambda d: others.index(d.pk),
    )
    return ([target] if target is not None else []) + kept, primary.name if primary else None


def update_user(
    caller: Caller,
    member: Member,
    link: SourceLink | None,
    current: dict[str, Any],
    new: dict[str, Any],
    *,
    relink: bool = False,
) -> tuple[Member, SourceLink, list[Change]]:
    """Apply what differs between ``current`` and ``new``: fields, then a move, then leaving or coming
    back (a rehire's rights follow the department and title the request leaves)."""
    if "id" in new and str(new["id"]) != str(member.pk):
        raise mutability(_("id cannot be changed"))
    wanted = read_request(caller, current, new)
    if wanted.external_id:
        _check_external_id(caller, wanted.external_id, member)
    changes, fields = _field_changes(member, wanted)
    left = [p.department_id for p in member.places() if p.is_primary]
    moved = _move(caller, member, wanted.department) if wanted.department is not UNSET else None
    if moved is not None:
        changes["departments"] = moved[0]
        fields["department"] = [moved[1], wanted.department.name if wanted.department else None]
    kind = "update"
    if changes:
        directory.update_member(caller.actor, member, **changes)
        if moved is not None:
            kind = "move"
            member.forget_access()
            recompute_after_move(caller.actor, member, left=left)
    if wanted.active is False and member.state in ACTIVE_STATES:
        state = member.state
        freeze_leaver(caller.actor, member, reason="SCIM: active=false")
        fields["state"] = [state, member.state]
        kind = "leave"
    elif wanted.active is True and member.state not in ACTIVE_STATES:
        state = member.state
        rehire(caller.actor, member, reason="SCIM: active=true")
        fields["state"] = [state, member.state]
        kind = "rehire"
    before = (link.external_id, link.situation, dict(link.record)) if link is not None else None
    link = _keep_link(caller, member, link, wanted)
    if not fields:
        if before == (link.external_id, link.situation, link.record):
            return member, link, []
        kind = "link" if relink or before is None else "update"
        fields["externalId"] = [
            before[2].get("externalId") if before else None,
            link.record.get("externalId"),
        ]
    member.refresh_from_db(fields=["state", "updated_at"])
    member.forget_access()
    return (
        member,
        link,
        [Change(kind, _label(member), member.pk, fields=fields, record={"userName": member.email})],
    )


def delete_user(caller: Caller, member: Member, link: SourceLink | None) -> list[Change]:
    """The account is frozen as a leaver (kept for the retention clock) and SCIM stops showing it."""
    state = member.state
    if member.state != MemberState.DEACTIVATED:
        freeze_leaver(caller.actor, member, reason="SCIM: deleted")
    names = link.record.get("name") if link is not None else None
    wanted = Wanted(name_parts=names if isinstance(names, dict) else {})
    _keep_link(caller, member, link, wanted, situation=Situation.DELETED)
    return [
        Change(
            "leave",
            _label(member),
            member.pk,
            fields={"state": [state, member.state], "scim": ["linked", "deleted"]},
            reason="SCIM: deleted",
        )
    ]
