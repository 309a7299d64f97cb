"""Background tasks of plans: idempotent, they call the actions and may run twice."""

from __future__ import annotations

from django_tasks import task

from harbour.plans.actions import renew_due_subscriptions


@task(queue_name="maintenance")
def renew_due_subscriptions_task() -> int:
    """Roll over every subscription whose period ended (daily, from the periodic schedule). A second run
    on the same day finds nothing due and renews nothing. Returns how many were renewed."""
    return renew_due_subscriptions()
