"""Reads of the PDPO register: the restricted querysets every list starts from, the gates, and what the
register's state implies (reviews due, filings overdue, members never shown the current PICS, the current
state of each consent)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member, MemberState
from harbour.pdpo.models import (
    Approval,
    ConsentAction,
    ConsentEntry,
    DataCategory,
    DataLocation,
    GbaContract,
    MonitoringAssessment,
    Notice,
    NoticeKind,
    NoticeShown,
    Processor,
    System,
    TransferAssessment,
)
from harbour.pdpo.permission_codes import VIEW

# XB-S33-STATUS: section 33 of the PDPO (transfers outside Hong Kong) was enacted but is not in force and
# no commencement date has been announced. Reviewed each release; change it here when that changes.
S33_IN_FORCE = False
S33_REVIEWED = dt.date(2026, 11, 30)

T = TypeVar("T", bound=Model)


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def may_view(actor: Actor) -> bool:
    return actor.access().tenant_wide(VIEW)


def visible(actor: Actor, model: type[T]) -> QuerySet[T]:
    """The register's rows of one kind, for those who may see the register."""
    require_permission(actor, VIEW, _tenant(actor))
    return model.objects.for_tenant(actor.tenant_id)  # type: ignore[attr-defined]


def get_for(actor: Actor, model: type[T], pk: uuid.UUID | str, field: str = "id") -> T:
    """Tenant first, then permission: missing, another company's and forbidden all answer NotFound."""
    if not may_view(actor):
        raise NotFound(_("no such record in the PDPO register"), field=field)
    try:
        return visible(actor, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, ValidationError):  # type: ignore[attr-defined]
        raise NotFound(_("no such record in the PDPO register"), field=field) from None


def categories_of(tenant_id: uuid.UUID) -> QuerySet[DataCategory]:
    return DataCategory.objects.for_tenant(tenant_id).prefetch_related("systems")


def current_notice(tenant_id: uuid.UUID, kind: str) -> Notice | None:
    return Notice.objects.for_tenant(tenant_id).filter(kind=kind, state=Notice.State.PUBLISHED).first()


def members_not_shown(tenant_id: uuid.UUID, notice: Notice | None = None) -> QuerySet[Member]:
    """Active and invited members never shown the current PICS (all of them when none is published)."""
    notice = notice or current_notice(tenant_id, NoticeKind.PICS)
    members = Member.objects.for_tenant(tenant_id).filter(state__in=[MemberState.ACTIVE, MemberState.INVITED])
    if notice is None:
        return members.order_by("name")
    seen = NoticeShown.objects.for_tenant(tenant_id).filter(notice=notice, member__isnull=False)
    return members.exclude(pk__in=seen.values("member_id")).order_by("name")


def shown_to_member(member: Member, notice: Notice) -> NoticeShown | None:
    return NoticeShown.objects.for_tenant(member.tenant_id).filter(notice=notice, member=member).first()


@dataclass(frozen=True)
class ConsentState:
    person_name: str
    member_id: uuid.UUID | None
    purpose: str
    granted: bool
    latest: ConsentEntry


def consent_states(tenant_id: uuid.UUID) -> list[ConsentState]:
    """The current state per data subject and purpose: the latest entry decides."""
    seen: dict[tuple[str, str], ConsentState] = {}
    for entry in ConsentEntry.objects.for_tenant(tenant_id).order_by("-at", "-created_at"):
        key = (entry.person_key, entry.purpose.casefold())
        if key not in seen:
            seen[key] = ConsentState(
                entry.person_name, entry.member_id, entry.purpose, entry.action == ConsentAction.GRANT, entry
            )
    return sorted(seen.values(), key=lambda s: (s.person_name.casefold(), s.purpose.casefold()))


def has_consent(tenant_id: uuid.UUID, *, person_key: str, purpose: str) -> bool:
    latest = (
        ConsentEntry.objects.for_tenant(tenant_id)
        .filter(person_key=person_key, purpose__iexact=purpose)
        .order_by("-at", "-created_at")
        .first()
    )
    return latest is not None and latest.action == ConsentAction.GRANT


def tia_review_due(tia: TransferAssessment, today: dt.date | None = None) -> bool:
    """An approved assessment past its review date is due for review (XB-TIA)."""
    return tia.state == Approval.APPROVED and tia.review_on < (today or today_in_hong_kong())


def gba_filing_overdue(contract: GbaContract, today: dt.date | None = None) -> bool:
    return (
        contract.filing_due_on is not None
        and contract.filed_on is None
        and contract.filing_due_on < (today or today_in_hong_kong())
    )


def data_location(tenant_id: uuid.UUID) -> DataLocation | None:
    return DataLocation.objects.for_tenant(tenant_id).first()


def member_choices(tenant_id: uuid.UUID) -> list[tuple[str, str]]:
    members = Member.objects.for_tenant(tenant_id).filter(state=MemberState.ACTIVE).order_by("name")
    return [(str(m.pk), f"{m.name} <{m.email}>") for m in members]


def counts(tenant_id: uuid.UUID) -> dict[str, Any]:
    """What the register's home page shows: records per register."""
    return {
        "inventory": DataCategory.objects.for_tenant(tenant_id).count(),
        "systems": System.objects.for_tenant(tenant_id).count(),
        "notices": Notice.objects.for_tenant(tenant_id).count(),
        "consents": ConsentEntry.objects.for_tenant(tenant_id).count(),
        "tias": TransferAssessment.objects.for_tenant(tenant_id).count(),
        "gba": GbaContract.objects.for_tenant(tenant_id).count(),
        "processors": Processor.objects.for_tenant(tenant_id).count(),
        "monitoring": MonitoringAssessment.objects.for_tenant(tenant_id).count(),
    }
