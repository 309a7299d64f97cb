"""Give every run stored by the database backend its ``Job`` row, whoever enqueued it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tasks import TaskResult
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend

from harbour.jobs.actions import record_enqueued


@receiver(task_enqueued)
def link_run_to_company(sender: type[Any], task_result: TaskResult[Any], **_: Any) -> None:
    if isinstance(sender, type) and issubclass(sender, DatabaseBackend):
        record_enqueued(task_result)
