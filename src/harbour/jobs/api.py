"""REST API v1 of background jobs: list, one run, and retrying a failed run."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from harbour.core.errors import Forbidden
from harbour.jobs import actions
from harbour.jobs.queries import (
    Viewer,
    filter_by_state,
    get_job_for,
    jobs_visible_to,
    newest_first,
    sees_any_jobs,
)
from harbour.jobs.schemas import JobFilters, JobOut, JobPageOut

router = Router(tags=["jobs"])


def _viewer(request: HttpRequest) -> Viewer:
    actor = request.actor  # type: ignore[attr-defined]
    return Viewer(account=getattr(actor, "account", None), actor=actor)


@router.get("/jobs", response=JobPageOut, summary="Background jobs the caller may see, newest first")
def list_jobs(request: HttpRequest, filters: Query[JobFilters]) -> JobPageOut:
    viewer = _viewer(request)
    if not sees_any_jobs(viewer):
        raise Forbidden(_("you do not have the permission to see background jobs"))
    qs = filter_by_state(jobs_visible_to(viewer), filters.state)
    page = newest_first(qs, filters.cursor, filters.limit)
    items = [JobOut.of(job, with_traceback=viewer.is_operator) for job in page.items]
    return JobPageOut(items=items, next_cursor=page.next_cursor)


@router.get("/jobs/{job_id}", response=JobOut, summary="One background job, with its error if it failed")
def get_job(request: HttpRequest, job_id: uuid.UUID) -> JobOut:
    viewer = _viewer(request)
    return JobOut.of(get_job_for(viewer, job_id), with_traceback=viewer.is_operator)


@router.post(
    "/jobs/{job_id}/retry",
    response={201: JobOut},
    summary="Run a failed job again (same task and arguments); answers the new run",
)
def retry_job(request: HttpRequest, job_id: uuid.UUID) -> JobOut:
    viewer = _viewer(request)
    new = actions.retry_job(viewer, get_job_for(viewer, job_id))
    return JobOut.of(get_job_for(viewer, new.pk), with_traceback=viewer.is_operator)
