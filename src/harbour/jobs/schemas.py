"""API shapes of background jobs. Times are UTC."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.jobs.models import Job, JobState


class JobFilters(Schema):
    state: JobState | None = None
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class JobOut(Schema):
    id: uuid.UUID
    task: str = Field(description="the task's module path")
    state: JobState
    queue: str
    company_id: uuid.UUID | None = Field(description="null for a platform-wide job")
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    args: list[Any]
    kwargs: dict[str, Any]
    error: str | None = Field(description="the last line of the traceback of a failed job")
    traceback: str | None = Field(description="the whole traceback (platform operators only)")
    retry_of: uuid.UUID | None
    retried_as: uuid.UUID | None
    retried_by: str | None

    @classmethod
    def of(cls, job: Job, *, with_traceback: bool = False) -> JobOut:
        result = job.result
        failed = job.state == JobState.FAILED
        retried_as = getattr(job, "retried_as", None)
        return cls(
            id=job.pk,
            task=job.task_name,
            state=job.state,
            queue=result.queue_name,
            company_id=job.tenant_id,
            enqueued_at=result.enqueued_at,
            started_at=result.started_at,
            finished_at=result.finished_at,
            attempts=len(result.worker_ids or []),
            args=result.args_kwargs.get("args", []),
            kwargs=result.args_kwargs.get("kwargs", {}),
            error=job.error_summary if failed else None,
            traceback=result.traceback if failed and with_traceback else None,
            retry_of=job.retry_of_id,
            retried_as=retried_as.pk if retried_as is not None else None,
            retried_by=job.retried_by.email if job.retried_by is not None else None,
        )


class JobPageOut(Schema):
    items: list[JobOut]
    next_cursor: str | None
