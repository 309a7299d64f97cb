"""Console notices: short messages for one member ("INC-2026-0003 is overdue"), read on the Notices page.

Generic on purpose: any app above the security app may post one. Posting is a side effect of an action
(which writes the audit event itself), so a notice is not audited on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.security.models import Notice

KEEP_LISTED = 200


def post_notice(members: Iterable[Member], *, title: str, body: str = "", url: str = "") -> list[Notice]:
    """One notice per member (called inside the posting action's transaction)."""
    notices = []
    for member in members:
        notices.append(
            Notice.objects.create(
                tenant_id=member.tenant_id, member=member, title=title[:200], body=body, url=url[:300]
            )
        )
    return notices


def notices_of(member: Member) -> QuerySet[Notice]:
    return Notice.objects.for_tenant(member.tenant_id).filter(member=member)


def unread_count(member: Member) -> int:
    return notices_of(member).filter(read_at__isnull=True).count()


def mark_read(member: Member, notice_id: uuid.UUID | str | None = None) -> int:
    """Mark one of the member's notices read (another's answers "not found"), or all when no id is given."""
    qs = notices_of(member).filter(read_at__isnull=True)
    if notice_id is None:
        return qs.update(read_at=now())
    try:
        found = notices_of(member).filter(pk=notice_id).exists()
    except (ValueError, TypeError, ValidationError):
        found = False
    if not found:
        raise NotFound(_("no such notice"), field="notice_id")
    return qs.filter(pk=notice_id).update(read_at=now())
