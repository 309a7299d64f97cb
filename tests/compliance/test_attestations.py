"""Attestations through the API: recorded with a reason, one in force per rule, withdrawn and kept, bad input
refused naming the field, permissions and isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from harbour.audit.models import AuditEvent
from harbour.compliance.models import Attestation
from harbour.core.time import today_in_hong_kong
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company

pytestmark = pytest.mark.django_db


def _payload(**fields: Any) -> dict[str, Any]:
    return {
        "rule_id": "DM-6A",
        "status": "not_applicable",
        "reason": "Harbour is not used for direct marketing",
        "review_by": (today_in_hong_kong() + dt.timedelta(days=180)).isoformat(),
        "evidence_ref": "Board minutes 2026-11",
        **fields,
    }


def test_officer_records_an_attestation_and_it_is_audited(company: Company, admin_api: ApiClient) -> None:
    response = admin_api.post("/compliance/attestations", _payload())
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["rule_id"] == "DM-6A" and data["in_force"] and data["recorded_by"] == "Ada Admin"
    assert data["evidence_ref"] == "Board minutes 2026-11"
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="compliance.attestation_recorded")
    assert event.target_id == data["id"]
    listed = body(admin_api.get("/compliance/attestations"))
    assert [a["id"] for a in listed] == [data["id"]]


def test_one_attestation_in_force_per_rule_until_withdrawn(company: Company, admin_api: ApiClient) -> None:
    first = body(admin_api.post("/compliance/attestations", _payload()))
    assert_problem(admin_api.post("/compliance/attestations", _payload(status="met")), 409, "rule_id")

    withdrawn = admin_api.post(
        f"/compliance/attestations/{first['id']}/withdraw", {"reason": "we now market"}
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert body(withdrawn)["in_force"] is False and body(withdrawn)["withdrawal_reason"] == "we now market"
    assert_problem(admin_api.post(f"/compliance/attestations/{first['id']}/withdraw", {}), 409)

    second = admin_api.post("/compliance/attestations", _payload(status="met", reason="consent ledger kept"))
    assert second.status_code == 201
    assert Attestation.objects.for_tenant(company.tenant).count() == 2  # the withdrawn one stays on record
    assert (
        AuditEvent.objects.for_tenant(company.tenant).filter(kind="compliance.attestation_withdrawn").count()
        == 1
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rule_id": "PDPO-DPP99"}, "rule_id"),
        ({"rule_id": ""}, "rule_id"),
        ({"status": "gap"}, "status"),
        ({"status": "not_assessed"}, "status"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"evidence_ref": "x" * 301}, "evidence_ref"),
        ({"review_by": "today"}, None),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    company: Company, admin_api: ApiClient, fields: dict[str, Any], field: str | None
) -> None:
    response = admin_api.post("/compliance/attestations", _payload(**fields))
    assert response.status_code in (400, 422), response.content
    if field:
        assert_problem(response, 422, field)
    assert not Attestation.objects.for_tenant(company.tenant).exists()
    assert not AuditEvent.objects.for_tenant(company.tenant).filter(kind__startswith="compliance.").exists()


def test_review_date_must_be_after_today_and_within_three_years(
    company: Company, admin_api: ApiClient
) -> None:
    today = today_in_hong_kong()
    for day in (today, today - dt.timedelta(days=1), today + dt.timedelta(days=3 * 366 + 1)):
        assert_problem(
            admin_api.post("/compliance/attestations", _payload(review_by=day.isoformat())), 422, "review_by"
        )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert admin_api.post("/compliance/attestations", _payload(review_by=tomorrow)).status_code == 201


def test_members_without_the_permission_cannot_read_or_attest(
    company: Company, admin_api: ApiClient, member_api: ApiClient, manager_api: ApiClient
) -> None:
    made = body(admin_api.post("/compliance/attestations", _payload()))
    for client in (member_api, manager_api):
        assert client.get("/compliance/status").status_code in (403, 404)
        assert client.get("/compliance/attestations").status_code in (403, 404)
        assert client.post("/compliance/attestations", _payload(rule_id="XB-GBA")).status_code in (403, 404)
        assert_problem(client.post(f"/compliance/attestations/{made['id']}/withdraw", {}), 404)
    assert Attestation.objects.for_tenant(company.tenant).filter(withdrawn_at__isnull=True).count() == 1


def test_a_viewer_without_manage_reads_but_cannot_attest(company: Company) -> None:
    from harbour.directory import actions as directory
    from tests.factories import make_member

    auditor_role = directory.create_role(
        company.system, name="Compliance auditor", permissions=["compliance.view"]
    )
    auditor = make_member(company, name="Olive Officer", email="olive@acme.com.hk", role=None)
    from harbour.directory.models import RoleGrant

    RoleGrant.objects.create(tenant=company.tenant, member=auditor, role=auditor_role)
    auditor.forget_access()
    client = api_as(auditor, issued_by=company.system)
    assert client.get("/compliance/status").status_code == 200
    assert_problem(client.post("/compliance/attestations", _payload()), 403)
    assert client.post("/compliance/snapshots").status_code == 403


def test_another_companys_attestation_is_not_found(
    company: Company, other_company: Company, admin_api: ApiClient
) -> None:
    made = body(admin_api.post("/compliance/attestations", _payload()))
    assert other_company.admin is not None
    other = api_as(other_company.admin)
    assert_problem(other.post(f"/compliance/attestations/{made['id']}/withdraw", {}), 404)
    assert body(other.get("/compliance/attestations")) == []
    assert_problem(admin_api.post("/compliance/attestations/not-a-uuid/withdraw", {}), 404)


def test_withdrawing_needs_no_reason(company: Company, admin_api: ApiClient) -> None:
    made = body(admin_api.post("/compliance/attestations", _payload()))
    response = admin_api.post(f"/compliance/attestations/{made['id']}/withdraw")
    assert response.status_code == 200, response.content
    assert body(response)["in_force"] is False and body(response)["withdrawal_reason"] == ""
