"""What Harbour knows about background jobs beyond the task backend's own row (``DBTaskResult``): the
company a run belongs to, the run it retried, and which periodic slot has already been enqueued.

All of it lives in the registry (``default``) database, beside the task results."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class JobState(models.TextChoices):
    """The four states people see, named after what happened rather than the backend's words."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


STATE_OF_STATUS = {
    TaskResultStatus.READY: JobState.QUEUED,
    TaskResultStatus.RUNNING: JobState.RUNNING,
    TaskResultStatus.SUCCESSFUL: JobState.SUCCEEDED,
    TaskResultStatus.FAILED: JobState.FAILED,
}
STATUS_OF_STATE = {state: status for status, state in STATE_OF_STATUS.items()}


def error_summary(traceback: str) -> str:
    """The last line of a traceback ("ValueError: no such plan"): what went wrong, without the server's
    code paths."""
    lines = [line.strip() for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else ""


class Job(models.Model):
    """One run of a task. ``tenant`` is the company it works for (from the task's ``tenant_id`` argument);
    none means platform-wide (renewals, purges across companies), which only platform operators see."""

    result = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="job", verbose_name=_("run")
    )
    tenant = models.ForeignKey(
        "core.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    retry_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retried_as"
    )
    retried_by = models.ForeignKey(
        "core.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "-created_at"], name="jobs_job_tenant_recent")]

    def __str__(self) -> str:
        return self.task_name

    @property
    def task_name(self) -> str:
        """The task's module path (stable, unlike a display name): ``harbour.plans.tasks.renew_…``."""
        return str(self.result.task_path)

    @property
    def state(self) -> JobState:
        return STATE_OF_STATUS[TaskResultStatus(self.result.status)]

    @property
    def short_name(self) -> str:
        return self.task_name.rsplit(".", 1)[-1]

    @property
    def error_summary(self) -> str:
        return error_summary(str(self.result.traceback or ""))


class PeriodicRun(models.Model):
    """A periodic job's slot that has been enqueued. The unique (name, slot) pair is what makes several
    schedulers, in several worker processes on several hosts, enqueue each slot exactly once."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text=_("The scheduled time this run stands for."))
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobs_one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot.isoformat()}"
