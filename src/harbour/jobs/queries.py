"""Reads of background jobs: who sees which runs, the one gate for a run, and newest-first pages.

A company's administrator (``jobs.view``) sees the runs whose ``tenant_id`` argument is their company.
A platform operator also sees platform-wide runs and those of the companies they operate — never those
of a company another operator runs."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from harbour.core.errors import Invalid, NotFound
from harbour.core.models import Account, Tenant
from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.core.permissions import Actor, can
from harbour.jobs.models import STATUS_OF_STATE, Job, JobState, PeriodicRun


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the login (an operator or not) and the member it acts as, if any (an operator may
    have no company of their own)."""

    account: Account | None
    actor: Actor | None

    @property
    def is_operator(self) -> bool:
        return bool(self.account is not None and self.account.is_operator)


def company_of(actor: Actor) -> Tenant:
    tenant = getattr(actor, "tenant", None)
    return tenant if isinstance(tenant, Tenant) else Tenant.objects.get(pk=actor.tenant_id)


def may(viewer: Viewer, code: str) -> bool:
    """Holds ``code`` (``jobs.view``/``jobs.manage``) in the company the viewer is working in."""
    return viewer.actor is not None and can(viewer.actor, code, company_of(viewer.actor))


def sees_any_jobs(viewer: Viewer) -> bool:
    return viewer.is_operator or may(viewer, "jobs.view")


def jobs_visible_to(viewer: Viewer) -> QuerySet[Job]:
    condition = Q()
    if may(viewer, "jobs.view"):
        assert viewer.actor is not None
        condition |= Q(tenant_id=viewer.actor.tenant_id)
    if viewer.is_operator:
        condition |= Q(tenant__isnull=True) | Q(tenant__operator=viewer.account)
    if not condition:
        return Job.objects.none()
    return Job.objects.filter(condition).select_related("result", "tenant", "retried_as", "retried_by")


def get_job_for(viewer: Viewer, job_id: uuid.UUID | str) -> Job:
    """A run the viewer may see; a missing one and another company's both answer "not found"."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound(_("no such job"), field="job_id") from None
    job = jobs_visible_to(viewer).filter(pk=key).first()
    if job is None:
        raise NotFound(_("no such job"), field="job_id")
    return job


def retryable(viewer: Viewer, jobs: list[Job]) -> set[uuid.UUID]:
    """Which of these runs the viewer may retry: failed, not yet retried, and in a company where the
    viewer holds ``jobs.manage`` (an operator: platform-wide runs and the companies they operate, where the
    retry action checks their membership)."""
    manages_own = may(viewer, "jobs.manage")
    found: set[uuid.UUID] = set()
    for job in jobs:
        if job.state != JobState.FAILED or getattr(job, "retried_as", None) is not None:
            continue
        if job.tenant_id is None:
            allowed = viewer.is_operator
        elif viewer.actor is not None and job.tenant_id == viewer.actor.tenant_id:
            allowed = manages_own
        else:
            operator_id = job.tenant.operator_id if job.tenant is not None else None
            allowed = viewer.is_operator and viewer.account is not None and operator_id == viewer.account.pk
        if allowed:
            found.add(job.pk)
    return found


def filter_by_state(qs: QuerySet[Job], state: str | None) -> QuerySet[Job]:
    if not state:
        return qs
    if state not in JobState.values:
        raise Invalid(_("state is one of %(states)s") % {"states": ", ".join(JobState.values)}, field="state")
    return qs.filter(result__status=STATUS_OF_STATE[JobState(state)])


def periodic_run_of(job: Job) -> PeriodicRun | None:
    """The schedule slot a run was enqueued for, if the scheduler enqueued it."""
    return PeriodicRun.objects.filter(task_result_id=str(job.pk)).first()


# ------------------------------------------------------------------------------------- newest-first pages
@dataclass
class JobPage:
    items: list[Job]
    next_cursor: str | None


def _cursor(job: Job) -> str:
    raw = json.dumps([job.created_at.isoformat(), str(job.pk)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        created, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when = parse_datetime(created)
        if when is None:
            raise ValueError(created)
        return when, uuid.UUID(key)
    except Exception as exc:  # any malformed cursor is the caller's mistake
        raise Invalid(_("the cursor is not one this API issued"), field="cursor") from exc


def newest_first(qs: QuerySet[Job], cursor: str | None, limit: int) -> JobPage:
    """Keyset page by (created_at, id) descending: the latest runs first, constant cost at any depth."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(_("limit must be between 1 and %(max)d") % {"max": MAX_PAGE_SIZE}, field="limit")
    qs = qs.order_by("-created_at", "-pk")
    if cursor:
        when, key = _after(cursor)
        qs = qs.filter(Q(created_at__lte=when), Q(created_at__lt=when) | Q(created_at=when, pk__lt=key))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return JobPage(rows, _cursor(rows[-1]) if more and rows else None)
