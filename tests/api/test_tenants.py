"""Companies through the API: the profile of one's own company, and platform operators' companies."""

from __future__ import annotations

from harbour.audit.models import AuditEvent
from harbour.core.models import Account, Tenant
from harbour.directory.models import BuiltinRole, Member, RoleGrant
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company


def _make_operator(company: Company) -> Account:
    assert company.admin is not None and company.admin.account is not None
    account = company.admin.account
    account.is_operator = True
    account.save(update_fields=["is_operator"])
    company.tenant.operator = account
    company.tenant.save(update_fields=["operator"])
    return account


def test_operator_creates_a_company_and_sees_only_their_own(company: Company, other_company: Company) -> None:
    operator = _make_operator(company)
    _make_operator(other_company)
    assert company.admin is not None and other_company.admin is not None
    mine, theirs = api_as(company.admin), api_as(other_company.admin)

    response = mine.post(
        "/tenants",
        {
            "slug": "kowloon-bakery",
            "display_name": "Kowloon Bakery Ltd",
            "br_number": "12345678",
            "email_domains": ["kowloonbakery.hk"],
            "locale": "zh-hant",
        },
    )
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["slug"] == "kowloon-bakery" and created["locale"] == "zh-hant"
    assert created["email_domains"] == ["kowloonbakery.hk"] and created["time_zone"] == "Asia/Hong_Kong"

    new = Tenant.objects.get(pk=created["id"])
    assert new.operator == operator
    # the operator got an external Administrator account in the new company, and it was logged
    work_account = Member.objects.for_tenant(new).get(account=operator)
    assert work_account.is_external
    assert (
        RoleGrant.objects.for_tenant(new)
        .filter(member=work_account, role__builtin=BuiltinRole.ADMINISTRATOR)
        .exists()
    )
    assert AuditEvent.objects.for_tenant(new).filter(kind="tenant.created").exists()

    assert {t["slug"] for t in body(mine.get("/tenants"))["items"]} == {"acme", "kowloon-bakery"}
    assert {t["slug"] for t in body(theirs.get("/tenants"))["items"]} == {"globex"}
    assert body(mine.get(f"/tenants/{created['id']}"))["slug"] == "kowloon-bakery"
    assert_problem(theirs.get(f"/tenants/{created['id']}"), 404, "tenant_id")
    assert_problem(
        theirs.post("/tenants", {"slug": "kowloon-bakery", "display_name": "Copycat"}), 409, "slug"
    )


def test_non_operators_cannot_manage_companies(company: Company, admin_api: ApiClient) -> None:
    assert_problem(admin_api.get("/tenants"), 403)
    assert_problem(admin_api.post("/tenants", {"slug": "sneaky", "display_name": "Sneaky Ltd"}), 403)
    assert_problem(admin_api.get(f"/tenants/{company.tenant.id}"), 404)
    assert not Tenant.objects.filter(slug="sneaky").exists()


def test_company_profile_read_and_edit(company: Company, admin_api: ApiClient, member_api: ApiClient) -> None:
    profile = body(member_api.get("/tenant"))
    assert profile["slug"] == "acme" and profile["email_domains"] == ["acme.com.hk"]

    response = admin_api.patch(
        "/tenant",
        {
            "registered_name": "Acme Trading Limited",
            "br_number": "87654321",
            "data_storage_region": "sg",
            "email_domains": ["acme.com.hk", "@Acme.HK"],
        },
    )
    assert response.status_code == 200, response.content
    edited = body(response)
    assert edited["registered_name"] == "Acme Trading Limited" and edited["br_number"] == "87654321"
    assert edited["data_storage_region"] == "sg" and edited["email_domains"] == ["acme.com.hk", "acme.hk"]
    assert edited["display_name"] == "Acme Trading Ltd"  # left out, unchanged

    assert_problem(member_api.patch("/tenant", {"registered_name": "Hijacked"}), 403)
    assert_problem(admin_api.patch("/tenant", {"br_number": "12"}), 422, "br_number")
    assert_problem(admin_api.patch("/tenant", {"time_zone": "Mars/Olympus"}), 422, "time_zone")
    assert_problem(admin_api.patch("/tenant", {"display_name": None}), 422, "display_name")
    assert body(admin_api.get("/tenant"))["registered_name"] == "Acme Trading Limited"
