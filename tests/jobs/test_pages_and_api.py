"""The jobs page and API as people use them: a company administrator sees and retries their company's
jobs only; a platform operator also sees platform-wide jobs and those of the companies they operate."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks import TaskResultStatus

from harbour.audit.models import AuditEvent
from harbour.core.models import Account
from harbour.jobs.models import Job, JobState
from harbour.jobs.worker import run_until_idle
from tests.api.helpers import anonymous, api_as, assert_problem, body
from tests.factories import Company
from tests.jobs.helpers import failed_job, signed_in
from tests.jobs.tasks import FIXED, add

pytestmark = pytest.mark.django_db


def _operate(company: Company) -> Account:
    """Make the company's administrator a platform operator running it."""
    assert company.admin is not None and company.admin.account is not None
    account = company.admin.account
    account.is_operator = True
    account.save(update_fields=["is_operator"])
    company.tenant.operator = account
    company.tenant.save(update_fields=["operator"])
    return account


# ------------------------------------------------------------------------------------------------- console
def test_admin_sees_the_failed_job_with_its_error_and_retries_it(company: Company) -> None:
    job = failed_job(company.tenant, key="payroll-export")
    client = signed_in(company.admin)

    listing = client.get("/jobs/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "fail_until_fixed" in html and "Failed" in html
    assert "RuntimeError: the upstream service is down (payroll-export)" in html
    assert f"/jobs/{job.pk}/retry/" in html
    assert "Traceback" not in client.get(f"/jobs/{job.pk}/").content.decode()  # operators only

    FIXED.add("payroll-export")
    retried = client.post(f"/jobs/{job.pk}/retry/")
    new = Job.objects.get(retry_of=job)
    assert retried.status_code == 302 and retried["Location"] == f"/jobs/{new.pk}/"
    assert new.tenant_id == company.tenant.pk and new.state == JobState.QUEUED
    assert new.retried_by == company.admin.account  # type: ignore[union-attr]
    assert new.result.args_kwargs == job.result.args_kwargs
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="job.retried")
    assert event.actor_id == company.admin.pk  # type: ignore[union-attr]
    assert event.target_id == str(job.pk) and event.data["retried_as"] == str(new.pk)

    page = client.get(f"/jobs/{new.pk}/").content.decode()
    assert "Retry of" in page and f"/jobs/{job.pk}/" in page and "Queued" in page
    assert run_until_idle() == 1
    new.result.refresh_from_db()
    assert new.result.status == TaskResultStatus.SUCCESSFUL
    old_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Retried as" in old_page and f"/jobs/{new.pk}/" in old_page and "Succeeded" in old_page
    assert f"/jobs/{job.pk}/retry/" not in client.get("/jobs/").content.decode()  # retried once


def test_a_run_is_retried_once_and_only_when_it_failed(company: Company) -> None:
    job = failed_job(company.tenant)
    client = signed_in(company.admin)
    client.post(f"/jobs/{job.pk}/retry/")
    again = client.post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "already been retried" in again.content.decode()
    assert Job.objects.filter(retry_of=job).count() == 1

    ok = add.enqueue(1, 2, tenant_id=str(company.tenant.pk))
    run_until_idle()
    refused = client.post(f"/jobs/{ok.id}/retry/", follow=True)
    assert "only a failed job can be retried" in refused.content.decode()
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="job.retried").count() == 1


def test_company_admin_sees_only_their_company_jobs(company: Company, other_company: Company) -> None:
    mine = failed_job(company.tenant, key="mine")
    theirs = failed_job(other_company.tenant, key="theirs")
    platform = failed_job(None, key="platform")
    client = signed_in(company.admin)
    html = client.get("/jobs/").content.decode()
    assert str(mine.pk) in html
    assert str(theirs.pk) not in html and str(platform.pk) not in html
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 404
    assert client.get(f"/jobs/{platform.pk}/").status_code == 404
    assert client.post(f"/jobs/{theirs.pk}/retry/").status_code == 404
    assert not Job.objects.filter(retry_of=theirs).exists()


def test_members_without_the_permission_and_anonymous_visitors_get_nothing(company: Company) -> None:
    job = failed_job(company.tenant)
    member = signed_in(company.member)
    assert member.get("/jobs/").status_code == 404
    assert member.get(f"/jobs/{job.pk}/").status_code == 404
    assert "/jobs/" not in member.get("/").content.decode()  # no Jobs in the navigation
    anonymous_page = Client().get("/jobs/")
    assert anonymous_page.status_code == 302 and "/login/" in anonymous_page["Location"]


def test_operator_sees_platform_and_operated_jobs_not_another_operators(
    company: Company, other_company: Company
) -> None:
    _operate(company)
    _operate(other_company)
    mine = failed_job(company.tenant, key="mine")
    theirs = failed_job(other_company.tenant, key="theirs")
    platform = failed_job(None, key="platform")
    client = signed_in(company.admin)
    html = client.get("/jobs/").content.decode()
    assert str(mine.pk) in html and str(platform.pk) in html and "Platform-wide" in html
    assert str(theirs.pk) not in html
    detail = client.get(f"/jobs/{platform.pk}/").content.decode()
    assert "Traceback" in detail and "RuntimeError" in detail
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 404

    FIXED.add("platform")
    assert client.post(f"/jobs/{platform.pk}/retry/").status_code == 302
    new = Job.objects.get(retry_of=platform)
    assert new.tenant_id is None
    assert not AuditEvent.objects.across_tenants().filter(kind="job.retried").exists()  # no company's log


def test_operator_without_a_company_of_their_own_sees_platform_jobs(company: Company) -> None:
    platform = failed_job(None)
    operator = Account.objects.create_user(
        "ops@reseller.hk", "correct-horse-battery-staple", is_operator=True
    )
    client = Client()
    client.force_login(operator)
    html = client.get("/jobs/").content.decode()
    assert str(platform.pk) in html and 'href="/jobs/"' in html


def test_state_filter_and_pages_newest_first(company: Company) -> None:
    first = add.enqueue(1, 1, tenant_id=str(company.tenant.pk))
    failed = failed_job(company.tenant)
    client = signed_in(company.admin)
    only_failed = client.get("/jobs/", {"state": "failed"}).content.decode()
    assert str(failed.pk) in only_failed and str(first.id) not in only_failed
    html = client.get("/jobs/").content.decode()
    assert html.index(str(failed.pk)) < html.index(str(first.id))


def test_list_page_costs_the_same_for_many_jobs(company: Company, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        failed_job(company.tenant, key=f"k{n}")
    client = signed_in(company.admin)
    client.get("/jobs/")
    with django_assert_max_num_queries(14):
        assert client.get("/jobs/").status_code == 200


# ----------------------------------------------------------------------------------------------------- API
def test_api_lists_gets_and_retries(company: Company, other_company: Company) -> None:
    assert company.admin is not None and other_company.admin is not None
    job = failed_job(company.tenant, key="api")
    api = api_as(company.admin)

    listing = body(api.get("/jobs"))
    assert [item["id"] for item in listing["items"]] == [str(job.pk)]
    item = listing["items"][0]
    assert item["state"] == "failed" and item["company_id"] == str(company.tenant.pk)
    assert item["error"] == "RuntimeError: the upstream service is down (api)"
    assert item["traceback"] is None and item["kwargs"]["key"] == "api"
    assert body(api.get("/jobs", state="succeeded"))["items"] == []
    assert_problem(api.get("/jobs", state="exploded"), 422)

    FIXED.add("api")
    created = api.post(f"/jobs/{job.pk}/retry")
    assert created.status_code == 201
    new = body(created)
    assert new["retry_of"] == str(job.pk) and new["state"] == "queued"
    assert body(api.get(f"/jobs/{job.pk}"))["retried_as"] == new["id"]
    assert_problem(api.post(f"/jobs/{job.pk}/retry"), 409, field="state")

    other = api_as(other_company.admin)
    assert_problem(other.get(f"/jobs/{job.pk}"), 404)
    assert_problem(other.post(f"/jobs/{new['id']}/retry"), 404)
    assert body(other.get("/jobs"))["items"] == []
    assert_problem(anonymous().get("/jobs"), 401)


def test_api_pages_with_a_cursor(company: Company) -> None:
    assert company.admin is not None
    ids = [add.enqueue(n, n, tenant_id=str(company.tenant.pk)).id for n in range(5)]
    api = api_as(company.admin)
    seen: list[str] = []
    cursor = None
    while True:
        page = body(api.get("/jobs", limit=2, cursor=cursor))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5 and set(seen) == set(ids)
    assert seen[0] == ids[-1]  # newest first
    assert_problem(api.get("/jobs", cursor="not-a-cursor"), 422, field="cursor")
