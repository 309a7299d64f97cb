"""Reads of policies: documents and versions (for those who hold ``policy.view``), who is in a version's
scope, each member's deadline, progress counts, what a member must still acknowledge, and the gates."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import Department, Member, MemberState
from harbour.policies.models import (
    Acknowledgement,
    PolicyDocument,
    PolicyKind,
    PolicyVersion,
    VersionState,
)

VIEW, MANAGE = "policy.view", "policy.manage"
IN_SCOPE_STATES = (MemberState.ACTIVE, MemberState.INVITED)


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


# ------------------------------------------------------------------------------------------------ gates
def documents_visible_to(actor: Actor) -> QuerySet[PolicyDocument]:
    require_permission(actor, VIEW, _tenant(actor))
    return PolicyDocument.objects.for_tenant(actor.tenant_id)


def get_document_for(actor: Actor, document_id: uuid.UUID | str) -> PolicyDocument:
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such policy"), field="document_id")
    try:
        return documents_visible_to(actor).get(pk=document_id)
    except (PolicyDocument.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such policy"), field="document_id") from None


def versions_of(document: PolicyDocument) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.for_tenant(document.tenant_id).filter(document=document).order_by("-number")


def get_version_for(actor: Actor, version_id: uuid.UUID | str) -> PolicyVersion:
    """A version for those who run policies (``policy.view``); anyone else: NotFound."""
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such policy version"), field="version_id")
    try:
        return (
            PolicyVersion.objects.for_tenant(actor.tenant_id)
            .select_related("document", "published_by")
            .get(pk=version_id)
        )
    except (PolicyVersion.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such policy version"), field="version_id") from None


def get_version_to_read(actor: Actor, version_id: uuid.UUID | str) -> PolicyVersion:
    """A version a member may read: one published to a scope they are in (also once superseded, so they
    learn it was replaced) or one they acknowledged. Drafts and other people's policies: NotFound."""
    missing = NotFound(_("no such policy version"), field="version_id")
    if actor.actor_id is None:
        raise missing
    try:
        version = (
            PolicyVersion.objects.for_tenant(actor.tenant_id)
            .select_related("document")
            .exclude(state=VersionState.DRAFT)
            .get(pk=version_id)
        )
    except (PolicyVersion.DoesNotExist, ValueError, ValidationError):
        raise missing from None
    acknowledged = (
        Acknowledgement.objects.for_tenant(actor.tenant_id)
        .filter(version=version, member_id=actor.actor_id)
        .exists()
    )
    if not acknowledged and entered_scope_at(version, actor.actor_id) is None:
        raise missing
    return version


# ------------------------------------------------------------------------------------------------ scope
def scope_paths(version: PolicyVersion) -> list[str]:
    """The materialised paths of the scope's departments as they are now (a moved department takes its
    subtree with it; a deleted one — always empty — drops out)."""
    ids = version.scope_department_ids
    return list(
        Department.objects.for_tenant(version.tenant_id).filter(pk__in=ids).values_list("path", flat=True)
    )


def members_in_scope(version: PolicyVersion) -> QuerySet[Any]:
    """Accounts that must acknowledge ``version`` (active and invited, never suspended or deactivated),
    each annotated with ``joined_at``: when they entered the scope (account created, or first placed in a
    department of the scope)."""
    qs = Member.objects.for_tenant(version.tenant_id).filter(state__in=IN_SCOPE_STATES)
    if version.scope_all:
        return qs.annotate(joined_at=F("created_at"))
    paths = scope_paths(version)
    if not paths:
        return qs.none().annotate(joined_at=F("created_at"))
    inside = Q()
    for path in paths:
        inside |= Q(memberships__department__path__startswith=path)
    return qs.annotate(joined_at=Min("memberships__created_at", filter=inside)).filter(
        joined_at__isnull=False
    )


def entered_scope_at(version: PolicyVersion, member_id: uuid.UUID) -> dt.datetime | None:
    row: dt.datetime | None = (
        members_in_scope(version).filter(pk=member_id).values_list("joined_at", flat=True).first()
    )
    return row


def assigned_at(version: PolicyVersion, joined_at: dt.datetime) -> dt.datetime:
    """The member's own start: publication, or when they joined the scope if that was later."""
    assert version.published_at is not None
    return max(version.published_at, joined_at)


def deadline_of(version: PolicyVersion, joined_at: dt.datetime) -> dt.datetime:
    """Everyone has ``deadline_days`` from their own start: a new hire counts from when they joined."""
    return assigned_at(version, joined_at) + dt.timedelta(days=version.deadline_days)


def acknowledgements_of(version: PolicyVersion) -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.for_tenant(version.tenant_id).filter(version=version)


def outstanding_members(
    version: PolicyVersion,
    *,
    department: Department | None = None,
    overdue_only: bool = False,
    at: dt.datetime | None = None,
) -> QuerySet[Any]:
    """Members in scope who have not acknowledged ``version`` (annotated ``joined_at``), by name.
    ``overdue_only``: those whose own deadline has passed at ``at``."""
    qs = members_in_scope(version).exclude(
        pk__in=acknowledgements_of(version).filter(member__isnull=False).values("member_id")
    )
    if department is not None:
        qs = qs.filter(
            pk__in=Member.objects.for_tenant(version.tenant_id)
            .filter(memberships__department__path__startswith=department.path)
            .values("pk")
        )
    if overdue_only:
        qs = qs.filter(pk__in=_overdue_ids(version, at or now()))
    return qs.order_by("name", "id")


def _overdue_ids(version: PolicyVersion, at: dt.datetime) -> QuerySet[Any, Any]:
    """Deadline = max(published, joined) + days, so overdue ⇔ published and joined are both older than
    ``at`` − days (one condition the database answers)."""
    if version.published_at is None or version.state != VersionState.PUBLISHED:
        return Member.objects.for_tenant(version.tenant_id).none().values("pk")
    cutoff = at - dt.timedelta(days=version.deadline_days)
    if version.published_at >= cutoff:
        return Member.objects.for_tenant(version.tenant_id).none().values("pk")
    return members_in_scope(version).filter(joined_at__lt=cutoff).values("pk")


@dataclass(frozen=True)
class Progress:
    in_scope: int
    acknowledged: int
    outstanding: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.in_scope) if self.in_scope else 100


def progress_of(version: PolicyVersion, *, at: dt.datetime | None = None) -> Progress:
    """Counts over the members in scope now: acknowledged, outstanding, and of those, overdue."""
    if version.state == VersionState.DRAFT:
        return Progress(0, 0, 0, 0)
    in_scope = members_in_scope(version).count()
    outstanding = outstanding_members(version).count()
    overdue = (
        outstanding_members(version, overdue_only=True, at=at).count()
        if version.state == VersionState.PUBLISHED
        else 0
    )
    return Progress(in_scope, in_scope - outstanding, outstanding, overdue)


def with_version_counts(documents: QuerySet[PolicyDocument]) -> QuerySet[PolicyDocument]:
    return documents.annotate(n_versions=Count("versions"))


def current_version(document: PolicyDocument) -> PolicyVersion | None:
    return versions_of(document).filter(state=VersionState.PUBLISHED).first()


def draft_of(document: PolicyDocument) -> PolicyVersion | None:
    return versions_of(document).filter(state=VersionState.DRAFT).first()


def document_of_kind(tenant_id: uuid.UUID, kind: str) -> PolicyDocument | None:
    return PolicyDocument.objects.for_tenant(tenant_id).filter(kind=kind).first()


def has_conduct_policy(tenant_id: uuid.UUID) -> bool:
    return document_of_kind(tenant_id, PolicyKind.CONDUCT) is not None


# ------------------------------------------------------------------------------------------ the member
@dataclass(frozen=True)
class Pending:
    version: PolicyVersion
    assigned_at: dt.datetime
    deadline: dt.datetime

    @property
    def is_overdue(self) -> bool:
        return self.deadline < now()


def pending_for(actor: Actor) -> list[Pending]:
    """Published versions whose scope holds the actor and which they have not acknowledged, soonest
    deadline first."""
    if actor.actor_id is None:
        return []
    published = (
        PolicyVersion.objects.for_tenant(actor.tenant_id)
        .filter(state=VersionState.PUBLISHED)
        .select_related("document")
    )
    done = set(
        Acknowledgement.objects.for_tenant(actor.tenant_id)
        .filter(member_id=actor.actor_id)
        .values_list("version_id", flat=True)
    )
    pending = []
    for version in published:
        if version.pk in done:
            continue
        joined = entered_scope_at(version, actor.actor_id)
        if joined is not None:
            pending.append(Pending(version, assigned_at(version, joined), deadline_of(version, joined)))
    return sorted(pending, key=lambda p: (p.deadline, p.version.document.name))


def acknowledged_by(actor: Actor) -> QuerySet[Acknowledgement]:
    """What the actor acknowledged, newest first."""
    if actor.actor_id is None:
        return Acknowledgement.objects.for_tenant(actor.tenant_id).none()
    return (
        Acknowledgement.objects.for_tenant(actor.tenant_id)
        .filter(member_id=actor.actor_id)
        .select_related("version", "version__document")
        .order_by("-acknowledged_at")
    )
