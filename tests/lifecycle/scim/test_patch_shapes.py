"""The shapes of PATCH operations identity providers send, applied to a User's document: attribute names in
any case, whole-extension paths, value filters that match nothing yet, attributes Harbour does not keep
(accepted and ignored), and one work address per type."""

from __future__ import annotations

from typing import Any

from harbour.directory.models import Member
from harbour.lifecycle.models import SyncRun
from harbour.lifecycle.scim.patch import apply_operations, operations_of
from tests.factories import Company
from tests.lifecycle.scim.conftest import ENTERPRISE, PATCH_OP, ScimClient, entra_user


def _apply(doc: dict[str, Any], *operations: dict[str, Any]) -> dict[str, Any]:
    return apply_operations(doc, operations_of({"schemas": [PATCH_OP], "Operations": list(operations)}))


def test_documents_are_patched_the_way_providers_write() -> None:
    doc = {"userName": "a@x.hk", "emails": [{"value": "a@x.hk", "type": "work", "primary": True}]}
    added = _apply(doc, {"op": "ADD", "value": {"Emails": [{"type": "work", "value": "b@x.hk"}]}})
    assert added["emails"] == [{"type": "work", "value": "b@x.hk"}]  # one work address, not two
    assert doc["emails"][0]["value"] == "a@x.hk"  # the original is left as it was

    seeded = _apply({}, {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "c@x.hk"})
    assert seeded["emails"] == [{"type": "work", "value": "c@x.hk"}]

    ext = _apply(
        doc, {"op": "replace", "path": ENTERPRISE, "value": {"Department": "Finance", "manager": "m-1"}}
    )
    assert ext[ENTERPRISE] == {"department": "Finance", "manager": "m-1"}
    upper = _apply(doc, {"op": "replace", "path": f"{ENTERPRISE.upper()}:EMPLOYEENUMBER", "value": "7"})
    assert upper[ENTERPRISE] == {"employeeNumber": "7"}
    keyed = _apply(
        doc, {"op": "replace", "value": {ENTERPRISE: {"department": "HR"}, "NAME.GIVENNAME": "Al"}}
    )
    assert keyed[ENTERPRISE] == {"department": "HR"} and keyed["name"] == {"givenName": "Al"}
    gone = _apply(
        {**doc, "emails": [*doc["emails"], {"type": "home", "value": "h@x.hk"}]},
        {"op": "remove", "path": 'emails[type eq "home"]'},
    )
    assert gone["emails"] == doc["emails"]


def test_attributes_harbour_does_not_keep_are_accepted_and_ignored(
    company: Company, scim: ScimClient
) -> None:
    user_id = scim.post("/Users", entra_user("ada.lovelace@acme.com.hk")).doc["id"]
    before = Member.objects.for_tenant(company.tenant).get(pk=user_id).updated_at
    answer = scim.patch(
        f"/Users/{user_id}",
        {"op": "Add", "path": 'phoneNumbers[type eq "work"].value', "value": "+852 2123 4567"},
        {"op": "Replace", "path": 'addresses[type eq "work"].locality', "value": "Hong Kong"},
        {"op": "Add", "path": "preferredLanguage", "value": "zh-HK"},
        {"op": "Add", "path": "roles", "value": [{"value": "admin"}]},
    )
    assert answer.status_code == 200, answer.content
    assert "phoneNumbers" not in answer.doc and "preferredLanguage" not in answer.doc
    assert Member.objects.for_tenant(company.tenant).get(pk=user_id).updated_at == before
    assert SyncRun.objects.for_tenant(company.tenant).filter(source="scim").count() == 1  # the create only


def test_a_new_work_email_added_without_a_path_changes_the_address(
    company: Company, scim: ScimClient
) -> None:
    user_id = scim.post("/Users", entra_user("ada.lovelace@acme.com.hk")).doc["id"]
    changed = scim.patch(
        f"/Users/{user_id}",
        {
            "op": "add",
            "value": {"emails": [{"type": "work", "value": "ada.king@acme.com.hk", "primary": "True"}]},
        },
    )
    assert changed.doc["userName"] == "ada.king@acme.com.hk"
    assert Member.objects.for_tenant(company.tenant).get(pk=user_id).email == "ada.king@acme.com.hk"
