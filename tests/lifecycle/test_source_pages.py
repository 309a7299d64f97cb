"""The pages and API around HR sources: webhooks (secret shown once, rotated, switched off), reconciliation
(disputed records decided in the console and over the API), role rules (added, refused, removed)."""

from __future__ import annotations

from django.test import Client

from harbour.lifecycle import actions as lifecycle
from harbour.lifecycle.models import HrWebhook, RoleRule, SourceLink, SyncItem
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def _admin(company: Company) -> Client:
    client = Client()
    assert company.admin is not None
    client.force_login(company.admin.account)
    return client


def _disputed(company: Company) -> SyncItem:
    assert company.manager is not None and company.outsider is not None
    data = (
        f"employee number,email,name\n{company.manager.employee_number},{company.outsider.email},Two Ways\n"
    )
    run = lifecycle.apply_run(
        company.admin, lifecycle.plan_file_import(company.admin, data.encode(), "hr.csv")
    )
    return SyncItem.objects.for_tenant(company.tenant).get(run=run, kind="disputed")


def test_a_webhook_is_made_its_secret_shown_once_rotated_and_switched_off(company: Company) -> None:
    client = _admin(company)
    page = client.post("/lifecycle/webhooks/", follow=True).content.decode()
    webhook = HrWebhook.objects.for_tenant(company.tenant).get()
    assert webhook.secret in page and f"/hooks/hr/{webhook.pk}/" in page
    assert webhook.secret not in client.get("/lifecycle/sources/").content.decode()  # once
    client.post(f"/lifecycle/webhooks/{webhook.pk}/", {"do": "rotate"})
    old = webhook.secret
    webhook.refresh_from_db()
    assert webhook.secret != old
    client.post(f"/lifecycle/webhooks/{webhook.pk}/", {"do": "disable"})
    webhook.refresh_from_db()
    assert webhook.enabled is False
    refused = Client().post(f"/hooks/hr/{webhook.pk}/", b"{}", content_type="application/json")
    assert refused.status_code == 404


def test_a_disputed_record_is_decided_in_the_console(company: Company) -> None:
    item = _disputed(company)
    client = _admin(company)
    page = client.get("/lifecycle/reconciliation/").content.decode()
    assert "Waiting for a decision" in page and "Two Ways" in page and company.outsider.email in page
    assert "Fiona Finance" in page  # the candidates are named
    client.post(
        f"/lifecycle/imports/{item.run_id}/items/{item.pk}/decide/", {"member": str(company.outsider.pk)}
    )
    item.refresh_from_db()
    assert item.outcome == "applied" and item.member_id == company.outsider.pk
    assert "Nothing is waiting." in client.get("/lifecycle/reconciliation/").content.decode()
    run_page = client.get(f"/lifecycle/imports/{item.run_id}/").content.decode()
    assert "disputed" in run_page and "Reconciliation" in run_page


def test_a_disputed_record_is_decided_over_the_api(company: Company, admin_api: ApiClient) -> None:
    item = _disputed(company)
    detail = body(admin_api.get(f"/lifecycle/imports/{item.run_id}"))
    disputed = next(i for i in detail["items"] if i["kind"] == "disputed")
    assert disputed["situation"] == "disputed" and len(disputed["candidates"]) == 2
    assert_problem(
        admin_api.post(
            f"/lifecycle/imports/{item.run_id}/items/{item.pk}/decide",
            {"member_id": str(company.admin.pk)},
        ),
        422,
        "member_id",
    )
    decided = body(
        admin_api.post(f"/lifecycle/imports/{item.run_id}/items/{item.pk}/decide", {"member_id": None})
    )
    assert decided["outcome"] == "skipped"
    links = body(admin_api.get("/lifecycle/links", source="file"))
    assert links["counts"]["unmatched"] == 1
    assert_problem(admin_api.get("/lifecycle/links", situation="lost"), 422, "situation")
    link = SourceLink.objects.for_tenant(company.tenant).get(external_id=company.manager.employee_number)
    assert link.decided_by == company.admin


def test_role_rules_in_the_console_and_the_api(company: Company, admin_api: ApiClient) -> None:
    client = _admin(company)
    refused = client.post("/lifecycle/rules/", {"role": str(company.role("administrator").pk)})
    assert (
        refused.status_code == 400
        and "a rule names a department, a title, or both" in refused.content.decode()
    )
    assert not RoleRule.objects.for_tenant(company.tenant).exists()
    finance = company.departments["finance"]
    client.post(
        "/lifecycle/rules/",
        {
            "role": str(company.role("department_manager").pk),
            "department": str(finance.pk),
            "title_contains": "Head",
        },
    )
    rule = RoleRule.objects.for_tenant(company.tenant).get()
    assert "Head" in client.get("/lifecycle/rules/").content.decode()
    listed = body(admin_api.get("/lifecycle/rules"))
    assert [r["id"] for r in listed] == [str(rule.pk)]
    made = admin_api.post(
        "/lifecycle/rules", {"role_id": str(company.role("administrator").pk), "title_contains": "CEO"}
    )
    assert made.status_code == 201
    assert_problem(
        admin_api.post("/lifecycle/rules", {"role_id": str(finance.pk), "title_contains": "x"}),
        404,
        "role_id",
    )
    assert admin_api.delete(f"/lifecycle/rules/{rule.pk}").status_code == 204
    client.post(f"/lifecycle/rules/{body(made)['id']}/delete/")
    assert not RoleRule.objects.for_tenant(company.tenant).exists()


def test_webhooks_over_the_api(company: Company, admin_api: ApiClient) -> None:
    made = body(admin_api.post("/lifecycle/webhooks"))
    assert made["secret"] and made["address"].endswith(f"/hooks/hr/{made['id']}/")
    assert [w["secret"] for w in body(admin_api.get("/lifecycle/webhooks"))] == [None]
    rotated = body(admin_api.post(f"/lifecycle/webhooks/{made['id']}/rotate"))
    assert rotated["secret"] and rotated["secret"] != made["secret"]
    assert body(admin_api.patch(f"/lifecycle/webhooks/{made['id']}", {"enabled": False}))["enabled"] is False


def test_a_decision_naming_no_account_id_changes_nothing(company: Company) -> None:
    item = _disputed(company)
    page = _admin(company).post(
        f"/lifecycle/imports/{item.run_id}/items/{item.pk}/decide/", {"member": "not-an-id"}, follow=True
    )
    assert page.status_code == 200 and "Choose one of the accounts" in page.content.decode()
    item.refresh_from_db()
    assert item.outcome == "waiting"
