"""Reads of data requests: the gates (the handlers see every request, a member their own), the disclosure
log and its 12-month lookback, the log book, and who handles requests."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from harbour.core.errors import Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import HONG_KONG, add_months, now
from harbour.data_requests.models import (
    OPEN_STATES,
    DataRequest,
    Disclosure,
    LogBookEntry,
)
from harbour.data_requests.permission_codes import MANAGE, VIEW
from harbour.directory.models import Member, MemberState, Role, RoleGrant

LOOKBACK_MONTHS = 12


def _tenant(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


def may_view_all(actor: Actor) -> bool:
    return actor.access().tenant_wide(VIEW)


def may_manage(actor: Actor) -> bool:
    return actor.access().tenant_wide(MANAGE)


def open_first(qs: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
    """Open requests first, the nearest deadline first; then closed ones, the latest received first."""
    is_open = Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(closed_rank=is_open).order_by("closed_rank", "received_on", "created_at")


def requests_for(actor: Actor) -> QuerySet[DataRequest]:
    """Every request of the company (``datarequest.view``)."""
    require_permission(actor, VIEW, _tenant(actor))
    return DataRequest.objects.for_tenant(actor.tenant_id).select_related("requester")


def my_requests(actor: Actor) -> QuerySet[DataRequest]:
    """The requests the member made themself (any member)."""
    qs = DataRequest.objects.for_tenant(actor.tenant_id)
    if actor.actor_id is None:
        return qs.none()
    return qs.filter(requester_id=actor.actor_id).order_by("-received_on", "-created_at")


def get_request_for(actor: Actor, request_id: uuid.UUID | str) -> DataRequest:
    """A request the actor may see: every one with ``datarequest.view``, their own otherwise. Missing,
    another company's and not visible all answer NotFound."""
    try:
        found = (
            DataRequest.objects.for_tenant(actor.tenant_id)
            .select_related("requester", "access_request")
            .get(pk=request_id)
        )
    except (DataRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such data request"), field="request_id") from None
    mine = actor.actor_id is not None and found.requester_id == actor.actor_id
    if not (mine or may_view_all(actor)):
        raise NotFound(_("no such data request"), field="request_id")
    return found


def disclosures_for(actor: Actor) -> QuerySet[Disclosure]:
    require_permission(actor, VIEW, _tenant(actor))
    return Disclosure.objects.for_tenant(actor.tenant_id).select_related("subject")


def log_book_for(actor: Actor) -> QuerySet[LogBookEntry]:
    require_permission(actor, VIEW, _tenant(actor))
    return LogBookEntry.objects.for_tenant(actor.tenant_id)


def lookback_start(request: DataRequest) -> dt.datetime:
    """The first instant of the 12 months before the request was received (Hong Kong days): a disclosure on
    the same calendar day a year before is inside, the day before that is not (s23(1)(c))."""
    day = add_months(request.received_on, -LOOKBACK_MONTHS)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=HONG_KONG)


def lookback_disclosures(request: DataRequest, *, until: dt.datetime | None = None) -> QuerySet[Disclosure]:
    """Disclosures of the requester's data from 12 months before the request up to ``until`` (now): the
    third parties a correction is sent on to. The subject is matched by account, or by name for someone
    without one."""
    qs = Disclosure.objects.for_tenant(request.tenant_id).filter(
        disclosed_at__gte=lookback_start(request), disclosed_at__lte=until or now()
    )
    if request.requester_id is not None:
        qs = qs.filter(subject_id=request.requester_id)
    else:
        qs = qs.filter(subject__isnull=True, subject_name__iexact=request.requester_name.strip())
    return qs.order_by("disclosed_at", "id")


def request_handlers(tenant_id: uuid.UUID) -> list[Member]:
    """Active members holding ``datarequest.manage`` company-wide by a live grant: who is reminded."""
    role_ids = [
        r.pk for r in Role.objects.for_tenant(tenant_id).only("permissions") if MANAGE in r.permissions
    ]
    grants = (
        RoleGrant.objects.for_tenant(tenant_id)
        .filter(role_id__in=role_ids, scope__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
    )
    member_ids = set(grants.values_list("member_id", flat=True))
    return list(
        Member.objects.for_tenant(tenant_id)
        .filter(pk__in=member_ids, state=MemberState.ACTIVE)
        .order_by("name", "id")
    )


def member_named(actor: Actor, member_id: uuid.UUID | str | None, *, field: str) -> Member | None:
    """A member of the actor's company named in a request or disclosure (a bad id is a field error)."""
    if member_id in (None, ""):
        return None
    try:
        return Member.objects.for_tenant(actor.tenant_id).get(pk=member_id)
    except (Member.DoesNotExist, ValueError, ValidationError):
        raise Invalid(_("no such member in this company"), field=field) from None


def access_request_named(actor: Actor, request_id: uuid.UUID | str | None) -> DataRequest | None:
    """The earlier access request a correction follows (a bad id is a field error)."""
    if request_id in (None, ""):
        return None
    try:
        return DataRequest.objects.for_tenant(actor.tenant_id).get(pk=request_id)
    except (DataRequest.DoesNotExist, ValueError, ValidationError):
        raise Invalid(_("no such access request"), field="access_request_id") from None


def require_manage(actor: Actor) -> None:
    """Refuse before reading anything a handler's form names (members, requests) for a caller who may not
    handle requests."""
    require_permission(actor, MANAGE, _tenant(actor))


def member_by_email(actor: Actor, email: str, *, field: str) -> Member | None:
    """The company's member with this work email (empty: nobody; unknown: a field error)."""
    if not (email or "").strip():
        return None
    found = Member.objects.for_tenant(actor.tenant_id).filter(email__iexact=email.strip()).first()
    if found is None:
        raise Invalid(_("no member of the company has this email"), field=field)
    return found
