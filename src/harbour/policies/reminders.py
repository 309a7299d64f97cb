"""Chasing acknowledgements: members in scope who have not acknowledged are told when they join the scope
(new hires), 7, 3 and 1 days before their deadline, and once it has passed — each stage at most once per
member and version, remembered in ``PolicyReminder``.

Only the most urgent stage due is sent (after downtime a member gets one message, not four), a stage is
never sent after a more urgent one, and a stage whose moment came before the member joined the scope is
skipped (a new hire with 5 days is not told "7 days left")."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.permissions import SystemActor
from harbour.core.time import local
from harbour.directory.models import Member
from harbour.policies.actions import asked_message
from harbour.policies.models import PolicyReminder, PolicyVersion, ReminderStage, VersionState
from harbour.policies.notify import read_url, tell_each
from harbour.policies.queries import assigned_at, deadline_of, outstanding_members

# Most urgent last; each stage with how long before the deadline its moment falls (None: when assigned).
STAGES: list[tuple[str, dt.timedelta | None]] = [
    (ReminderStage.ASSIGNED, None),
    (ReminderStage.DAYS_7, dt.timedelta(days=7)),
    (ReminderStage.DAYS_3, dt.timedelta(days=3)),
    (ReminderStage.DAYS_1, dt.timedelta(days=1)),
    (ReminderStage.OVERDUE, dt.timedelta(0)),
]
RANK = {stage: i for i, (stage, _lead) in enumerate(STAGES)}


def system_actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "policy reminders")


def stage_due(start: dt.datetime, deadline: dt.datetime, at: dt.datetime) -> str | None:
    """The most urgent stage whose moment has come at ``at`` and did not fall before ``start``."""
    due = None
    for stage, lead in STAGES:
        if lead is None:
            moment = start
        elif stage == ReminderStage.OVERDUE:
            moment = deadline + dt.timedelta(microseconds=1)  # overdue once the deadline has passed
        else:
            moment = deadline - lead
        if moment < start or (lead is not None and moment <= start):
            continue  # its moment came before (or as) the member was first asked
        if moment <= at:
            due = stage
    return due


def _message(version: PolicyVersion, member: Member, stage: str, deadline: dt.datetime) -> tuple[str, str]:
    if stage == ReminderStage.ASSIGNED:
        return asked_message(version, member)
    when = date_format(local(deadline), "Y-m-d H:i")
    names = {"title": version.title_en, "n": version.number, "deadline": when}
    if stage == ReminderStage.OVERDUE:
        title = _("Overdue: acknowledge %(title)s (version %(n)d)") % names
        body = _("Your acknowledgement was due by %(deadline)s (Hong Kong time). Please read it now.") % names
    else:
        title = _("Reminder: acknowledge %(title)s (version %(n)d) by %(deadline)s") % names
        body = _("%(zh)s — your acknowledgement is due by %(deadline)s (Hong Kong time).") % {
            **names,
            "zh": version.title_zh,
        }
    return title, body


@tenant_atomic
def remind_version(actor: SystemActor, version: PolicyVersion, *, at: dt.datetime) -> int:
    """Send what is due for one published version at ``at``; answers how many members were told."""
    version = (
        PolicyVersion.objects.for_tenant(version.tenant_id).select_for_update().get(pk=version.pk)
    )  # one run at a time per version: a concurrent run waits and then finds the stages recorded
    if version.state != VersionState.PUBLISHED:
        return 0
    members = list(outstanding_members(version))
    sent: dict[uuid.UUID, int] = defaultdict(lambda: -1)
    for member_id, stage in (
        PolicyReminder.objects.for_tenant(version.tenant_id)
        .filter(version=version)
        .values_list("member_id", "stage")
    ):
        sent[member_id] = max(sent[member_id], RANK[stage])
    due: list[tuple[Member, str, dt.datetime]] = []
    for member in members:
        joined = member.joined_at
        start, deadline = assigned_at(version, joined), deadline_of(version, joined)
        stage = stage_due(start, deadline, at)
        if stage is not None and RANK[stage] > sent[member.pk]:
            due.append((member, stage, deadline))
    if not due:
        return 0
    PolicyReminder.objects.bulk_create(
        [
            PolicyReminder(tenant_id=version.tenant_id, version=version, member=m, stage=s, sent_at=at)
            for m, s, _d in due
        ]
    )
    tell_each([(m, *_message(version, m, s, d)) for m, s, d in due], url=read_url(version.pk))
    counts: dict[str, int] = defaultdict(int)
    for _m, stage, _d in due:
        counts[stage] += 1
    record(
        actor,
        "policy.reminders_sent",
        target=version,
        stages={str(k): n for k, n in counts.items()},
        members=len(due),
    )
    return len(due)


def remind_company(tenant_id: uuid.UUID, *, at: dt.datetime) -> int:
    """Every published version of one company (each in its own transaction)."""
    actor = system_actor(tenant_id)
    versions = PolicyVersion.objects.for_tenant(tenant_id).filter(state=VersionState.PUBLISHED)
    return sum(remind_version(actor, version, at=at) for version in versions)
