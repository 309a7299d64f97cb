"""Making jobs the way the product does: enqueue through the database backend, run the worker loop."""

from __future__ import annotations

import uuid

from django.test import Client

from harbour.core.models import Tenant
from harbour.directory.models import Member
from harbour.jobs.models import Job
from harbour.jobs.worker import run_until_idle
from tests.jobs.tasks import fail_until_fixed


def failed_job(tenant: Tenant | None, key: str | None = None) -> Job:
    """A run of ``tenant`` (None: platform-wide) that failed in the worker."""
    key = key or uuid.uuid4().hex
    kwargs = {"key": key} if tenant is None else {"tenant_id": str(tenant.pk), "key": key}
    result = fail_until_fixed.enqueue(**kwargs)
    run_until_idle()
    job = Job.objects.select_related("result").get(pk=result.id)
    assert job.state == "failed", job.state
    return job


def signed_in(member: Member | None) -> Client:
    assert member is not None and member.account is not None
    client = Client()
    client.force_login(member.account)
    return client
