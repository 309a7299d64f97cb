"""The two categories of personal data this app reaches itself: former employees (HR-FORMER-7Y) and
expired temporary collaborators. Which of them are due, and their erasure into a tombstone.

An erased member keeps its row (so references and the operation log stay readable) under a neutral name
and a unique, non-routable address; everything personal on it is blanked, and what hangs off it (sessions,
devices, tokens, invitations, memberships, grants, notices, sign-in risk events) is deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.errors import Conflict
from harbour.core.time import HONG_KONG, now
from harbour.directory.models import Invitation, Member, Membership, MemberState, RoleGrant
from harbour.identity.models import ApiToken, DeviceCredential, DeviceEnrolment, LoginSession, RiskEvent
from harbour.lifecycle.leavers import RETENTION_YEARS
from harbour.lifecycle.models import Departure
from harbour.retention.models import ErasedRecord
from harbour.security.models import Notice

FORMER_EMPLOYEES = "former_employees"
TEMPORARY_COLLABORATORS = "temporary_collaborators"
MEMBER_CATEGORIES = (FORMER_EMPLOYEES, TEMPORARY_COLLABORATORS)
# Seven years are at most 2,557 days: with this period a former employee is erased exactly on the
# erase-by date the lifecycle set at departure (end of employment + 7 years, HR-FORMER-7Y).
FORMER_EMPLOYEE_DAYS = RETENTION_YEARS * 365 + 2
COLLABORATOR_DAYS = 365
ERASED_NAME = "Erased member"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be delivered to


def years_before(day: dt.date, years: int) -> dt.date:
    """The day ``years`` earlier; on 28 February the 29th of a leap year counts as reached too (the
    lifecycle's erase-by date of a 29 February leaver is 28 February)."""
    try:
        earlier = day.replace(year=day.year - years)
    except ValueError:  # 29 February, and the earlier year is no leap year
        earlier = day.replace(year=day.year - years, day=28)
    if (day.month, day.day) == (2, 28):
        with contextlib.suppress(ValueError):  # no 29 February that year
            earlier = earlier.replace(day=29)
    return earlier


def start_of_day_after(day: dt.date) -> dt.datetime:
    """The first moment after the Hong Kong day ``day`` (a moment before it falls on or before that day)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=HONG_KONG)


def erased_member_ids(tenant_id: uuid.UUID) -> QuerySet[ErasedRecord]:
    return ErasedRecord.objects.for_tenant(tenant_id).filter(category__in=MEMBER_CATEGORIES)


def _not_erased(tenant_id: uuid.UUID) -> QuerySet[Member]:
    erased = erased_member_ids(tenant_id).values_list("record_id", flat=True)
    return Member.objects.for_tenant(tenant_id).exclude(pk__in=[uuid.UUID(str(pk)) for pk in erased])


def _open_departures(tenant_id: uuid.UUID) -> QuerySet[Departure]:
    return Departure.objects.for_tenant(tenant_id).filter(member=OuterRef("pk"), rehired_at__isnull=True)


# --------------------------------------------------------------------------------------- former employees
def former_employees(tenant_id: uuid.UUID) -> QuerySet[Member]:
    """Employees who left (deactivated, not external) and are not erased yet."""
    return _not_erased(tenant_id).filter(state=MemberState.DEACTIVATED, is_external=False)


def former_employees_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> QuerySet[Member]:
    """Former employees whose period counted from the end of employment has run out on ``today``: ``days``
    after the day they left, and in any case on the lifecycle's erase-by date. Without a departure record
    (deactivated by hand) the day of deactivation is the end of employment."""
    threshold = max(today - dt.timedelta(days=days), years_before(today, RETENTION_YEARS))
    departures = _open_departures(tenant_id)
    with_departure = Exists(departures)
    due_departure = Exists(departures.filter(Q(erase_by__lte=today) | Q(left_on__lte=threshold)))
    by_hand = Q(state_changed_at__lt=start_of_day_after(threshold))
    return former_employees(tenant_id).filter(due_departure | (~with_departure & by_hand))


def find_former_employees(tenant_id: uuid.UUID, today: dt.date, days: int) -> list[uuid.UUID]:
    return list(former_employees_due(tenant_id, today, days).order_by("pk").values_list("pk", flat=True))


def erase_former_employees(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    return _erase(tenant_id, ids, external=False)


# ---------------------------------------------------------------------------------- temporary collaborators
def ended_collaborators(tenant_id: uuid.UUID) -> QuerySet[Member]:
    """External collaborators whose account is off (suspended at the end of their term, or deactivated)."""
    return _not_erased(tenant_id).filter(
        is_external=True, state__in=(MemberState.SUSPENDED, MemberState.DEACTIVATED)
    )


def collaborators_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> QuerySet[Member]:
    """Ended collaborators whose access ended (account switched off, and the term over) ``days`` or more
    days before ``today``."""
    before = start_of_day_after(today - dt.timedelta(days=days))
    return (
        ended_collaborators(tenant_id)
        .filter(Q(state_changed_at__isnull=False) | Q(access_expires_at__isnull=False))
        .filter(Q(state_changed_at__isnull=True) | Q(state_changed_at__lt=before))
        .filter(Q(access_expires_at__isnull=True) | Q(access_expires_at__lt=before))
    )


def find_collaborators(tenant_id: uuid.UUID, today: dt.date, days: int) -> list[uuid.UUID]:
    return list(collaborators_due(tenant_id, today, days).order_by("pk").values_list("pk", flat=True))


def erase_collaborators(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    return _erase(tenant_id, ids, external=True)


# ------------------------------------------------------------------------------------------------ erasure
def _erase(tenant_id: uuid.UUID, ids: Sequence[Any], *, external: bool) -> int:
    """Scrub each member into a tombstone, inside the caller's transaction. Refuses (and so rolls the
    batch back) when any of them is still an account in use: erasure never touches a working account."""
    wanted = [uuid.UUID(str(pk)) for pk in ids]
    members = list(Member.objects.for_tenant(tenant_id).select_for_update().filter(pk__in=wanted))
    allowed = (MemberState.SUSPENDED, MemberState.DEACTIVATED) if external else (MemberState.DEACTIVATED,)
    for member in members:
        if member.state not in allowed or member.is_external != external:
            raise Conflict(_("an account in use cannot be erased"), field="category")
    if len(members) != len(set(wanted)):
        raise Conflict(_("a record to erase is no longer there"), field="category")
    for member in members:
        scrub_member(member)
    return len(members)


def tombstone_label(member_id: uuid.UUID) -> str:
    return f"{ERASED_NAME} {member_id.hex[:8]}"


def scrub_member(member: Member) -> None:
    """Blank the member's personal data and delete what hangs off it; the row stays as a tombstone."""
    tenant_id = member.tenant_id
    if member.account_id is not None:
        LoginSession.objects.filter(account_id=member.account_id, tenant_id=tenant_id).delete()
    for model in (ApiToken, DeviceCredential, DeviceEnrolment, RiskEvent, Notice, Invitation, RoleGrant):
        model.objects.for_tenant(tenant_id).filter(member=member).delete()
    Membership.objects.for_tenant(tenant_id).filter(member=member).delete()
    member.name = tombstone_label(member.pk)
    member.name_zh = ""
    member.email = f"erased-{member.pk.hex}@{ERASED_DOMAIN}"
    member.mobile = ""
    member.employee_number = None
    member.title = ""
    member.hire_date = None
    member.manager = None
    member.account = None
    member.state = MemberState.DEACTIVATED
    member.sessions_revoked_at = now()
    member.save()
    member.forget_access()


# ------------------------------------------------------------------------------------------------- labels
def labels_of(tenant_id: uuid.UUID, ids: Sequence[Any]) -> dict[str, str]:
    """How a preview names the members it would erase: name and employee number."""
    rows = Member.objects.for_tenant(tenant_id).filter(pk__in=[uuid.UUID(str(pk)) for pk in ids])
    labels: dict[str, str] = {}
    for pk, name, number, email in rows.values_list("pk", "name", "employee_number", "email"):
        labels[str(pk)] = f"{name} ({number})" if number else f"{name} <{email}>"
    return labels


def register() -> None:
    register_category(
        ErasableCategory(
            code=FORMER_EMPLOYEES,
            label=gettext_lazy("Former employees"),
            default_days=FORMER_EMPLOYEE_DAYS,
            basis=gettext_lazy("from the end of employment (never beyond the erase-by date, 7 years)"),
            find_due=find_former_employees,
            erase=erase_former_employees,
            rule_ids=("PDPO-DPP2-RETENTION", "HR-FORMER-7Y"),
        )
    )
    register_category(
        ErasableCategory(
            code=TEMPORARY_COLLABORATORS,
            label=gettext_lazy("Expired temporary collaborators"),
            default_days=COLLABORATOR_DAYS,
            basis=gettext_lazy("from the end of their access"),
            find_due=find_collaborators,
            erase=erase_collaborators,
        )
    )
