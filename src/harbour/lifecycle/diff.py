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

A record already linked to an account by an earlier run of the same source (``SourceLink``) is matched
through its link before anything else, and a record a person chose to ignore stays ignored. Each change
carries the reconciliation situation of its record: ``linked``, ``unlinked`` (an account matches, no link
yet), ``unmatched``, ``disputed`` or ``deleted`` (a linked record the full export no longer has).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from harbour.core.models import Tenant
from harbour.directory.models import Member, Membership, MemberState
from harbour.lifecycle.hr_file import HrRecord
from harbour.lifecycle.links import fingerprint_pairs
from harbour.lifecycle.models import SourceLink, SyncRun

RECORD_FIELDS = fields(HrRecord)
KINDS = ("create", "update", "move", "leave", "link", "disputed", "unmatched", "unchanged")


@dataclass
class Change:
    kind: str
    record: HrRecord | None
    member_id: Any = None
    member_label: str = ""
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (now, after)
    reason: str = ""
    situation: str = ""
    candidates: list[str] = field(default_factory=list)  # disputed: the accounts to choose from


def external_id(record: HrRecord) -> str:
    """How a source names its record: the employee number, else the work email."""
    return record.employee_number or record.email


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    absent: list[Change] = field(default_factory=list)
    settled: int = 0  # records linked to their account and unchanged since last applied: counted only

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = {kind: 0 for kind in KINDS}
        for change in self.changes:
            counts[change.kind] += 1
        counts["unchanged"] += self.settled
        counts["absent"] = len(self.absent)
        situations: dict[str, int] = {}
        if self.settled:
            situations[str(SourceLink.Situation.LINKED)] = self.settled
        for change in [*self.changes, *self.absent]:
            if change.situation:
                key = str(change.situation)
                situations[key] = situations.get(key, 0) + 1
        counts["situations"] = situations
        return counts


@dataclass(slots=True)
class Account:
    """What the diff reads of a work account (plain values: a large company loads fast)."""

    pk: Any
    name: str
    name_zh: str
    title: str
    email: str
    hire_date: Any
    employee_number: str | None
    state: str
    is_external: bool
    manager_id: Any


ACCOUNT_COLUMNS = list(Account.__slots__)
NAMED_AT_MOST = 2000  # beyond this many records, reading every account is cheaper than naming them


def _accounts(tenant: Tenant) -> list[Account]:
    members = Member.objects.for_tenant(tenant).exclude(state=MemberState.DEACTIVATED)
    return [Account(*row) for row in members.values_list(*ACCOUNT_COLUMNS)]


@dataclass
class _Known:
    member: Account
    department_ids: set[Any]
    manager_email: str


def _known_members(
    tenant: Tenant, records: Sequence[HrRecord] | None = None, linked: Sequence[Any] = ()
) -> list[_Known]:
    """The accounts to compare with: all of them, or (for a few records) those they name or are
    linked to."""
    members_qs = Member.objects.for_tenant(tenant).exclude(state=MemberState.DEACTIVATED)
    memberships = Membership.objects.for_tenant(tenant)
    if records is not None:
        numbers = [r.employee_number for r in records if r.employee_number]
        emails_named = [r.email for r in records if r.email]
        members_qs = members_qs.filter(
            Q(employee_number__in=numbers) | Q(email__in=emails_named) | Q(pk__in=list(linked))
        )
    members = [Account(*row) for row in members_qs.values_list(*ACCOUNT_COLUMNS)]
    if records is not None:
        memberships = memberships.filter(member_id__in=[m.pk for m in members])
    primary: dict[Any, set[Any]] = {}
    for member_id, department_id in memberships.values_list("member_id", "department_id"):
        primary.setdefault(member_id, set()).add(department_id)
    emails = {m.pk: m.email for m in members}
    missing = {m.manager_id for m in members if m.manager_id and m.manager_id not in emails}
    if missing:
        emails.update(Member.objects.for_tenant(tenant).filter(pk__in=missing).values_list("pk", "email"))
    return [_Known(m, primary.get(m.pk, set()), emails.get(m.manager_id, "")) for m in members]


@dataclass(slots=True)
class LinkState:
    """What the diff reads of a source link (plain values: a large export's links load fast). The account
    id is kept as the database's text, turned into a UUID only for the few records that need it."""

    external_id: str
    member_key: str | None
    situation: str
    decided_at: Any
    fingerprint: str

    @property
    def member_id(self) -> uuid.UUID | None:
        return uuid.UUID(self.member_key) if self.member_key else None


@dataclass
class _Links:
    by_external_id: dict[str, LinkState]

    def linked_members(self) -> set[uuid.UUID]:
        return {
            member_id
            for link in self.by_external_id.values()
            if link.situation == SourceLink.Situation.LINKED and (member_id := link.member_id) is not None
        }


def _links(tenant: Tenant, source: str) -> _Links:
    rows = (
        SourceLink.objects.for_tenant(tenant)
        .filter(source=source)
        .annotate(member_key=Cast("member_id", output_field=CharField()))
        .values_list("external_id", "member_key", "situation", "decided_at", "fingerprint")
    )
    return _Links({row[0]: LinkState(*row) for row in rows})


def _same_account(key: str | None, member_id: uuid.UUID) -> bool:
    return key is not None and key in (member_id.hex, str(member_id))


def compute_diff(
    tenant: Tenant,
    records: Sequence[HrRecord],
    *,
    full_export: bool = False,
    source: str = SyncRun.Source.FILE,
    events: bool = False,
    reconcile: bool = False,
) -> Diff:
    """Compare a checked file with the company's accounts (a handful of queries, whatever the size).

    A record linked to its account whose content is what was last applied is unchanged without looking at
    the account (HR has not changed it since); with ``reconcile`` every record is compared with its
    account, so changes made in Harbour meanwhile show as differences too. ``events``: the records are
    single events (a webhook's hire or leave), not an export: no account is listed as absent."""
    links = _links(tenant, source)
    diff = Diff()
    pending: list[HrRecord] = []
    settled_keys: set[str] = set()  # the accounts (as text) of records counted as settled
    for record in records:
        link = links.by_external_id.get(external_id(record))
        if not reconcile and link is not None and _settled(record, link):
            diff.settled += 1
            if link.member_key:
                settled_keys.add(link.member_key)
        else:
            pending.append(record)
    named = events or (not full_export and len(pending) <= NAMED_AT_MOST)
    linked_ids = [
        member_id
        for record in pending
        if (link := links.by_external_id.get(external_id(record))) is not None
        and (member_id := link.member_id) is not None
    ]
    known = _known_members(tenant, pending if named else None, linked_ids)
    by_id = {k.member.pk: k for k in known}
    by_number = {k.member.employee_number: k for k in known if k.member.employee_number}
    by_email = {k.member.email: k for k in known}
    seen: set[Any] = set()
    for record in pending:
        link = links.by_external_id.get(external_id(record))
        change = _reconcile(record, link, by_id, by_number, by_email)
        if change.member_id is not None:
            seen.add(change.member_id)
        diff.changes.append(change)
    diff.changes.sort(key=lambda change: change.record.row if change.record else 0)
    if events:
        return diff
    if named:
        everyone = _absent_candidates(tenant, source, links, {external_id(r) for r in records}, linked_ids)
    else:
        everyone = [k.member for k in known]
    linked_members = links.linked_members() if full_export else set()
    for account in everyone:
        if account.pk in seen or account.state not in (MemberState.ACTIVE, MemberState.INVITED):
            continue
        if account.is_external:  # collaborators are not in the HR system
            continue
        if account.pk.hex in settled_keys or str(account.pk) in settled_keys:
            continue
        absent = Change("leave" if full_export else "absent", None, account.pk, _label(account))
        absent.reason = _("not in the file")
        if full_export and account.pk in linked_members:
            absent.situation = SourceLink.Situation.DELETED
        (diff.changes if full_export else diff.absent).append(absent)
    return diff


def _absent_candidates(
    tenant: Tenant, source: str, links: _Links, in_file: set[str], pending_linked: list[uuid.UUID]
) -> list[Account]:
    """The accounts that may be missing from the file, without reading every account: those no record of
    this source is linked to (found by the database), those whose linked record is not in the file, and
    those linked to records still to be matched. Every other account's record was settled."""
    linked_here = SourceLink.objects.for_tenant(tenant).filter(
        source=source, situation=SourceLink.Situation.LINKED, member__isnull=False
    )
    unlinked = (
        Member.objects.for_tenant(tenant)
        .filter(state__in=(MemberState.ACTIVE, MemberState.INVITED), is_external=False)
        .exclude(pk__in=linked_here.values("member_id"))
    )
    named = set(pending_linked)
    for key, link in links.by_external_id.items():
        if key not in in_file and link.situation == SourceLink.Situation.LINKED and link.member_key:
            named.add(uuid.UUID(link.member_key))
    found = [Account(*row) for row in unlinked.values_list(*ACCOUNT_COLUMNS)]
    if named:
        members = Member.objects.for_tenant(tenant).exclude(state=MemberState.DEACTIVATED)
        known = {account.pk for account in found}
        for start in range(0, len(named), 5000):
            chunk = sorted(named)[start : start + 5000]
            found += [
                Account(*row)
                for row in members.filter(pk__in=chunk).values_list(*ACCOUNT_COLUMNS)
                if row[0] not in known
            ]
    return found


def _reconcile(
    record: HrRecord,
    link: LinkState | None,
    by_id: dict[Any, _Known],
    by_number: dict[str, _Known],
    by_email: dict[str, _Known],
) -> Change:
    """The change for one record, with its situation: an earlier link (or decision) wins over matching."""
    if link is not None and link.decided_at is not None and link.member_id is None:
        return Change(
            "unchanged",
            record,
            reason=_("ignored: a person decided this record has no account here"),
            situation=SourceLink.Situation.UNMATCHED,
        )
    linked = by_id.get(link.member_id) if link is not None and link.member_id else None
    if linked is not None and link is not None and link.situation == SourceLink.Situation.LINKED:
        change = _compare(record, {record.employee_number: linked}, {record.email: linked}, linked=True)
        change.situation = SourceLink.Situation.LINKED
        return change
    change = _compare(record, by_number, by_email)
    if change.kind == "disputed":
        change.situation = SourceLink.Situation.DISPUTED
    elif change.member_id is None:
        change.situation = "" if change.kind == "unchanged" else SourceLink.Situation.UNMATCHED
    else:
        change.situation = SourceLink.Situation.UNLINKED
    return change


def record_data(record: HrRecord) -> dict[str, Any]:
    """The record as stored (JSON-ready), without its row number."""
    data = {f.name: getattr(record, f.name) for f in RECORD_FIELDS if f.name != "row"}
    for key in ("hire_date", "end_date"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    if data["department_id"] is not None:
        data["department_id"] = str(data["department_id"])
    return data


_FINGERPRINTED = sorted(f.name for f in RECORD_FIELDS if f.name != "row")


def _settled(record: HrRecord, link: LinkState) -> bool:
    """The record is linked and says what it said when last applied."""
    if link.situation != SourceLink.Situation.LINKED or not link.member_key or record.leaving:
        return False
    digest = fingerprint_pairs((name, getattr(record, name)) for name in _FINGERPRINTED)
    return bool(link.fingerprint) and link.fingerprint == digest


def _label(member: Account) -> str:
    return f"{member.name} <{member.email}>"


def _compare(
    record: HrRecord, by_number: dict[str, _Known], by_email: dict[str, _Known], *, linked: bool = False
) -> Change:
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
            candidates=[str(numbered.member.pk), str(addressed.member.pk)],
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
                candidates=[str(addressed.member.pk)],
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
    renumbered = record.employee_number and member.employee_number != record.employee_number
    if renumbered and (not member.employee_number or linked):
        fields["employee_number"] = (member.employee_number or "", record.employee_number)
    moved = record.department_id is not None and record.department_id not in match.department_ids
    if moved:
        fields["department"] = (sorted(str(d) for d in match.department_ids), str(record.department_id))
        return Change("move", record, member.pk, label, fields)
    if set(fields) == {"employee_number"}:
        return Change("link", record, member.pk, label, fields)
    return Change("update" if fields else "unchanged", record, member.pk, label, fields)
