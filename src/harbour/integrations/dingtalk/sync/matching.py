"""Which Harbour account a DingTalk user is: through its link first, then by job number (= employee number),
then by email or org email, then by mobile number — the lifecycle's correlation order. One account found is a
match; several different accounts are a dispute a person settles."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from harbour.directory.models import Member, MemberState
from harbour.integrations.dingtalk.models import MemberLink
from harbour.integrations.dingtalk.sync.fields import e164, emails_of
from harbour.lifecycle.models import Departure


@dataclass
class Accounts:
    """What matching reads of the company's accounts, indexed by each key."""

    by_number: dict[str, uuid.UUID] = field(default_factory=dict)
    by_email: dict[str, uuid.UUID] = field(default_factory=dict)
    by_mobile: dict[str, uuid.UUID] = field(default_factory=dict)
    labels: dict[uuid.UUID, str] = field(default_factory=dict)
    linked_to: dict[uuid.UUID, str] = field(default_factory=dict)  # member → userid of its live link
    leavers: set[uuid.UUID] = field(default_factory=set)

    def match(self, user: dict[str, Any]) -> list[uuid.UUID]:
        """The accounts the user's job number, addresses and mobile point at, in that order, each once."""
        found: list[uuid.UUID] = []
        keys: list[uuid.UUID | None] = [self.by_number.get(str(user.get("job_number") or "").strip())]
        keys += [self.by_email.get(email) for email in emails_of(user)]
        keys.append(self.by_mobile.get(e164(str(user.get("mobile") or ""))))
        for member_id in keys:
            if member_id is not None and member_id not in found:
                found.append(member_id)
        return found


def load_accounts(tenant_id: uuid.UUID, users: Iterable[dict[str, Any]] | None = None) -> Accounts:
    """Every account of the company, or (``users`` given: an event about a few people) those the users'
    keys name."""
    members = Member.objects.for_tenant(tenant_id)
    if users is not None:
        users = list(users)
        numbers = [str(u.get("job_number")) for u in users if u.get("job_number")]
        emails = [e for u in users for e in emails_of(u)]
        mobiles = [e164(str(u.get("mobile") or "")) for u in users if u.get("mobile")]
        members = members.filter(Q(employee_number__in=numbers) | Q(email__in=emails) | Q(mobile__in=mobiles))
    accounts = Accounts()
    rows = list(members.values_list("pk", "name", "email", "employee_number", "mobile", "state"))
    for pk, name, email, number, mobile, state in rows:
        accounts.labels[pk] = f"{name} <{email}>"
        if number:
            accounts.by_number.setdefault(number, pk)
        accounts.by_email.setdefault(email.lower(), pk)
        if mobile:
            accounts.by_mobile.setdefault(mobile, pk)
        if state == MemberState.DEACTIVATED:
            accounts.leavers.add(pk)
    ids = [row[0] for row in rows]
    departures = Departure.objects.for_tenant(tenant_id).filter(rehired_at__isnull=True)
    links = MemberLink.objects.for_tenant(tenant_id).filter(removed_at__isnull=True, member__isnull=False)
    if users is not None:
        departures, links = departures.filter(member_id__in=ids), links.filter(member_id__in=ids)
    accounts.leavers.update(departures.values_list("member_id", flat=True))
    accounts.linked_to.update(
        (member_id, userid) for member_id, userid in links.values_list("member_id", "userid")
    )
    return accounts


def open_departures(tenant_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        Departure.objects.for_tenant(tenant_id)
        .filter(rehired_at__isnull=True)
        .values_list("member_id", flat=True)
    )
