"""Turning what a person typed or sent (ids, an email, a kind) into ``LogFilters``, through the directory's
gates: an id of another company is "not found" with the field named."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from harbour.audit.kinds import KINDS
from harbour.core.errors import Invalid, NotFound
from harbour.core.permissions import Actor
from harbour.directory.models import Member
from harbour.directory.queries import get_department_for
from harbour.oplog.queries import LogFilters


def clean_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind and not (kind in KINDS or (kind.endswith(".") and any(k.startswith(kind) for k in KINDS))):
        raise Invalid(_("no such event kind: %(kind)s") % {"kind": kind}, field="kind")
    return kind


def person_by_id(actor: Actor, person_id: uuid.UUID | None, field: str = "person_id") -> uuid.UUID | None:
    """Any member of the company (also a deactivated one: their history stays readable)."""
    if person_id is None:
        return None
    if not Member.objects.for_tenant(actor.tenant_id).filter(pk=person_id).exists():
        raise NotFound(_("no such member"), field=field)
    return person_id


def person_by_email(actor: Actor, email: str, field: str = "person") -> uuid.UUID | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    found = (
        Member.objects.for_tenant(actor.tenant_id).filter(email=email).values_list("pk", flat=True).first()
    )
    if found is None:
        raise NotFound(_("no member with the email %(email)s") % {"email": email}, field=field)
    return found


def build_filters(
    actor: Actor,
    *,
    person: uuid.UUID | None,
    department_id: uuid.UUID | str | None,
    kind: str,
    since: dt.date | None,
    until: dt.date | None,
) -> LogFilters:
    department = None
    if department_id:
        try:
            department = get_department_for(actor, department_id)
        except NotFound as exc:
            raise NotFound(exc.message, field="department_id") from None
    return LogFilters(person=person, department=department, kind=clean_kind(kind), since=since, until=until)
