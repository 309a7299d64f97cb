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


def test_the_api_plans_reads_and_applies(company: Company, admin_api) -> None:  # type: ignore[no-untyped-def]
    from tests.api.helpers import assert_problem, body

    upload = SimpleUploadedFile(
        "hr.csv", b"employee number,email,name\nE-5,api.joiner@acme.com.hk,Api Joiner\nE-6,,No Mail\n"
    )
    planned = admin_api.post("/lifecycle/imports", {"file": upload})
    assert planned.status_code == 201
    run = body(planned)
    assert run["state"] == "planned" and run["counts"]["create"] == 1 and run["counts"]["unmatched"] == 1
    assert (
        body(admin_api.get(f"/lifecycle/imports/{run['id']}"))["items"][0]["label"]
        == "api.joiner@acme.com.hk"
    )
    assert admin_api.post(f"/lifecycle/imports/{run['id']}/apply").status_code == 202
    bad = admin_api.post("/lifecycle/imports", {"file": SimpleUploadedFile("x.csv", b"colour\nred\n")})
    assert_problem(bad, 422, "file")
    bad_mapping = admin_api.post(
        "/lifecycle/imports", {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n"), "mapping": "not json"}
    )
    assert_problem(bad_mapping, 422, "mapping")
