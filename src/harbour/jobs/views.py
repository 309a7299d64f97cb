"""Console pages of background jobs: the list with states and errors, one run, and retrying a failed run.

Company administrators see their company's jobs; platform operators also see platform-wide jobs and those
of the companies they operate (with the whole traceback). Everyone else gets a 404."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.errors import HarbourError, Invalid
from harbour.core.models import Account
from harbour.jobs import actions
from harbour.jobs.models import JobState
from harbour.jobs.queries import (
    Viewer,
    filter_by_state,
    get_job_for,
    jobs_visible_to,
    newest_first,
    periodic_run_of,
    retryable,
    sees_any_jobs,
)

PAGE_SIZE = 50


def jobs_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and allowed to see some jobs (else a 404); the view gets the viewer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not isinstance(request.user, Account):
            return redirect_to_login(request.get_full_path())
        viewer = Viewer(account=request.user, actor=getattr(request, "actor", None))
        if not sees_any_jobs(viewer):
            raise Http404
        return view(request, viewer, *args, **kwargs)

    return wrapper


def _shown(value: Any) -> str:
    """An argument as JSON text (so a list reads as a list, a string without Python's quotes)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@jobs_page
def job_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    state = request.GET.get("state") or None
    if state not in (None, *JobState.values):
        state = None
    qs = filter_by_state(jobs_visible_to(viewer), state)
    cursor = request.GET.get("cursor") or None
    try:
        page = newest_first(qs, cursor, PAGE_SIZE)
    except Invalid:  # a damaged cursor starts again from the first page
        page, cursor = newest_first(qs, None, PAGE_SIZE), None
    context = {
        "jobs": page.items,
        "retryable": retryable(viewer, page.items),
        "states": JobState.choices,
        "state": state or "",
        "next_cursor": page.next_cursor,
        "is_later_page": bool(cursor),
        "is_operator": viewer.is_operator,
    }
    return render(request, "jobs/jobs.html", context)


@jobs_page
def job_detail(request: HttpRequest, viewer: Viewer, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for(viewer, job_id)
    context = {
        "job": job,
        "may_retry": job.pk in retryable(viewer, [job]),
        "periodic": periodic_run_of(job),
        "arguments": {
            "args": [_shown(v) for v in job.result.args_kwargs.get("args", [])],
            "kwargs": {k: _shown(v) for k, v in sorted(job.result.args_kwargs.get("kwargs", {}).items())},
        },
        "is_operator": viewer.is_operator,
    }
    return render(request, "jobs/job.html", context)


@require_POST
@jobs_page
def job_retry(request: HttpRequest, viewer: Viewer, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for(viewer, job_id)
    try:
        new = actions.retry_job(viewer, job)
    except HarbourError as exc:
        messages.error(request, exc.message)
        return redirect("jobs:job", job_id=job.pk)
    messages.success(request, _("The job is queued again; this is the new run."))
    return redirect("jobs:job", job_id=new.pk)
