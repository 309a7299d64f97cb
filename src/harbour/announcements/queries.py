"""Reads of announcements: the officer's list and gate (``announcement.view``), each member's own inbox and
gate (self-service: the delivery names the reader), recipients of an audience, and read statistics."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from harbour.announcements.models import Announcement, Audience, Delivery, Language, ReaderLanguage
from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.directory.models import Department, Member, Membership, MemberState

VIEW, MANAGE = "announcement.view", "announcement.manage"
RECIPIENT_STATES = (MemberState.ACTIVE, MemberState.INVITED)


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def announcements_for(actor: Actor) -> QuerySet[Announcement]:
    """Every announcement of the company, for those who hold ``announcement.view`` company-wide."""
    if not actor.access().tenant_wide(VIEW):
        require_permission(actor, VIEW, _tenant(actor))  # raises, naming the missing right
    return Announcement.objects.for_tenant(actor.tenant_id).select_related("created_by", "sent_by")


def get_announcement_for(actor: Actor, announcement_id: uuid.UUID | str) -> Announcement:
    """Missing, in another company, or not visible to the actor: all answer NotFound."""
    if not actor.access().tenant_wide(VIEW):
        raise NotFound(_("no such announcement"), field="announcement_id")
    try:
        return announcements_for(actor).get(pk=announcement_id)
    except (Announcement.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such announcement"), field="announcement_id") from None


def deliveries_of(announcement: Announcement) -> QuerySet[Delivery]:
    return Delivery.objects.for_tenant(announcement.tenant_id).filter(announcement=announcement)


# ------------------------------------------------------------------------------------------------- inbox
def inbox_of(actor: Actor) -> QuerySet[Delivery]:
    """What the actor received: unread first, then newest first."""
    qs = Delivery.objects.for_tenant(actor.tenant_id)
    if actor.actor_id is None:
        return qs.none()
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        qs.filter(member_id=actor.actor_id)
        .select_related("announcement")
        .order_by(unread_first, "-delivered_at", "id")
    )


def unread_count_of(actor: Actor) -> int:
    return inbox_of(actor).filter(read_at__isnull=True).count()


def get_delivery_for(actor: Actor, announcement_id: uuid.UUID | str) -> Delivery:
    """The actor's own copy of an announcement; one they did not receive answers NotFound."""
    try:
        return inbox_of(actor).get(announcement_id=announcement_id)
    except (Delivery.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such announcement"), field="announcement_id") from None


def language_of(member_id: uuid.UUID | None, tenant_id: uuid.UUID) -> str:
    """The language the member chose for announcements, or ``both`` when they never chose."""
    if member_id is None:
        return Language.BOTH
    found = ReaderLanguage.objects.for_tenant(tenant_id).filter(member_id=member_id).first()
    return found.language if found else Language.BOTH


def languages_of(tenant_id: uuid.UUID, member_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = ReaderLanguage.objects.for_tenant(tenant_id).filter(member_id__in=list(member_ids))
    return {row.member_id: row.language for row in rows}


# ------------------------------------------------------------------------------------------- recipients
def departments_by_id(tenant_id: uuid.UUID, ids: Sequence[str]) -> dict[str, Department]:
    return {str(d.pk): d for d in Department.objects.for_tenant(tenant_id).filter(pk__in=list(ids))}


def recipients_of(announcement: Announcement) -> list[Member]:
    """Active and invited members (never suspended or deactivated ones) of the whole company, or of the
    chosen departments and everything under them, by name."""
    qs = Member.objects.for_tenant(announcement.tenant_id).filter(state__in=RECIPIENT_STATES)
    if announcement.audience == Audience.DEPARTMENTS:
        found = departments_by_id(announcement.tenant_id, announcement.department_ids)
        if not found:
            return []
        subtree = Q()
        for department in found.values():
            subtree |= Q(memberships__department__path__startswith=department.path)
        qs = qs.filter(subtree)
    return list(qs.distinct().order_by("name", "id"))


def primary_departments(tenant_id: uuid.UUID, member_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each member's primary department name (else their first by path), one query."""
    rows = (
        Membership.objects.for_tenant(tenant_id)
        .filter(member_id__in=list(member_ids))
        .order_by("member_id", "-is_primary", "department__path")
        .values_list("member_id", "department__name")
    )
    names: dict[uuid.UUID, str] = {}
    for member_id, name in rows:
        names.setdefault(member_id, name)
    return names


# ------------------------------------------------------------------------------------------- statistics
@dataclass(frozen=True)
class DepartmentCount:
    name: str
    total: int
    read: int

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def percent_read(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


@dataclass(frozen=True)
class ReadStats:
    total: int
    read: int
    departments: list[DepartmentCount]

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def percent_read(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


def read_stats(announcement: Announcement) -> ReadStats:
    """Recipients and readers, in total and per department (as the department was when sent)."""
    rows = (
        deliveries_of(announcement)
        .values("department_name")
        .annotate(total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
        .order_by("department_name")
    )
    departments = [
        DepartmentCount(row["department_name"] or _("No department"), row["total"], row["read"])
        for row in rows
    ]
    return ReadStats(
        total=sum(d.total for d in departments),
        read=sum(d.read for d in departments),
        departments=departments,
    )


def sent_since(tenant_id: uuid.UUID, since: dt.datetime) -> QuerySet[Announcement]:
    return Announcement.objects.for_tenant(tenant_id).filter(
        state=Announcement.State.SENT, sent_at__gte=since
    )


def with_read_counts(qs: QuerySet[Announcement]) -> QuerySet[Announcement]:
    return qs.annotate(
        n_delivered=Count("deliveries"),
        n_read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
    )
