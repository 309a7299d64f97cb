"""The reseller register through the API: record, list, read, edit, verify; bad input names the field and
changes nothing; another company's reseller is not found."""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.procurement import actions
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.procurement.builders import current_list, fresh, procurement_rows

pytestmark = pytest.mark.django_db


def _gdc() -> dict[str, object]:
    return {
        "name": "Global Digital Cyber (GDC Hong Kong)",
        "registered_name": "Global Digital Cyber Limited",
        "br_number": "32345678-000-06-25-1",
        "hk_address": "21/F, 1 Hysan Avenue, Causeway Bay",
        "contacts": [{"name": "Mandy Chan", "email": "Mandy@GDC.hk", "phone": "9123 4567"}],
        "certificate_number": "DT-HK-2024-0311",
    }


def test_record_list_read_and_edit_a_reseller(company: Company, admin_api: ApiClient) -> None:
    created = admin_api.post("/procurement/resellers", _gdc())
    assert created.status_code == 201, created.content
    reseller = body(created)
    assert reseller["status"] == "to_reverify"
    assert reseller["contacts"] == [{"name": "Mandy Chan", "email": "mandy@gdc.hk", "phone": "+85291234567"}]
    assert reseller["certificate_verification"] is None and reseller["partner_listing"] is None

    page = body(admin_api.get("/procurement/resellers", q="gdc"))
    assert [r["id"] for r in page["items"]] == [reseller["id"]]
    assert body(admin_api.get("/procurement/resellers", q="32345678"))["items"][0]["id"] == reseller["id"]

    edited = admin_api.patch(f"/procurement/resellers/{reseller['id']}", {"notes": "met at the trade fair"})
    assert edited.status_code == 200 and body(edited)["notes"] == "met at the trade fair"
    kinds = list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(target_id=reseller["id"])
        .values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["reseller.created", "reseller.updated"]


def test_verification_records_who_and_when_and_a_new_number_voids_it(
    company: Company, admin_api: ApiClient
) -> None:
    reseller = body(admin_api.post("/procurement/resellers", _gdc()))
    url = f"/procurement/resellers/{reseller['id']}"
    verified = body(admin_api.post(f"{url}/certificate-verification", {"note": "DingTalk hotline, case 99"}))
    assert verified["status"] == "verified"
    assert verified["certificate_verification"]["verified_by"].startswith("Ada Admin")
    assert verified["certificate_verification"]["verified_by_id"] == str(company.admin.id)  # type: ignore[union-attr]

    changed = body(admin_api.patch(url, {"certificate_number": "DT-HK-2025-0001"}))
    assert changed["status"] == "to_reverify" and changed["certificate_verification"] is None


def test_verifying_without_a_certificate_number_is_refused(admin_api: ApiClient) -> None:
    reseller = body(admin_api.post("/procurement/resellers", {**_gdc(), "certificate_number": ""}))
    response = admin_api.post(
        f"/procurement/resellers/{reseller['id']}/certificate-verification", {"note": "checked"}
    )
    assert_problem(response, 409, "certificate_number")


def test_partner_listing_appears_on_the_reseller(company: Company, admin_api: ApiClient) -> None:
    current_list(company, [{"name": "GDC HK", "br_number": "32345678", "region": "Hong Kong"}])
    reseller = body(admin_api.post("/procurement/resellers", _gdc()))
    listing = reseller["partner_listing"]
    assert listing["name"] == "GDC HK" and listing["matched_by"] == "br_number"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"br_number": "1234567"}, "br_number"),
        ({"br_number": "12345678-1"}, "br_number"),
        ({"name": "  "}, "name"),
        ({"contacts": [{"name": "No Way To Reach"}]}, "contacts[0].email"),
        ({"contacts": [{"name": "Bad Mail", "email": "not-an-email"}]}, "contacts[0].email"),
        ({"contacts": [{"name": "Bad Phone", "phone": "12"}]}, "contacts[0].phone"),
        ({"contacts": [{"name": "", "email": "a@b.hk"}]}, "contacts[0].name"),
    ],
)
def test_bad_reseller_input_names_the_field_and_changes_nothing(
    admin_api: ApiClient, change: dict[str, object], field: str
) -> None:
    before = procurement_rows()
    assert_problem(admin_api.post("/procurement/resellers", {**_gdc(), **change}), 422, field)
    assert procurement_rows() == before


def test_bad_edit_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    reseller = actions.create_reseller(company.system, name="TechSphere HK", br_number="31234567")
    before, rows = fresh(reseller), procurement_rows()
    assert_problem(
        admin_api.patch(f"/procurement/resellers/{reseller.id}", {"name": "Renamed", "br_number": "abc"}),
        422,
        "br_number",
    )
    assert fresh(reseller) == before and procurement_rows() == rows


def test_duplicate_name_is_a_conflict(company: Company, admin_api: ApiClient) -> None:
    actions.create_reseller(company.system, name="TechSphere HK")
    assert_problem(admin_api.post("/procurement/resellers", {"name": "techsphere hk"}), 409, "name")


def test_another_companys_reseller_is_not_found(company: Company, other_company: Company) -> None:
    assert other_company.admin is not None
    theirs = actions.create_reseller(other_company.system, name="Their Reseller")
    assert company.admin is not None
    ours = api_as(company.admin)
    before = procurement_rows()
    assert_problem(ours.get(f"/procurement/resellers/{theirs.id}"), 404, "reseller_id")
    assert_problem(ours.patch(f"/procurement/resellers/{theirs.id}", {"notes": "x"}), 404)
    assert_problem(
        ours.post(f"/procurement/resellers/{theirs.id}/certificate-verification", {"note": "x"}), 404
    )
    assert_problem(
        ours.post(
            "/procurement/quotes",
            {"reseller_id": str(theirs.id), "plan": "basic", "seats": 1, "unit_price": "1"},
        ),
        404,
        "reseller_id",
    )
    assert ours.get("/procurement/resellers").json()["items"] == []
    assert procurement_rows() == before


def test_members_without_the_permission_cannot_read_the_register(company: Company) -> None:
    assert company.member is not None
    assert_problem(api_as(company.member).get("/procurement/resellers"), 403)
