"""Reconciliation links: which record of which HR source belongs to which account, and how it stands.

Applying a run brings each record's link up to date in the same transaction as the item's change: an
applied or confirmed record is ``linked`` to its account, a disputed one waits as ``disputed``, a record with
no account is ``unmatched``, and a linked record a full export no longer has is ``deleted``. A person's
decision on a disputed record is kept on the link, so the next run follows it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, QuerySet

from harbour.core.bulk import insert_rows, update_rows
from harbour.core.databases import database_for
from harbour.core.time import now
from harbour.lifecycle.models import SourceLink, SyncItem, SyncRun

Situation = SourceLink.Situation


def fingerprint(record: dict[str, Any]) -> str:
    """A short digest of a stored record (its row number left out): equal records, equal fingerprints."""
    return fingerprint_pairs((key, record[key]) for key in sorted(record) if key != "row")


def fingerprint_pairs(pairs: Iterable[tuple[str, Any]]) -> str:
    """The digest of (field, value) pairs in field order. Values count as text, so a stored record (dates and
    ids as strings) and the same record read from a file (dates and ids as objects) agree."""
    content = "\x1f".join(f"{key}\x1e{value}" for key, value in pairs)
    return hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()


def external_id_of(record: dict[str, Any]) -> str:
    return str(record.get("employee_number") or record.get("email") or "")[:200]


def _after_apply(item: SyncItem) -> str:
    """The situation an item's record is in once the item has been applied (or set aside)."""
    if item.kind == "disputed":
        return Situation.DISPUTED
    if item.kind == "unmatched" or (item.member_id is None and item.situation == Situation.UNMATCHED):
        return Situation.UNMATCHED
    if item.member_id is not None and item.outcome in (SyncItem.Outcome.APPLIED, SyncItem.Outcome.SKIPPED):
        return Situation.LINKED
    return ""


def remember(run: SyncRun, items: Sequence[SyncItem]) -> None:
    """Bring the links of these (just applied) items up to date: two queries per call."""
    tenant_id = run.tenant_id
    wanted: dict[str, tuple[str, SyncItem]] = {}
    deleted_members: list[uuid.UUID] = []
    for item in items:
        if not item.record:
            if item.situation == Situation.DELETED and item.member_id is not None:
                deleted_members.append(item.member_id)
            continue
        key = external_id_of(item.record)
        situation = _after_apply(item)
        if key and situation:
            wanted[key] = (situation, item)
    links = SourceLink.objects.for_tenant(tenant_id)
    if deleted_members:
        links.filter(source=run.source, member_id__in=deleted_members).update(
            situation=Situation.DELETED, last_run=run, updated_at=now()
        )
    if not wanted:
        return
    existing = {
        link.external_id: link for link in links.filter(source=run.source, external_id__in=list(wanted))
    }
    fresh: list[dict[str, Any]] = []
    changed: list[SourceLink] = []
    for key, (situation, item) in wanted.items():
        member_id = item.member_id if situation != Situation.UNMATCHED else None
        link = existing.get(key)
        if link is None:
            fresh.append(
                {
                    "tenant_id": tenant_id,
                    "source": run.source,
                    "external_id": key,
                    "member_id": member_id,
                    "situation": str(situation),
                    "record": item.record,
                    "fingerprint": fingerprint(item.record),
                    "reason": item.reason,
                    "last_run_id": run.pk,
                    "decided_by_id": None,
                    "decided_at": None,
                }
            )
            continue
        if link.decided_at is not None and situation == Situation.DISPUTED:
            continue  # a person's decision stands until the record changes hands
        same = (link.member_id, link.situation, link.record) == (member_id, situation, item.record)
        if same and link.fingerprint:
            continue  # nothing new: ``last_run`` keeps naming the run that last changed the link
        link.member_id, link.situation, link.record = member_id, situation, item.record
        link.fingerprint = fingerprint(item.record)
        link.reason, link.last_run_id, link.updated_at = item.reason, run.pk, now()
        changed.append(link)
    insert_rows(SourceLink, fresh, using=database_for(tenant_id))
    update_rows(
        SourceLink,
        [
            {
                "pk": link.pk,
                "member_id": link.member_id,
                "situation": link.situation,
                "record": link.record,
                "fingerprint": link.fingerprint,
                "reason": link.reason,
                "last_run_id": link.last_run_id,
            }
            for link in changed
        ],
        using=database_for(tenant_id),
    )


def people_links(links: QuerySet[SourceLink]) -> QuerySet[SourceLink]:
    """Links of records about people: SCIM keeps a group's ``externalId`` as a link with no account, which
    is not a person's record."""
    return links.exclude(situation=Situation.LINKED, member__isnull=True)


def counts_by_situation(tenant_id: uuid.UUID, source: str | None = None) -> dict[str, int]:
    links = people_links(SourceLink.objects.for_tenant(tenant_id))
    if source:
        links = links.filter(source=source)
    counts = {situation.value: 0 for situation in Situation}
    for row in links.values("situation").annotate(n=Count("pk")).order_by():
        counts[row["situation"]] = row["n"]
    return counts
