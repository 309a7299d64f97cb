"""Every write about jobs: linking a new run to its company, and retrying a failed run."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.permissions import Actor, require_permission
from harbour.identity.sessions import member_in
from harbour.jobs.models import Job
from harbour.jobs.queries import Viewer, company_of


class EnqueuedRun(Protocol):
    """What the backend answers an enqueue with (``TaskResult``): its id and the task's arguments."""

    @property
    def id(self) -> str: ...

    @property
    def kwargs(self) -> dict[str, Any]: ...


def record_enqueued(task_result: EnqueuedRun) -> Job:
    """Every run the database backend stores gets its ``Job`` row, in the enqueuing transaction. The
    company comes from the task's ``tenant_id`` argument (the convention for company work); a task without
    one is platform-wide. A ``tenant_id`` that is not a company's id refuses the enqueue."""
    tenant_id = task_result.kwargs.get("tenant_id")
    if tenant_id is not None:
        try:
            tenant_id = uuid.UUID(str(tenant_id))
        except ValueError:
            raise Invalid(_("tenant_id must be a company's id"), field="tenant_id") from None
    job, _created = Job.objects.get_or_create(
        result_id=uuid.UUID(str(task_result.id)), defaults={"tenant_id": tenant_id}
    )
    return job


def _acting_member(viewer: Viewer, job: Job) -> Actor | None:
    """Who retries, for the company's operation log: the member working in the job's company, or an
    operator's own membership in a company they operate. Platform-wide runs belong to no company's log;
    their retry is kept on the new run (``retried_by``)."""
    if job.tenant_id is None:
        if not viewer.is_operator:
            raise Forbidden(_("only platform operators retry platform-wide jobs"))
        return None
    actor = viewer.actor
    if actor is None or actor.tenant_id != job.tenant_id:
        actor = member_in(viewer.account, job.tenant_id) if viewer.account is not None else None
        if actor is None:
            raise Forbidden(_("work in the job's company to retry it"))
    require_permission(actor, "jobs.manage", company_of(actor))
    return actor


@contextlib.contextmanager
def _transaction_for(job: Job) -> Iterator[None]:
    """The company's database (its log) and ``default`` (the runs), or ``default`` alone."""
    if job.tenant_id is None:
        with transaction.atomic():
            yield
    else:
        with tenant_transaction(job.tenant_id):
            yield


def retry_job(viewer: Viewer, job: Job) -> Job:
    """Enqueue a failed run again with the same task and arguments, linked to the run it retries. A run is
    retried once; a failed retry can itself be retried. Safe because tasks are idempotent."""
    actor = _acting_member(viewer, job)
    with _transaction_for(job):
        locked = Job.objects.select_for_update().select_related("result").get(pk=job.pk)
        result = locked.result
        if result.status != TaskResultStatus.FAILED:
            raise Conflict(_("only a failed job can be retried"), field="state")
        if Job.objects.filter(retry_of=locked).exists():
            raise Conflict(_("this job has already been retried"), field="state")
        try:
            task = result.task
        except ImportError:
            raise Conflict(_("this job's task no longer exists"), field="task") from None
        args_kwargs = result.args_kwargs
        retried = task.enqueue(*args_kwargs["args"], **args_kwargs["kwargs"])
        new = record_enqueued(retried)
        new.retry_of, new.retried_by = locked, viewer.account
        new.save(update_fields=["retry_of", "retried_by"])
        if actor is not None:
            record(
                actor,
                "job.retried",
                target=locked,
                task=result.task_path,
                retried_as=str(new.pk),
                error=locked.error_summary,
            )
    return new
