"""Bad requests are refused as SCIM errors and change nothing: taken addresses and ids (409 uniqueness),
malformed JSON or schemas, unknown departments and managers, bad PATCH operations (even after good ones in
the same request), stale versions; and what SCIM may not do to a department with people."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from harbour.audit.models import AuditEvent
from harbour.directory.models import Department, Member, MemberState
from harbour.jobs.worker import run_until_idle
from harbour.lifecycle.models import SourceLink, SyncRun
from tests.factories import Company, make_company
from tests.lifecycle.scim.conftest import CORE_USER, ENTERPRISE, ScimClient, assert_scim_error, entra_user


def _state(company: Company) -> tuple[Any, ...]:
    """Everything a SCIM write could touch."""
    tenant = company.tenant
    return (
        sorted(
            Member.objects.for_tenant(tenant).values_list("email", "name", "title", "state", "manager_id")
        ),
        sorted((str(m.pk), tuple(p.name for p in m.places())) for m in Member.objects.for_tenant(tenant)),
        sorted(Department.objects.for_tenant(tenant).values_list("name", flat=True)),
        SourceLink.objects.for_tenant(tenant).count(),
        SyncRun.objects.for_tenant(tenant).count(),
        AuditEvent.objects.filter(tenant_id=tenant.pk).count(),
    )


@pytest.fixture
def ada(scim: ScimClient) -> str:
    body = entra_user(
        "ada.lovelace@acme.com.hk", **{ENTERPRISE: {"employeeNumber": "E-1", "department": "Finance"}}
    )
    return str(scim.post("/Users", body).doc["id"])


@pytest.mark.parametrize(
    ("body", "status", "scim_type"),
    [
        (entra_user("gary@acme.com.hk"), 409, "uniqueness"),  # the address has an account already
        (entra_user("new.one@acme.com.hk", externalId="adalovelace"), 409, "uniqueness"),
        (entra_user("new.one@acme.com.hk", **{ENTERPRISE: {"employeeNumber": "E-1"}}), 409, "uniqueness"),
        (entra_user("new.one@acme.com.hk", **{ENTERPRISE: {"department": "Marketing"}}), 400, "invalidValue"),
        (
            entra_user("new.one@acme.com.hk", **{ENTERPRISE: {"manager": {"value": "nobody"}}}),
            400,
            "invalidValue",
        ),
        (
            entra_user("new.one@acme.com.hk", emails=[{"type": "work", "value": "other@acme.com.hk"}]),
            400,
            "invalidValue",
        ),
        (entra_user("new.one@gmail.com"), 400, "invalidValue"),  # outside the company's domains
        (entra_user("new.one@acme.com.hk", active="sometimes"), 400, "invalidValue"),
        (entra_user("new.one@acme.com.hk", title=["a", "list"]), 400, "invalidValue"),
        ({"schemas": [CORE_USER], "displayName": "No Address"}, 400, "invalidValue"),
        ({"schemas": ["urn:example:Thing"], "userName": "new.one@acme.com.hk"}, 400, "invalidValue"),
        ({"schemas": [CORE_USER], "userName": "new.one@acme.com.hk"}, 400, "invalidValue"),  # no name
        (b"{not json", 400, "invalidSyntax"),
        (b"[1, 2]", 400, "invalidValue"),
    ],
)
def test_a_refused_create_changes_nothing(
    company: Company,
    scim: ScimClient,
    ada: str,
    body: Any,
    status: int,
    scim_type: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = _state(company)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.post("/Users", body)
    assert_scim_error(response, status, scim_type)
    assert _state(company) == before
    run_until_idle()
    assert mail.outbox == []  # no invitation for an account that was not made


@pytest.mark.parametrize(
    ("operations", "status", "scim_type"),
    [
        (
            [
                {"op": "Replace", "path": "title", "value": "Ok"},
                {"op": "Replace", "path": "userName", "value": "gary@acme.com.hk"},
            ],
            409,
            "uniqueness",
        ),
        (
            [
                {"op": "Replace", "path": "title", "value": "Ok"},
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Nowhere"},
            ],
            400,
            "invalidValue",
        ),
        (
            [{"op": "Replace", "path": "title", "value": "Ok"}, {"op": "Remove", "path": "userName"}],
            400,
            "invalidValue",
        ),
        (
            [{"op": "Replace", "path": "title", "value": "Ok"}, {"op": "Move", "path": "title"}],
            400,
            "invalidSyntax",
        ),
        ([{"op": "Remove"}], 400, "noTarget"),
        ([{"op": "Replace", "path": 'emails[type eq "work"'}], 400, "invalidPath"),
        (
            [{"op": "Replace", "path": 'emails[type eq "home"]', "value": {"value": "x@acme.com.hk"}}],
            400,
            "noTarget",
        ),
        ([{"op": "Replace", "path": "active", "value": "maybe"}], 400, "invalidValue"),
        (
            [{"op": "Replace", "path": "id", "value": "00000000-0000-0000-0000-000000000000"}],
            400,
            "mutability",
        ),
        ([{"op": "Replace", "value": "not an object"}], 400, "invalidValue"),
        ([], 400, "invalidSyntax"),
    ],
)
def test_a_refused_patch_changes_nothing(
    company: Company,
    scim: ScimClient,
    ada: str,
    operations: list[dict[str, Any]],
    status: int,
    scim_type: str,
) -> None:
    before = _state(company)
    assert_scim_error(scim.patch(f"/Users/{ada}", *operations), status, scim_type)
    assert _state(company) == before


def test_a_stale_version_is_refused(company: Company, scim: ScimClient, ada: str) -> None:
    read = scim.get(f"/Users/{ada}")
    version = read["ETag"]
    scim.patch(f"/Users/{ada}", {"op": "Replace", "path": "title", "value": "Analyst"})
    before = _state(company)
    stale = scim.patch(
        f"/Users/{ada}", {"op": "Replace", "path": "title", "value": "Lead"}, HTTP_IF_MATCH=version
    )
    assert_scim_error(stale, 412)
    assert _state(company) == before
    fresh = scim.get(f"/Users/{ada}")["ETag"]
    assert (
        scim.patch(
            f"/Users/{ada}", {"op": "Replace", "path": "title", "value": "Lead"}, HTTP_IF_MATCH=fresh
        ).status_code
        == 200
    )


def test_put_replaces_what_it_sends(company: Company, scim: ScimClient, ada: str) -> None:
    replaced = scim.put(
        f"/Users/{ada}",
        {
            "schemas": [CORE_USER, ENTERPRISE],
            "userName": "ada.lovelace@acme.com.hk",
            "displayName": "Augusta Ada King",
            "title": "Countess",
            ENTERPRISE: {"department": "Human Resources"},
        },
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.doc["displayName"] == "Augusta Ada King" and replaced.doc["title"] == "Countess"
    assert replaced.doc[ENTERPRISE]["department"] == "Human Resources"
    assert replaced.doc["externalId"] == "adalovelace"  # left out: kept
    assert replaced.doc[ENTERPRISE]["employeeNumber"] == "E-1"
    assert_scim_error(
        scim.put(
            f"/Users/{ada}",
            {"id": "00000000-0000-0000-0000-000000000000", "userName": "ada.lovelace@acme.com.hk"},
        ),
        400,
        "mutability",
    )


def test_created_inactive_is_deactivated_without_an_invitation(
    company: Company, scim: ScimClient, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        created = scim.post("/Users", entra_user("dormant@acme.com.hk", active=False))
    assert created.status_code == 201 and created.doc["active"] is False
    assert (
        Member.objects.for_tenant(company.tenant).get(email="dormant@acme.com.hk").state
        == MemberState.DEACTIVATED
    )
    assert mail.outbox == []


def test_seats_are_checked_by_the_directory(db: Any) -> None:
    from harbour.lifecycle.scim.tokens import mint_scim_token

    small = make_company("tiny", domains=["tiny.com.hk"], seats=4)  # the four members fill it
    client = ScimClient(mint_scim_token(small.admin, name="IdP")[1])
    before = _state(small)
    refused = client.post("/Users", entra_user("one.more@tiny.com.hk"))
    assert refused.status_code == 409 and "seat" in refused.doc["detail"].lower(), refused.doc
    assert _state(small) == before


def test_groups_refusals(company: Company, scim: ScimClient, ada: str) -> None:
    finance = company.departments["finance"]
    before = _state(company)
    with_people = scim.delete(f"/Groups/{finance.pk}")
    assert_scim_error(with_people, 409)
    assert "members" in with_people.doc["detail"] or "sub-departments" in with_people.doc["detail"]
    assert_scim_error(scim.post("/Groups", {"displayName": "Finance"}), 409, "uniqueness")
    assert_scim_error(scim.post("/Groups", {"externalId": "no-name"}), 400, "invalidValue")
    assert_scim_error(
        scim.patch(
            f"/Groups/{finance.pk}",
            {"op": "Add", "path": "members", "value": [{"value": ada}, {"value": "ghost"}]},
        ),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim.patch(f"/Groups/{finance.pk}", {"op": "Remove", "path": "displayName"}), 400, "mutability"
    )
    assert_scim_error(
        scim.patch(
            f"/Groups/{finance.pk}", {"op": "Replace", "path": "displayName", "value": "Human Resources"}
        ),
        409,
        "uniqueness",
    )
    assert _state(company) == before


def test_scim_writes_are_audited_as_the_token(company: Company, scim: ScimClient, ada: str) -> None:
    joined = AuditEvent.objects.filter(
        tenant_id=company.tenant.pk, target_id=ada, kind="member.imported"
    ).get()
    assert joined.actor_type == "system" and joined.actor_label == "SCIM (Entra ID)"
