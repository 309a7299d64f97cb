"""Reading the operation log as a compliance officer does: filters, paging, the plan's window, exports that
stream, verification, and the retention settings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import orjson
from django.test import Client

from harbour.audit import actions as audit_actions
from harbour.audit.models import AuditEvent, AuditPolicy
from harbour.core.time import now
from harbour.directory import actions
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company, subscribe


def _kinds(page: dict[str, Any]) -> list[str]:
    return [e["kind"] for e in page["items"]]


def test_search_by_person_department_kind_and_day(company: Company, admin_api: ApiClient) -> None:
    assert company.admin is not None and company.member is not None and company.outsider is not None
    actions.suspend_member(company.admin, company.member, reason="lost laptop")
    actions.suspend_member(company.admin, company.outsider, reason="on leave")

    about_gary = body(admin_api.get("/audit/events", person_id=str(company.member.id)))
    assert "member.suspended" in _kinds(about_gary)
    assert all(
        e["subject_id"] == str(company.member.id) or e["actor_id"] == str(company.member.id)
        for e in about_gary["items"]
    )
    finance = str(company.departments["finance"].id)  # Gary sits in Accounts Payable, under Finance
    in_finance = body(admin_api.get("/audit/events", department_id=finance, kind="member.suspended"))
    assert [e["target_label"].split(" <")[0] for e in in_finance["items"]] == ["Gary General"]
    family = body(admin_api.get("/audit/events", kind="member."))
    assert family["items"] and all(k.startswith("member.") for k in _kinds(family))
    today = dt.date.today().isoformat()
    assert body(admin_api.get("/audit/events", since=today, until=today))["items"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert body(admin_api.get("/audit/events", since=tomorrow))["items"] == []


def test_bad_filters_name_the_field(company: Company, admin_api: ApiClient, other_company: Company) -> None:
    assert other_company.admin is not None
    assert_problem(admin_api.get("/audit/events", kind="member.teleported"), 422, "kind")
    assert_problem(admin_api.get("/audit/events", person_id=str(other_company.admin.id)), 404, "person_id")
    other_department = str(other_company.departments["hr"].id)
    assert_problem(admin_api.get("/audit/events", department_id=other_department), 404, "department_id")
    assert_problem(admin_api.get("/audit/events", since="2026-05-02", until="2026-05-01"), 422, "since")
    assert_problem(admin_api.get("/audit/events", cursor="abc"), 422, "cursor")


def test_pages_walk_back_through_the_log(company: Company, admin_api: ApiClient) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        page = body(admin_api.get("/audit/events", limit=5, cursor=cursor))
        seen += [e["seq"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == AuditEvent.objects.for_tenant(company.tenant).count()


def test_lower_plans_show_the_last_week(company: Company, monkeypatch: Any) -> None:
    assert company.admin is not None and company.admin.account is not None and company.member is not None
    monkeypatch.setattr(audit_actions, "now", lambda: now() - dt.timedelta(days=10))
    actions.suspend_member(company.admin, company.member, reason="ten days ago")
    monkeypatch.undo()
    client = Client()
    client.force_login(company.admin.account)
    full = client.get("/log/", {"kind": "member.suspended"}).content.decode()
    assert "Gary General" in full and "last 7 days" not in full
    subscribe(company.tenant, "basic")  # no operation-log audit: a week is shown, everything is kept
    week = client.get("/log/", {"kind": "member.suspended"}).content.decode()
    assert "last 7 days" in week and "Gary General" not in week
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="member.suspended").exists()


def test_exports_stream_every_matching_entry(company: Company, admin_api: ApiClient) -> None:
    for n in range(30):
        actions.create_department(company.system, name=f"Team {n}")
    expected = AuditEvent.objects.for_tenant(company.tenant).count()

    response = admin_api.get("/audit/events/export", format="csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == expected and rows[0]["seq"] == "1" and rows[-1]["seq"] == str(expected)
    # the export's own entry is written, and belongs to the next export

    response = admin_api.get("/audit/events/export", format="jsonl", kind="department.created")
    lines = [orjson.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(lines) == 33 and {line["kind"] for line in lines} == {"department.created"}

    exported = AuditEvent.objects.for_tenant(company.tenant).filter(kind="audit.exported").order_by("seq")
    assert [e.data["format"] for e in exported] == ["csv", "jsonl"]
    assert_problem(admin_api.get("/audit/events/export", format="xlsx"), 422, "format")


def test_large_export_is_written_in_chunks(company: Company, admin_api: ApiClient) -> None:
    import uuid

    from harbour.audit.actions import Entry, TargetRef, record_many
    from harbour.core.databases import tenant_transaction

    with tenant_transaction(company.tenant.id):
        record_many(
            company.system,
            "member.imported",
            [Entry(TargetRef("member", uuid.uuid4(), f"M {n}"), after={"n": n}) for n in range(3_000)],
        )
    response = admin_api.get("/audit/events/export", format="csv")
    chunks = list(response.streaming_content)
    assert len(chunks) >= 6  # rows leave in small pieces, never one whole-log string
    assert max(len(c) for c in chunks) < 400_000


def test_verify_and_policy_through_the_api(
    company: Company, admin_api: ApiClient, member_api: ApiClient
) -> None:
    verdict = body(admin_api.post("/audit/verify"))
    assert verdict["intact"] is True and verdict["entries"] > 5
    policy = body(admin_api.get("/audit/policy"))
    assert (policy["retention_days"], policy["minimum_days"], policy["legal_hold"]) == (180, 90, False)

    assert_problem(admin_api.patch("/audit/policy", {"retention_days": 60}), 422, "retention_days")
    # both changes or neither: a legal hold without a reason refuses the retention change too
    response = admin_api.patch("/audit/policy", {"retention_days": 400, "legal_hold": True})
    assert_problem(response, 422, "legal_hold_reason")
    assert AuditPolicy.objects.for_tenant(company.tenant).filter(retention_days=400).count() == 0

    updated = body(
        admin_api.patch(
            "/audit/policy", {"retention_days": 400, "legal_hold": True, "legal_hold_reason": "Audit"}
        )
    )
    assert (updated["retention_days"], updated["legal_hold"]) == (400, True)
    assert member_api.patch("/audit/policy", {"retention_days": 365}).status_code in (403, 404)


def test_console_search_filters_and_settings(company: Company) -> None:
    assert company.admin is not None and company.admin.account is not None and company.member is not None
    actions.suspend_member(company.admin, company.member, reason="lost laptop")
    client = Client()
    client.force_login(company.admin.account)
    page = client.get("/log/", {"person": "gary@acme.com.hk", "kind": "member.suspended"})
    assert page.status_code == 200 and "Gary General" in page.content.decode()
    bad = client.get("/log/", {"person": "nobody@acme.com.hk"})
    assert bad.status_code == 400 and "no member with the email" in bad.content.decode()
    fragment = client.get("/log/", {"kind": "member."}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and 'id="entries"' in fragment.content.decode()
    verified = client.post("/log/verify/", follow=True)
    assert "intact" in verified.content.decode()
    saved = client.post("/log/settings/", {"retention_days": "365", "legal_hold_reason": ""})
    assert saved.status_code == 302
    assert AuditPolicy.objects.for_tenant(company.tenant).get().retention_days == 365
    refused = client.post("/log/settings/", {"retention_days": "30"})
    assert refused.status_code == 400
    export = client.get("/log/export.csv", {"kind": "member."})
    assert export.status_code == 200 and b"member.suspended" in b"".join(export.streaming_content)
