"""The HR import pages: upload and plan, read the changes, apply in the background, read the outcome."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from harbour.directory.models import Member
from harbour.jobs.models import Job
from harbour.lifecycle.models import SyncRun
from harbour.lifecycle.tasks import apply_import_task
from tests.factories import Company


def _admin(company: Company) -> Client:
    client = Client()
    client.force_login(company.admin.account)
    return client


def test_upload_plan_apply_and_report(company: Company, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = _admin(company)
    upload = SimpleUploadedFile(
        "hr.csv", b"employee number,email,name,department\nE-1,page.joiner@acme.com.hk,Page Joiner,Finance\n"
    )
    planned = client.post("/lifecycle/imports/", {"file": upload}, follow=True)
    assert (
        planned.status_code == 200 and b"Page Joiner" not in planned.content
    ) or b"page.joiner" in planned.content
    run = SyncRun.objects.for_tenant(company.tenant).get()
    assert run.counts["create"] == 1
    assert not Member.objects.for_tenant(company.tenant).filter(email="page.joiner@acme.com.hk").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/lifecycle/imports/{run.pk}/apply/")
    job = Job.objects.get(tenant=company.tenant)  # queued for the worker, linked to the company
    assert job.result.task_path.endswith("apply_import_task")
    apply_import_task.call(
        tenant_id=str(company.tenant.pk), run_id=str(run.pk), member_id=str(company.admin.pk)
    )
    report = client.get(f"/lifecycle/imports/{run.pk}/").content.decode()
    assert "Applied" in report and "page.joiner@acme.com.hk" in report
    assert Member.objects.for_tenant(company.tenant).filter(email="page.joiner@acme.com.hk").exists()


def test_a_bad_file_is_shown_with_its_rows(company: Company) -> None:
    upload = SimpleUploadedFile("hr.csv", b"employee number,email,name\nE-1,x@gmail.com,X\n")
    refused = _admin(company).post("/lifecycle/imports/", {"file": upload})
    assert refused.status_code == 400 and b"row 2 (email)" in refused.content
    assert not SyncRun.objects.for_tenant(company.tenant).exists()
