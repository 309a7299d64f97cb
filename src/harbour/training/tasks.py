"""Background tasks of security training: idempotent, one company at a time."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from harbour.core.errors import HarbourError
from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.core.time import today_in_hong_kong
from harbour.training.actions import open_quarter_session
from harbour.training.models import Programme

log = logging.getLogger(__name__)


def system_actor(tenant_id: Any) -> SystemActor:
    return SystemActor(tenant_id, "training schedule")


def open_due_sessions(*, today: Any = None) -> dict[str, int]:
    """Each active programme's session for the current quarter (Hong Kong time), where it is missing."""
    today = today or today_in_hong_kong()
    rows = [
        row
        for qs in Programme.objects.in_every_database()
        for row in qs.filter(active=True).only("tenant_id")
    ]
    opened = 0
    for programme in home_rows(rows):
        try:
            if open_quarter_session(system_actor(programme.tenant_id), programme, today=today) is not None:
                opened += 1
        except HarbourError as exc:
            log.warning("training session of programme %s not opened: %s", programme.pk, exc.message)
    return {"programmes": len(rows), "opened": opened}


@task(queue_name="maintenance")
def open_quarterly_training_task() -> dict[str, int]:
    """Daily: opens the quarter's session of each programme once; after downtime the next run catches up,
    and a second run in the same quarter opens nothing."""
    return open_due_sessions()
