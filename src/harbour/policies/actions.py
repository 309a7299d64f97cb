"""Writes of policies: create a document (or the default conduct policy), draft and edit a version, publish
it (the previous version is superseded and everyone in scope is asked again), acknowledge it, and log an
export of its acknowledgements.

Acknowledging needs no permission code: a member acknowledges a published version whose scope holds them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.db import IntegrityError
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core import context
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import local, now
from harbour.directory.models import Department, Member
from harbour.directory.validation import clean_text
from harbour.policies.models import (
    MAX_DEADLINE_DAYS,
    MIN_DEADLINE_DAYS,
    SINGLE_KINDS,
    Acknowledgement,
    PolicyDocument,
    PolicyKind,
    PolicyReminder,
    PolicyVersion,
    ReminderStage,
    VersionState,
)
from harbour.policies.notify import read_url, tell_each
from harbour.policies.queries import MANAGE, VIEW, deadline_of, entered_scope_at, members_in_scope

TITLE_MAX = 200
NAME_MAX = 150
BODY_MAX = 100_000
SUMMARY_MAX = 2000
DEFAULTS = Path(__file__).parent / "defaults"
TEXT_FIELDS = ("title_en", "title_zh", "body_en", "body_zh", "change_summary")


def _require(actor: Actor, code: str) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, code, tenant)
    return tenant


def _clean_name(name: str) -> str:
    return clean_text(name, field="name", max_length=NAME_MAX, required=True)


def _clean_fields(values: dict[str, str | None]) -> dict[str, str]:
    """Trimmed texts within their limits (every field checked before anything is written)."""
    limits = {"title_en": TITLE_MAX, "title_zh": TITLE_MAX, "change_summary": SUMMARY_MAX}
    cleaned = {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in TEXT_FIELDS:
            raise Invalid(_("unknown field %(field)s") % {"field": name}, field=name)
        cleaned[name] = clean_text(value, field=name, max_length=limits.get(name, BODY_MAX))
    return cleaned


# ------------------------------------------------------------------------------------------- documents
@tenant_atomic
def create_document(actor: Actor, *, kind: str, name: str) -> PolicyDocument:
    """A new policy with no version yet. One conduct and one monitoring policy per company."""
    _require(actor, MANAGE)
    if kind not in PolicyKind.values:
        raise Invalid(
            _("kind must be one of: %(kinds)s") % {"kinds": ", ".join(PolicyKind.values)}, field="kind"
        )
    name = _clean_name(name)
    if kind in SINGLE_KINDS and PolicyDocument.objects.for_tenant(actor.tenant_id).filter(kind=kind).exists():
        raise Conflict(
            _("the company has a %(kind)s already: add a version to it") % {"kind": PolicyKind(kind).label},
            field="kind",
        )
    document = PolicyDocument.objects.create(
        tenant_id=actor.tenant_id,
        kind=kind,
        name=name,
        created_by=actor if isinstance(actor, Member) else None,
    )
    record(actor, "policy.document_created", target=document, after=document.snapshot())
    return document


def default_conduct_text() -> dict[str, str]:
    """Harbour's default Employee Conduct Policy, English and Traditional Chinese (title = first heading)."""
    values: dict[str, str] = {}
    for language, filename in (("en", "conduct.en.md"), ("zh", "conduct.zh-Hant.md")):
        text = (DEFAULTS / filename).read_text(encoding="utf-8")
        first, _sep, rest = text.partition("\n")
        values[f"title_{language}"] = first.lstrip("# ").strip()
        values[f"body_{language}"] = rest.strip() + "\n"
    return values


@tenant_atomic
def create_default_conduct_policy(actor: Actor) -> PolicyVersion:
    """The Employee Conduct Policy with a first draft taken from Harbour's default text, to review and
    publish (refused when the company has a conduct policy already)."""
    document = create_document(actor, kind=PolicyKind.CONDUCT, name=str(PolicyKind.CONDUCT.label))
    return draft_version(
        actor,
        document,
        change_summary=_("First version, from Harbour's default text."),
        **default_conduct_text(),
    )


# -------------------------------------------------------------------------------------------- versions
@tenant_atomic
def draft_version(
    actor: Actor,
    document: PolicyDocument,
    *,
    title_en: str | None = None,
    title_zh: str | None = None,
    body_en: str | None = None,
    body_zh: str | None = None,
    change_summary: str | None = None,
) -> PolicyVersion:
    """The document's next version as a draft. Texts not given start as the newest version's (so a change
    is an edit of what members read now). One draft at a time."""
    _require(actor, MANAGE)
    document = PolicyDocument.objects.for_tenant(document.tenant_id).select_for_update().get(pk=document.pk)
    given = _clean_fields(
        {
            "title_en": title_en,
            "title_zh": title_zh,
            "body_en": body_en,
            "body_zh": body_zh,
            "change_summary": change_summary,
        }
    )
    versions = PolicyVersion.objects.for_tenant(document.tenant_id).filter(document=document)
    if versions.filter(state=VersionState.DRAFT).exists():
        raise Conflict(_("this policy has a draft already: edit it"), field="document_id")
    latest = versions.order_by("-number").first()
    start = (
        {name: getattr(latest, name) for name in TEXT_FIELDS if name != "change_summary"} if latest else {}
    )
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion.objects.create(
        tenant_id=document.tenant_id,
        document=document,
        number=number,
        created_by=actor if isinstance(actor, Member) else None,
        **{**start, **given},
    )
    record(actor, "policy.version_drafted", target=version, after=version.snapshot())
    return version


def _locked(version: PolicyVersion) -> PolicyVersion:
    return (
        PolicyVersion.objects.for_tenant(version.tenant_id)
        .select_for_update()
        .select_related("document")
        .get(pk=version.pk)
    )


@tenant_atomic
def update_draft(actor: Actor, version: PolicyVersion, **values: str | None) -> PolicyVersion:
    """Change a draft's titles, bodies or change summary (a published version never changes)."""
    _require(actor, MANAGE)
    given = _clean_fields(values)
    version = _locked(version)
    if version.state != VersionState.DRAFT:
        raise Conflict(_("only a draft can be edited: draft a new version instead"), field="state")
    before = version.snapshot()
    changed = [name for name, value in given.items() if getattr(version, name) != value]
    for name in changed:
        setattr(version, name, given[name])
    if changed:
        version.save(update_fields=[*changed, "updated_at"])
        record(actor, "policy.version_edited", target=version, before=before, after=version.snapshot())
    return version


def _scope(actor: Actor, scope_all: bool, department_ids: Sequence[uuid.UUID | str]) -> list[Department]:
    if scope_all:
        if department_ids:
            raise Invalid(_("choose everyone or some departments, not both"), field="department_ids")
        return []
    wanted: list[str] = []
    for value in department_ids:
        try:
            text = str(uuid.UUID(str(value)))
        except ValueError:
            raise Invalid(_("no such department: %(id)s") % {"id": value}, field="department_ids") from None
        if text not in wanted:
            wanted.append(text)
    if not wanted:
        raise Invalid(_("choose at least one department, or everyone"), field="department_ids")
    found = {str(d.pk): d for d in Department.objects.for_tenant(actor.tenant_id).filter(pk__in=wanted)}
    missing = [value for value in wanted if value not in found]
    if missing:
        raise Invalid(_("no such department: %(id)s") % {"id": missing[0]}, field="department_ids")
    return [found[value] for value in wanted]


def check_ready(version: PolicyVersion) -> None:
    """Both languages are required before members are asked to read it."""
    for name in ("title_en", "title_zh", "body_en", "body_zh"):
        if not getattr(version, name).strip():
            label = {
                "title_en": _("the English title"),
                "title_zh": _("the Chinese title"),
                "body_en": _("the English text"),
                "body_zh": _("the Chinese text"),
            }[name]
            raise Invalid(_("%(what)s is missing: write it before publishing") % {"what": label}, field=name)


@tenant_atomic
def publish_version(
    actor: Actor,
    version: PolicyVersion,
    *,
    deadline_days: int,
    scope_all: bool = True,
    department_ids: Sequence[uuid.UUID | str] = (),
) -> PolicyVersion:
    """Ask everyone in scope to acknowledge ``version`` within ``deadline_days``. The document's previous
    version is superseded: its acknowledgements stay as evidence but do not count for this one."""
    _require(actor, MANAGE)
    if isinstance(deadline_days, bool) or not MIN_DEADLINE_DAYS <= deadline_days <= MAX_DEADLINE_DAYS:
        raise Invalid(
            _("the deadline must be %(min)d to %(max)d days")
            % {"min": MIN_DEADLINE_DAYS, "max": MAX_DEADLINE_DAYS},
            field="deadline_days",
        )
    departments = _scope(actor, scope_all, department_ids)
    version = _locked(version)
    if version.state != VersionState.DRAFT:
        raise Conflict(_("this version has been published already"), field="state")
    check_ready(version)
    at = now()
    previous = (
        PolicyVersion.objects.for_tenant(version.tenant_id)
        .select_for_update()
        .filter(document_id=version.document_id, state=VersionState.PUBLISHED)
        .first()
    )
    if previous is not None:
        before = previous.snapshot()
        previous.state = VersionState.SUPERSEDED
        previous.superseded_at = at
        previous.save(update_fields=["state", "superseded_at", "updated_at"])
        record(
            actor,
            "policy.version_superseded",
            target=previous,
            before=before,
            after=previous.snapshot(),
            superseded_by=str(version.pk),
        )
    before = version.snapshot()
    version.state = VersionState.PUBLISHED
    version.published_at = at
    version.published_by = actor if isinstance(actor, Member) else None
    version.deadline_days = deadline_days
    version.scope_all = not departments
    version.scope_departments = [{"id": str(d.pk), "name": d.name} for d in departments]
    version.save()
    members = list(members_in_scope(version))
    record(
        actor,
        "policy.version_published",
        target=version,
        before=before,
        after=version.snapshot(),
        members_in_scope=len(members),
    )
    _ask(version, members, at)
    return version


def _ask(version: PolicyVersion, members: list[Member], at: dt.datetime) -> None:
    """The first notice to each member in scope, recorded so the reminder job does not send it again."""
    PolicyReminder.objects.bulk_create(
        [
            PolicyReminder(
                tenant_id=version.tenant_id,
                version=version,
                member=m,
                stage=ReminderStage.ASSIGNED,
                sent_at=at,
            )
            for m in members
        ]
    )
    tell_each([(m, *asked_message(version, m)) for m in members], url=read_url(version.pk))


def asked_message(version: PolicyVersion, member: Member) -> tuple[str, str]:
    joined = getattr(member, "joined_at", None) or member.created_at
    deadline = date_format(local(deadline_of(version, joined)), "Y-m-d H:i")
    title = _("Please read and acknowledge: %(title)s (version %(n)d)") % {
        "title": version.title_en,
        "n": version.number,
    }
    body = _("%(zh)s — acknowledge by %(deadline)s (Hong Kong time). %(summary)s") % {
        "zh": version.title_zh,
        "deadline": deadline,
        "summary": version.change_summary,
    }
    return title, body.strip()


# ---------------------------------------------------------------------------------------- acknowledging
@tenant_atomic
def acknowledge(actor: Actor, version: PolicyVersion) -> Acknowledgement:
    """The member's own acknowledgement of a published version in their scope, with the time, address and
    browser it came from. Once only; never changed."""
    if not isinstance(actor, Member):
        raise Invalid(_("only a member can acknowledge a policy"), field="version_id")
    version = _locked(version)
    if version.tenant_id != actor.tenant_id:
        raise NotFound(_("no such policy version"), field="version_id")
    if version.state == VersionState.SUPERSEDED:
        raise Conflict(
            _("this version has been replaced by a newer one: acknowledge the current version"),
            field="version_id",
        )
    if version.state != VersionState.PUBLISHED:
        raise NotFound(_("no such policy version"), field="version_id")
    if entered_scope_at(version, actor.pk) is None:
        raise Invalid(_("this policy is not addressed to you"), field="version_id")
    if Acknowledgement.objects.for_tenant(actor.tenant_id).filter(version=version, member=actor).exists():
        raise Conflict(_("you have acknowledged this version already"), field="version_id")
    facts = context.current()
    try:
        ack = Acknowledgement.objects.create(
            tenant_id=actor.tenant_id,
            version=version,
            member=actor,
            member_name=actor.name,
            member_email=actor.email,
            acknowledged_at=now(),
            ip_address=facts.ip or None,
            user_agent=(facts.user_agent or "")[:400],
        )
    except IntegrityError:  # pragma: no cover - the version row lock serialises acknowledgements
        raise Conflict(_("you have acknowledged this version already"), field="version_id") from None
    record(
        actor,
        "policy.acknowledged",
        target=version,
        after=ack.snapshot(),
        policy=version.document.name,
        version=version.number,
    )
    return ack


@tenant_atomic
def record_export(actor: Actor, version: PolicyVersion, *, rows: int) -> None:
    """Downloading the acknowledgements is itself logged (it is personal data leaving the system)."""
    _require(actor, VIEW)
    record(actor, "policy.acknowledgements_exported", target=version, rows=rows)
