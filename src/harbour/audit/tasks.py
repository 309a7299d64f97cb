"""Nightly keeping of every company's operation log (scheduled in ``harbour.jobs.schedule``).

Both tasks may run twice or be killed part-way: a checkpoint is only written when the chain moved, and the
purge works in committed batches that each leave a verifiable log.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from harbour.audit.retention import companies_with_a_log, purge_expired, write_checkpoint


@task(queue_name="maintenance")
def purge_expired_entries() -> dict[str, Any]:
    """Remove entries past each company's retention (companies on legal hold keep everything)."""
    removed, held = 0, 0
    companies = companies_with_a_log()
    for tenant_id in companies:
        report = purge_expired(tenant_id)
        removed += report.removed
        held += report.held
    return {"companies": len(companies), "removed": removed, "on_legal_hold": held}


@task(queue_name="maintenance")
def write_daily_checkpoints() -> dict[str, Any]:
    """Record where each company's chain stands, so later tampering with covered entries shows."""
    written = sum(write_checkpoint(tenant_id) is not None for tenant_id in companies_with_a_log())
    return {"checkpoints": written}
