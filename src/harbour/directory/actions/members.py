"""Member (work account) writes: invite, bulk create, edit, state changes, invitation acceptance."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import Entry, TargetRef, record, record_many
from harbour.core.admission import EmailCheck, email_checker, temporary_term_days
from harbour.core.bulk import insert_rows, refresh_statistics, update_rows
from harbour.core.databases import database_for, tenant_atomic, tenant_transaction
from harbour.core.entitlements import take_seats
from harbour.core.errors import Conflict, HarbourError, Invalid, NotFound
from harbour.core.ids import new_ids
from harbour.core.models import Account, Tenant
from harbour.core.permissions import Actor, can, require_permission
from harbour.core.tenancy import attname, home_rows, snapshot_values
from harbour.core.time import now
from harbour.directory.actions.guards import ensure_other_administrator
from harbour.directory.models import (
    TRANSITIONS,
    Department,
    Invitation,
    Member,
    Membership,
    MemberState,
    Place,
)
from harbour.directory.queries import attach_places
from harbour.directory.signals import member_state_changed
from harbour.directory.tasks import email_invitations
from harbour.directory.validation import clean_email, clean_employee_number, clean_mobile, clean_text

INVITATION_DAYS = 14
EXTERNAL_DEFAULT_DAYS = 7
# Bulk loads at least this big refresh the planner statistics of the member tables.
STATISTICS_REFRESH_ROWS = 1000


@dataclass
class MemberSpec:
    """What is needed to create one work account."""

    email: str
    name: str
    name_zh: str = ""
    mobile: str = ""
    employee_number: str | None = None
    title: str = ""
    departments: Sequence[Department] = ()
    manager: Member | None = None
    hire_date: dt.date | None = None
    is_external: bool = False
    access_expires_at: dt.datetime | None = None
    state: str = MemberState.INVITED
    extra: dict[str, Any] = field(default_factory=dict)


def _check_term(tenant: Tenant, ends: dt.datetime | None, term_days: int | None = None) -> None:
    """A temporary collaborator's access may not run past the company's longest term."""
    limit = term_days if term_days is not None else temporary_term_days(tenant.pk)
    if ends is not None and limit is not None and ends > now() + dt.timedelta(days=limit, minutes=1):
        raise Invalid(
            _("a temporary collaborator's access runs at most %(n)d days here") % {"n": limit},
            field="access_expires_at",
        )


def _clean_spec(
    tenant: Tenant, spec: MemberSpec, checker: EmailCheck | None = None, term_days: int | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "email": clean_email(spec.email, tenant, checker=checker),
        "name": clean_text(spec.name, field="name", max_length=150, required=True),
        "name_zh": clean_text(spec.name_zh, field="name_zh", max_length=60),
        "mobile": clean_mobile(spec.mobile),
        "employee_number": clean_employee_number(spec.employee_number),
        "title": clean_text(spec.title, field="title", max_length=120),
        "hire_date": spec.hire_date,
        "is_external": spec.is_external,
        "access_expires_at": spec.access_expires_at,
    }
    if spec.state not in (MemberState.INVITED, MemberState.ACTIVE):
        raise Invalid(_("a new account starts invited or active"), field="state")
    for department in spec.departments:
        if department.tenant_id != tenant.id:
            raise Invalid(_("no such department"), field="department_ids")
    if spec.manager is not None and spec.manager.tenant_id != tenant.id:
        raise Invalid(_("no such manager"), field="manager_id")
    if spec.is_external:
        limit = term_days if term_days is not None else temporary_term_days(tenant.pk)
        if spec.access_expires_at is None:
            days = min(EXTERNAL_DEFAULT_DAYS, limit) if limit is not None else EXTERNAL_DEFAULT_DAYS
            values["access_expires_at"] = now() + dt.timedelta(days=days)
        _check_term(tenant, values["access_expires_at"], limit)
    if values["access_expires_at"] is not None and values["access_expires_at"] <= now():
        raise Invalid(_("access must end in the future"), field="access_expires_at")
    return values


def _require_invite(actor: Actor, tenant: Tenant, departments: Sequence[Department]) -> None:
    if not departments:
        require_permission(actor, "member.invite", tenant)
    for department in departments:
        require_permission(actor, "member.invite", department)


def _check_unique(
    tenant: Tenant, email: str, employee_number: str | None, exclude: Member | None = None
) -> None:
    members = Member.objects.for_tenant(tenant)
    if exclude is not None:
        members = members.exclude(pk=exclude.pk)
    if members.filter(email=email).exists():
        raise Conflict(
            _("%(email)s already has a work account in this company") % {"email": email}, field="email"
        )
    if employee_number and members.filter(employee_number=employee_number).exists():
        raise Conflict(
            _("employee number %(number)s is already in use") % {"number": employee_number},
            field="employee_number",
        )


def _issue_invitation(member: Member) -> str:
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        tenant_id=member.tenant_id,
        member=member,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=now() + dt.timedelta(days=INVITATION_DAYS),
    )
    url = f"{settings.HARBOUR_BASE_URL.rstrip('/')}/invite/{token}/"
    tenant_name = Tenant.objects.get(pk=member.tenant_id).display_name
    subject = _("You are invited to %(company)s on Harbour") % {"company": tenant_name}
    body = _("Hello %(name)s,\n\nSet your password and start using your work account:\n%(url)s\n") % {
        "name": member.name,
        "url": url,
    }
    email = member.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return url


@tenant_atomic
def invite_member(actor: Actor, spec: MemberSpec) -> Member:
    """Create an invited work account and send its invitation link.

    The link is also left on ``member.invitation_url`` (for the CLI and console to show once).
    """
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    values = _clean_spec(tenant, spec)
    _require_invite(actor, tenant, spec.departments)
    _check_unique(tenant, values["email"], values["employee_number"])
    take_seats(tenant, 1)
    member = Member(
        tenant_id=tenant.id, manager=spec.manager, state=spec.state, state_changed_at=now(), **values
    )
    member.save()
    Membership.objects.bulk_create(
        Membership(tenant_id=tenant.id, member=member, department=d, is_primary=(i == 0))
        for i, d in enumerate(spec.departments)
    )
    record(actor, "member.invited", target=member, after=member.snapshot())
    if member.state == MemberState.INVITED:
        member.invitation_url = _issue_invitation(member)  # type: ignore[attr-defined]
    return member


@tenant_atomic
def bulk_create_members(
    actor: Actor,
    specs: Sequence[MemberSpec],
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> list[Member]:
    """Create many accounts at once (imports, demo data) and answer them, in the order given. Every row
    is validated before the first insert, so a bad row refuses the whole batch; rows are then written in
    batches with one audit event each. Invitations are not sent here: imports decide when to invite."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    cleaned: list[dict[str, Any]] = []
    emails: set[str] = set()
    numbers: set[str] = set()
    checked_departments: set[Any] = set()
    checker, term_days = email_checker(tenant.pk), temporary_term_days(tenant.pk)
    for row, spec in enumerate(specs, start=1):
        try:
            values = _clean_spec(tenant, spec, checker, term_days)
        except Invalid as exc:
            raise Invalid(
                _("row %(row)d: %(message)s") % {"row": row, "message": exc.message}, field=exc.field
            ) from None
        if values["email"] in emails:
            raise Conflict(
                _("row %(row)d: %(email)s appears twice") % {"row": row, "email": values["email"]},
                field="email",
            )
        emails.add(values["email"])
        if values["employee_number"]:
            if values["employee_number"] in numbers:
                raise Conflict(
                    _("row %(row)d: employee number %(number)s appears twice")
                    % {"row": row, "number": values["employee_number"]},
                    field="employee_number",
                )
            numbers.add(values["employee_number"])
        new_departments = [d for d in spec.departments if d.pk not in checked_departments]
        if new_departments or not spec.departments:
            _require_invite(actor, tenant, new_departments)
            checked_departments.update(d.pk for d in new_departments)
        cleaned.append(values)
    existing = Member.objects.for_tenant(tenant)
    for chunk_start in range(0, len(cleaned), 5000):
        chunk = cleaned[chunk_start : chunk_start + 5000]
        taken = existing.filter(email__in=[v["email"] for v in chunk]).values_list("email", flat=True)[:1]
        if taken:
            raise Conflict(
                _("%(email)s already has a work account in this company") % {"email": taken[0]},
                field="email",
            )
        chunk_numbers = [v["employee_number"] for v in chunk if v["employee_number"]]
        used = existing.filter(employee_number__in=chunk_numbers).values_list("employee_number", flat=True)[
            :1
        ]
        if used:
            raise Conflict(
                _("employee number %(number)s is already in use") % {"number": used[0]},
                field="employee_number",
            )

    take_seats(tenant, len(cleaned))
    alias = database_for(tenant)
    at = now()
    made: list[Member] = []
    audited = [(name, attname(Member, name)) for name in Member.audit_fields]
    for start in range(0, len(specs), batch_size):
        batch = list(zip(specs[start : start + batch_size], cleaned[start : start + batch_size], strict=True))
        rows = [
            {
                "id": row_id,
                "tenant_id": tenant.id,
                "manager_id": spec.manager.pk if spec.manager is not None else None,
                "state": spec.state,
                "state_changed_at": at,
                "created_at": at,
                "updated_at": at,
                **values,
            }
            for (spec, values), row_id in zip(batch, new_ids(len(batch)), strict=True)
        ]
        insert_rows(Member, rows, using=alias)
        made += _loaded(rows, alias)
        insert_rows(
            Membership,
            [
                {
                    "tenant_id": tenant.id,
                    "member_id": member_row["id"],
                    "department_id": d.pk,
                    "is_primary": i == 0,
                }
                for member_row, (spec, _values) in zip(rows, batch, strict=True)
                for i, d in enumerate(spec.departments)
            ],
            using=alias,
        )
        entries = []
        for member_row, (spec, _values) in zip(rows, batch, strict=True):
            after = snapshot_values({name: member_row.get(column) for name, column in audited})
            after["departments"] = sorted(str(d.pk) for d in spec.departments)
            label = f"{member_row['name']} <{member_row['email']}>"
            entries.append(Entry(TargetRef("member", member_row["id"], label), after=after))
        record_many(actor, "member.imported", entries)
        if progress is not None:
            progress(len(rows))
    if len(made) >= STATISTICS_REFRESH_ROWS:
        refresh_statistics(Member, Membership, using=alias)
    return made


def _loaded(rows: list[dict[str, Any]], alias: str) -> list[Member]:
    """Member objects for rows just inserted, as if read back (the caller goes on using them). Built the way
    the ORM builds a row it read (every column in order), which is several times cheaper than keywords."""
    if not rows:
        return []
    fields = Member._meta.concrete_fields
    names = [f.attname for f in fields]
    absent = [(i, f) for i, f in enumerate(fields) if f.attname not in rows[0]]
    members = []
    for row in rows:
        values = [row.get(name) for name in names]
        for i, f in absent:
            values[i] = f.get_default()
        members.append(Member.from_db(alias, names, values))
    return members


_UPDATABLE = (
    "name",
    "name_zh",
    "email",
    "mobile",
    "employee_number",
    "title",
    "hire_date",
    "is_external",
    "access_expires_at",
)


def _check_manager(member: Member, manager: Member | None) -> None:
    if manager is None:
        return
    if manager.tenant_id != member.tenant_id:
        raise Invalid(_("no such manager"), field="manager_id")
    seen = set()
    current: Member | None = manager
    while current is not None:
        if current.pk == member.pk:
            raise Invalid(
                _("a member cannot report to themselves or to someone who reports to them"),
                field="manager_id",
            )
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.manager
    return


@dataclass
class _Checked:
    values: dict[str, Any]
    departments: Sequence[Department] | None


def _check_update(actor: Actor, tenant: Tenant, member: Member, changes: dict[str, Any]) -> _Checked:
    """Everything ``update_member`` checks before writing (raises the first problem found)."""
    require_permission(actor, "member.update", member)
    unknown = set(changes) - set(_UPDATABLE) - {"manager", "departments"}
    if unknown:
        raise Invalid(_("unknown field %(field)r") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_text(v, field="name", max_length=150, required=True),
        "name_zh": lambda v: clean_text(v, field="name_zh", max_length=60),
        "email": lambda v: clean_email(v, tenant),
        "mobile": clean_mobile,
        "employee_number": clean_employee_number,
        "title": lambda v: clean_text(v, field="title", max_length=120),
        "hire_date": lambda v: v,
        "is_external": bool,
        "access_expires_at": lambda v: v,
    }
    values = {name: cleaners[name](value) for name, value in changes.items() if name in cleaners}
    if values.get("access_expires_at") is not None and values["access_expires_at"] <= now():
        raise Invalid(_("access must end in the future"), field="access_expires_at")
    if values.get("is_external", member.is_external) and "access_expires_at" in values:
        _check_term(tenant, values["access_expires_at"])
    if "email" in values or "employee_number" in values:
        _check_unique(
            tenant,
            values.get("email", member.email),
            values.get("employee_number", member.employee_number),
            exclude=member,
        )
    if "manager" in changes:
        _check_manager(member, changes["manager"])
    departments: Sequence[Department] | None = changes.get("departments")
    if departments is not None:
        for d in departments:
            if d.tenant_id != tenant.id:
                raise Invalid(_("no such department"), field="department_ids")
            require_permission(actor, "member.update", d)
    return _Checked(values, departments)


@tenant_atomic
def update_member(actor: Actor, member: Member, **changes: Any) -> Member:
    """Edit a member. Accepts any of the fields in ``_UPDATABLE`` plus ``manager`` and ``departments``."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    checked = _check_update(actor, tenant, member, changes)
    before = member.snapshot()
    for name, value in checked.values.items():
        setattr(member, name, value)
    if "manager" in changes:
        member.manager = changes["manager"]
    member.save()
    if checked.departments is not None:
        Membership.objects.for_tenant(tenant).filter(member=member).delete()
        Membership.objects.bulk_create(
            Membership(tenant_id=tenant.id, member=member, department=d, is_primary=(i == 0))
            for i, d in enumerate(checked.departments)
        )
        # Drop memberships prefetched before the change so later reads see the new ones.
        member.__dict__.pop("_prefetched_objects_cache", None)
        member.forget_access()
    after = member.snapshot()
    if after != before:
        record(actor, "member.updated", target=member, before=before, after=after)
    return member


@dataclass
class MemberEdit:
    """One member's changes for ``update_members``; ``error`` says why it was refused, if it was."""

    member: Member
    changes: dict[str, Any]
    error: HarbourError | None = None


_WRITTEN = ("name", "name_zh", "email", "mobile", "employee_number", "title", "hire_date", "is_external")


@tenant_atomic
def update_members(actor: Actor, edits: Sequence[MemberEdit]) -> int:
    """Many ``update_member`` calls at once (an HR import's updates and movers), in a few statements.

    Each edit is checked as ``update_member`` checks it; a refused one gets its ``error`` and the others
    are still applied. Then one UPDATE of the accounts, the movers' memberships replaced in two
    statements, and one audit insert of ``member.updated`` events. Answers how many were applied."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    alias = database_for(tenant)
    checked: list[tuple[MemberEdit, _Checked]] = []
    for edit in edits:
        try:
            checked.append((edit, _check_update(actor, tenant, edit.member, edit.changes)))
        except HarbourError as exc:
            edit.error = exc
    if not checked:
        return 0
    members = [edit.member for edit, _c in checked]
    missing_places = [m for m in members if "_places" not in m.__dict__]
    if missing_places:
        attach_places(missing_places, tenant.pk)
    before = {m.pk: m.snapshot() for m in members}
    for edit, check in checked:
        for name, value in check.values.items():
            setattr(edit.member, name, value)
        if "manager" in edit.changes:
            edit.member.manager = edit.changes["manager"]
    update_rows(
        Member,
        [
            {
                "pk": m.pk,
                **{name: getattr(m, name) for name in _WRITTEN},
                "access_expires_at": m.access_expires_at,
                "manager_id": m.manager_id,
            }
            for m in members
        ],
        using=alias,
    )
    movers = [(edit.member, check.departments) for edit, check in checked if check.departments is not None]
    if movers:
        Membership.objects.for_tenant(tenant).filter(member_id__in=[m.pk for m, _d in movers]).delete()
        insert_rows(
            Membership,
            [
                {
                    "tenant_id": tenant.pk,
                    "member_id": member.pk,
                    "department_id": d.pk,
                    "is_primary": i == 0,
                }
                for member, departments in movers
                for i, d in enumerate(departments or [])
            ],
            using=alias,
        )
        for member, departments in movers:
            member.__dict__.pop("_prefetched_objects_cache", None)
            member.forget_access()
            member.__dict__["_places"] = [
                Place(d.pk, d.name, d.name_zh, d.path, i == 0) for i, d in enumerate(departments or [])
            ]
    entries = []
    for member in members:
        after = member.snapshot()
        if after != before[member.pk]:
            entries.append(Entry(member, before=before[member.pk], after=after))
    record_many(actor, "member.updated", entries)
    return len(members)


@tenant_atomic
def update_own_profile(
    actor: Actor,
    member: Member,
    *,
    name: str | None = None,
    name_zh: str | None = None,
    mobile: str | None = None,
) -> Member:
    """Self-service: a member edits their own display names and mobile number."""
    require_permission(actor, "member.update_profile", member)
    before = member.snapshot()
    if name is not None:
        member.name = clean_text(name, field="name", max_length=150, required=True)
    if name_zh is not None:
        member.name_zh = clean_text(name_zh, field="name_zh", max_length=60)
    if mobile is not None:
        member.mobile = clean_mobile(mobile)
    member.save(update_fields=["name", "name_zh", "mobile", "updated_at"])
    after = member.snapshot()
    if after != before:
        record(actor, "member.updated", target=member, before=before, after=after)
    return member


def _state_word(state: str) -> str:
    """A state as it reads inside a sentence: the lower-cased label (\"suspended\" in English)."""
    return str(MemberState(state).label).lower()


def _transition(actor: Actor, member: Member, to: str, kind: str, reason: str) -> Member:
    if to not in TRANSITIONS[member.state]:
        raise Conflict(
            _("a %(state)s account cannot become %(to)s")
            % {"state": _state_word(member.state), "to": _state_word(to)},
            field="state",
        )
    if member.pk == actor.actor_id and to != MemberState.ACTIVE:
        raise Conflict(_("you cannot suspend or deactivate your own account"), field="member_id")
    if to != MemberState.ACTIVE:
        ensure_other_administrator(member)
    before = member.snapshot()
    previous = member.state
    member.state = to
    member.state_changed_at = now()
    member.save(update_fields=["state", "state_changed_at", "updated_at"])
    member.forget_access()
    record(actor, kind, target=member, before=before, after=member.snapshot(), reason=reason)
    member_state_changed.send(sender=Member, member=member, before=previous, after=to)
    return member


@tenant_atomic
def suspend_member(actor: Actor, member: Member, *, reason: str = "") -> Member:
    """Freeze a work account at once: it can no longer sign in or use its tokens."""
    require_permission(actor, "member.suspend", member)
    return _transition(actor, member, MemberState.SUSPENDED, "member.suspended", reason)


@tenant_atomic
def reactivate_member(actor: Actor, member: Member, *, reason: str = "") -> Member:
    """Bring a suspended (or, with the deactivate permission, a deactivated) account back."""
    require_permission(actor, "member.suspend", member)
    if member.state == MemberState.DEACTIVATED:
        require_permission(actor, "member.deactivate", member)
        take_seats(Tenant.objects.get(pk=member.tenant_id), 1)  # a deactivated account holds no seat
    if member.state == MemberState.INVITED:
        raise Conflict(_("an invited account becomes active when the invitation is accepted"), field="state")
    return _transition(actor, member, MemberState.ACTIVE, "member.reactivated", reason)


@tenant_atomic
def deactivate_member(actor: Actor, member: Member, *, reason: str = "") -> Member:
    """End a work account (the person left). Data stays; the account can be reactivated."""
    require_permission(actor, "member.deactivate", member)
    Invitation.objects.for_tenant(member.tenant_id).filter(member=member, accepted_at__isnull=True).delete()
    return _transition(actor, member, MemberState.DEACTIVATED, "member.deactivated", reason)


@tenant_atomic
def resend_invitation(actor: Actor, member: Member) -> str:
    require_permission(actor, "member.invite", member)
    if member.state != MemberState.INVITED:
        raise Conflict(_("only an invited account has an invitation to send"), field="state")
    Invitation.objects.for_tenant(member.tenant_id).filter(member=member, accepted_at__isnull=True).delete()
    url = _issue_invitation(member)
    record(actor, "member.invitation_resent", target=member)
    return url


@tenant_atomic
def send_invitations(actor: Actor, members: Sequence[Member]) -> int:
    """Invite accounts an import just created, in bulk: one insert of invitations (the import's
    ``member.imported`` events record that they were invited, as ``member.invited`` does for one); the
    emails go out from the worker (``email_invitations``), which mints each link as it sends it, so no
    usable link is ever stored."""
    if not members:
        return 0
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    tenant_wide = can(actor, "member.invite", tenant)
    expires = now() + dt.timedelta(days=INVITATION_DAYS)
    rows = []
    for member, row_id in zip(members, new_ids(len(members)), strict=True):
        if not tenant_wide:
            require_permission(actor, "member.invite", member)
        if member.state != MemberState.INVITED or member.tenant_id != tenant.pk:
            raise Conflict(_("only an invited account has an invitation to send"), field="state")
        rows.append(
            {
                "id": row_id,
                "tenant_id": tenant.pk,
                "member_id": member.pk,
                "token_hash": _unusable_hash(),  # replaced by the worker when it sends the link
                "expires_at": expires,
                "accepted_at": None,
            }
        )
    insert_rows(Invitation, rows, using=database_for(tenant.pk))
    ids = [str(row["id"]) for row in rows]
    transaction.on_commit(lambda: email_invitations.enqueue(tenant_id=str(tenant.pk), invitation_ids=ids))
    return len(rows)


def _unusable_hash() -> str:
    """A token hash no link can match: the digest of a secret nobody keeps."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def mail_invitations(tenant_id: uuid.UUID, invitation_ids: Sequence[str]) -> int:
    """Mint a fresh link for each open invitation and email it, over one mail connection (the worker's
    half of ``send_invitations``; running it again sends fresh links and the older ones stop working)."""
    tenant = Tenant.objects.get(pk=tenant_id)
    open_ones = list(
        Invitation.objects.for_tenant(tenant)
        .filter(pk__in=invitation_ids, accepted_at__isnull=True, expires_at__gt=now())
        .select_related("member")
    )
    subject = _("You are invited to %(company)s on Harbour") % {"company": tenant.display_name}
    base = settings.HARBOUR_BASE_URL.rstrip("/")
    rows, messages = [], []
    for invitation in open_ones:
        token = secrets.token_urlsafe(32)
        rows.append({"pk": invitation.pk, "token_hash": hashlib.sha256(token.encode()).hexdigest()})
        body = _("Hello %(name)s,\n\nSet your password and start using your work account:\n%(url)s\n") % {
            "name": invitation.member.name,
            "url": f"{base}/invite/{token}/",
        }
        messages.append((subject, body, None, [invitation.member.email]))
    with tenant_transaction(tenant.pk) as alias:
        update_rows(Invitation, rows, using=alias)
    return send_mass_mail(messages, fail_silently=True) if messages else 0


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, if it is still open."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = [
        invitation
        for qs in Invitation.objects.in_every_database()
        for invitation in qs.select_related("member").filter(
            token_hash=digest, accepted_at__isnull=True, expires_at__gt=now()
        )[:1]
    ]
    invitation = next(iter(home_rows(found)), None)
    if invitation is None or invitation.member.state != MemberState.INVITED:
        raise NotFound(_("this invitation link is invalid or has expired"), field="token")
    return invitation


def accept_invitation(token: str, password: str) -> Member:
    """The invited person sets a password (or proves their existing Harbour login) and becomes active."""
    invitation = find_invitation(token)
    with tenant_transaction(invitation.tenant_id):
        return _accept(invitation, password)


def _accept(invitation: Invitation, password: str) -> Member:
    member = invitation.member
    account = Account.objects.filter(email=member.email).first()
    if account is not None and account.has_usable_password():
        if not account.check_password(password):
            raise Invalid(_("this address already has a Harbour login: enter its password"), field="password")
    else:
        candidate = account or Account(email=member.email, display_name=member.name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), field="password") from None
        candidate.set_password(password)
        candidate.save()
        account = candidate
    before = member.snapshot()
    member.account = account
    member.state = MemberState.ACTIVE
    member.state_changed_at = now()
    member.save(update_fields=["account", "state", "state_changed_at", "updated_at"])
    invitation.accepted_at = now()
    invitation.save(update_fields=["accepted_at"])
    record(member, "member.activated", target=member, before=before, after=member.snapshot())
    return member
