"""What an HR file would change, before anything changes: the dry-run diff.

Each record is matched to a work account by employee number first, then by email (midPoint's correlation
order); the outcome is one of:

- ``create``   — a joiner: no account has the number or the address;
- ``update``   — the account's name, title, manager or address changed;
- ``move``     — the account's department changed (a mover: rights are recomputed on apply);
- ``leave``    — HR marks the person as leaving (status, or an end date reached) and the account can still
  sign in;
- ``link``     — the account was found by address and has no employee number yet: the number is recorded;
- ``disputed`` — the number and the address point at different accounts, or the address belongs to an
  account with another number: a person decides;
- ``unmatched`` — no account has the number and the file gives no work email to make one with;
- ``unchanged``.

Accounts the file does not mention are listed as ``absent``; with ``full_export`` (the file is the whole
workforce) they are leavers too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.models import Tenant
from harbour.directory.models import Member, Membership, MemberState
from harbour.lifecycle.hr_file import HrRecord

KINDS = ("create", "update", "move", "leave", "link", "disputed", "unmatched", "unchanged")


@dataclass
class Change:
    kind: str
    record: HrRecord | None
    member_id: Any = None
    member_label: str = ""
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (now, after)
    reason: str = ""


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    absent: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for change in self.changes:
            counts[change.kind] += 1
        counts["absent"] = len(self.absent)
        return counts


@dataclass
class _Known:
    member: Member
    department_ids: set[Any]
    manager_email: str


def _known_members(tenant: Tenant) -> list[_Known]:
    members = list(Member.objects.for_tenant(tenant).exclude(state=MemberState.DEACTIVATED))
    primary: dict[Any, set[Any]] = {}
    for member_id, department_id in Membership.objects.for_tenant(tenant).values_list(
        "member_id", "department_id"
    ):
        primary.setdefault(member_id, set()).add(department_id)
    emails = {m.pk: m.email for m in members}
    return [_Known(m, primary.get(m.pk, set()), emails.get(m.manager_id, "")) for m in members]


def compute_diff(tenant: Tenant, records: Sequence[HrRecord], *, full_export: bool = False) -> Diff:
    """Compare a checked file with the company's accounts (three queries, whatever the size)."""
    known = _known_members(tenant)
    by_number = {k.member.employee_number: k for k in known if k.member.employee_number}
    by_email = {k.member.email: k for k in known}
    seen: set[Any] = set()
    diff = Diff()
    for record in records:
        change = _compare(record, by_number, by_email)
        if change.member_id is not None:
            seen.add(change.member_id)
        diff.changes.append(change)
    for k in known:
        if k.member.pk in seen or k.member.state not in (MemberState.ACTIVE, MemberState.INVITED):
            continue
        if k.member.is_external:  # collaborators are not in the HR system
            continue
        absent = Change("leave" if full_export else "absent", None, k.member.pk, _label(k.member))
        absent.reason = _("not in the file")
        (diff.changes if full_export else diff.absent).append(absent)
    return diff


def _label(member: Member) -> str:
    return f"{member.name} <{member.email}>"


def _compare(record: HrRecord, by_number: dict[str, _Known], by_email: dict[str, _Known]) -> Change:
    numbered = by_number.get(record.employee_number) if record.employee_number else None
    addressed = by_email.get(record.email) if record.email else None
    if numbered is not None and addressed is not None and numbered.member.pk != addressed.member.pk:
        return Change(
            "disputed",
            record,
            numbered.member.pk,
            _label(numbered.member),
            reason=_("employee number %(number)s is %(a)s, but %(email)s is %(b)s")
            % {
                "number": record.employee_number,
                "a": _label(numbered.member),
                "email": record.email,
                "b": _label(addressed.member),
            },
        )
    if numbered is None and addressed is not None:
        number = addressed.member.employee_number
        if number and record.employee_number and number != record.employee_number:
            return Change(
                "disputed",
                record,
                addressed.member.pk,
                _label(addressed.member),
                reason=_("%(email)s has employee number %(have)s, the file says %(file)s")
                % {"email": record.email, "have": number, "file": record.employee_number},
            )
    match = numbered or addressed
    if match is None:
        if record.leaving:
            return Change("unchanged", record, reason=_("a leaver with no account here"))
        if not record.email:
            return Change(
                "unmatched", record, reason=_("no account has this number and the file gives no email")
            )
        return Change("create", record)
    member = match.member
    label = _label(member)
    if record.leaving:
        if member.state in (MemberState.ACTIVE, MemberState.INVITED):
            return Change("leave", record, member.pk, label, {"state": (member.state, MemberState.SUSPENDED)})
        return Change("unchanged", record, member.pk, label, reason=_("already frozen"))
    fields: dict[str, tuple[Any, Any]] = {}
    for name, now_value, new_value in (
        ("name", member.name, record.name),
        ("name_zh", member.name_zh, record.name_zh or member.name_zh),
        ("title", member.title, record.title or member.title),
        ("email", member.email, record.email or member.email),
        ("hire_date", member.hire_date, record.hire_date or member.hire_date),
        ("manager_email", match.manager_email, record.manager_email or match.manager_email),
    ):
        if now_value != new_value:
            fields[name] = (now_value, new_value)
    if not member.employee_number and record.employee_number:
        fields["employee_number"] = ("", record.employee_number)
    moved = record.department_id is not None and record.department_id not in match.department_ids
    if moved:
        fields["department"] = (sorted(str(d) for d in match.department_ids), str(record.department_id))
        return Change("move", record, member.pk, label, fields)
    if set(fields) == {"employee_number"}:
        return Change("link", record, member.pk, label, fields)
    return Change("update" if fields else "unchanged", record, member.pk, label, fields)
