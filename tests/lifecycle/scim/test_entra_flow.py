"""SCIM conformance for the flows Microsoft Entra ID's provisioning uses, request by request as Entra sends
them: search by userName, create, PATCH replace/add/remove (booleans as the string "False"), deactivate
via active=false (the account frozen at once, its sessions ended), reactivate, and groups (create, add and
remove members, rename)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from scim2_models import Context, EnterpriseUser, Group, ListResponse, User

from harbour.directory.models import Member, MemberState
from harbour.jobs.worker import run_until_idle
from harbour.lifecycle.models import Departure, SourceLink, SyncItem, SyncRun
from tests.factories import Company
from tests.lifecycle.scim.conftest import CORE_GROUP, ENTERPRISE, LIST, ScimClient, entra_user

RESPONSE = Context.RESOURCE_QUERY_RESPONSE


def _user(doc: dict[str, Any]) -> Any:
    """Parse a response as a User with the enterprise extension, the way a SCIM client library does."""
    return User[EnterpriseUser].model_validate(doc, scim_ctx=RESPONSE)


def test_entra_creates_a_joiner_after_searching_for_it(
    company: Company, scim: ScimClient, django_capture_on_commit_callbacks: Any
) -> None:
    found = scim.get('/Users?filter=userName eq "ada.lovelace@acme.com.hk"')
    assert found.status_code == 200 and found["Content-Type"] == "application/scim+json"
    assert found.doc == {
        "schemas": [LIST],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }
    ListResponse[User[EnterpriseUser]].model_validate(found.doc, scim_ctx=Context.SEARCH_RESPONSE)

    body = entra_user(
        "ada.lovelace@acme.com.hk",
        title="Analyst",
        **{ENTERPRISE: {"employeeNumber": "E-900", "department": "Accounts Payable"}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = scim.post("/Users", body)
    assert created.status_code == 201, created.content
    user = _user(created.doc)
    assert user.user_name == "ada.lovelace@acme.com.hk" and user.active is True
    assert user.name.given_name == "Ada" and user.name.family_name == "Lovelace"
    assert user.external_id == "adalovelace" and user.title == "Analyst"
    assert user[EnterpriseUser].employee_number == "E-900"
    assert user[EnterpriseUser].department == "Accounts Payable"
    assert created["Location"] == created.doc["meta"]["location"]
    assert created["Location"].endswith(f"/scim/v2/Users/{created.doc['id']}")
    assert created["ETag"] == created.doc["meta"]["version"]

    member = Member.objects.for_tenant(company.tenant).get(pk=created.doc["id"])
    assert member.state == MemberState.INVITED and member.employee_number == "E-900"
    assert [p.name for p in member.places()] == ["Accounts Payable"]
    assert mail.outbox == []  # invited as the file import does: the worker mails a freshly minted link
    run_until_idle()
    assert [m.to for m in mail.outbox] == [["ada.lovelace@acme.com.hk"]]
    link = mail.outbox[0].body.split("/invite/")[1].split("/")[0]
    assert Client().get(f"/invite/{link}/").status_code == 200
    link = SourceLink.objects.for_tenant(company.tenant).get(source="scim", member=member)
    assert link.external_id == "adalovelace" and link.situation == "linked"

    again = scim.get('/Users?filter=userName eq "Ada.Lovelace@acme.com.hk"')
    assert again.doc["totalResults"] == 1 and again.doc["Resources"][0]["id"] == str(member.pk)
    assert scim.get(f"/Users/{member.pk}").doc == created.doc

    run = SyncRun.objects.for_tenant(company.tenant).get(source="scim")  # the HR imports report shows it
    assert run.state == "applied" and run.counts["create"] == 1
    item = SyncItem.objects.for_tenant(company.tenant).get(run=run)
    assert item.kind == "create" and item.member_id == member.pk and item.outcome == "applied"


def test_entra_patches_replace_add_and_remove(company: Company, scim: ScimClient) -> None:
    created = scim.post(
        "/Users", entra_user("grace.hopper@acme.com.hk", **{ENTERPRISE: {"department": "Finance"}})
    )
    user_id = created.doc["id"]
    manager = company.manager
    assert manager is not None

    replaced = scim.patch(
        f"/Users/{user_id}",
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "grace.h@acme.com.hk"},
        {"op": "Replace", "path": "name.familyName", "value": "Murray"},
        {"op": "Replace", "path": "displayName", "value": "Grace Murray Hopper"},
        {"op": "Add", "path": "title", "value": "Rear Admiral"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(manager.pk)},
        {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "E-1906"},
    )
    assert replaced.status_code == 200, replaced.content
    doc = replaced.doc
    assert doc["userName"] == "grace.h@acme.com.hk"  # one work address: the email is the userName
    assert doc["emails"] == [{"value": "grace.h@acme.com.hk", "type": "work", "primary": True}]
    assert doc["name"]["familyName"] == "Murray" and doc["displayName"] == "Grace Murray Hopper"
    assert doc["title"] == "Rear Admiral"
    assert doc[ENTERPRISE]["manager"]["value"] == str(manager.pk)
    assert doc[ENTERPRISE]["manager"]["displayName"] == manager.name
    member = Member.objects.for_tenant(company.tenant).get(pk=user_id)
    assert (member.email, member.name, member.title, member.manager_id, member.employee_number) == (
        "grace.h@acme.com.hk",
        "Grace Murray Hopper",
        "Rear Admiral",
        manager.pk,
        "E-1906",
    )

    # Without a path: an object of attributes, some of them paths themselves (Entra sends both shapes).
    no_path = scim.patch(
        f"/Users/{user_id}",
        {"op": "replace", "value": {"name.givenName": "Amazing Grace", "title": "Commodore"}},
    )
    assert no_path.doc["name"]["givenName"] == "Amazing Grace" and no_path.doc["title"] == "Commodore"

    removed = scim.patch(
        f"/Users/{user_id}",
        {"op": "Remove", "path": "title"},
        {"op": "Remove", "path": f"{ENTERPRISE}:manager"},
    )
    assert removed.status_code == 200
    assert "title" not in removed.doc and "manager" not in removed.doc[ENTERPRISE]
    member.refresh_from_db()
    assert member.title == "" and member.manager_id is None

    moved = scim.patch(
        f"/Users/{user_id}", {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Human Resources"}
    )
    assert moved.doc[ENTERPRISE]["department"] == "Human Resources"  # a mover
    assert [p.name for p in Member.objects.for_tenant(company.tenant).get(pk=user_id).places()] == [
        "Human Resources"
    ]
    kinds = list(
        SyncItem.objects.for_tenant(company.tenant)
        .filter(member_id=user_id)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["create", "update", "update", "update", "move"]

    unchanged = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "title", "value": ""})
    assert unchanged.status_code == 200
    assert SyncRun.objects.for_tenant(company.tenant).filter(source="scim").count() == 5  # no-op: no report


def test_entra_deactivates_with_the_string_false_and_reactivates(company: Company, scim: ScimClient) -> None:
    created = scim.post(
        "/Users", entra_user("alan.turing@acme.com.hk", **{ENTERPRISE: {"department": "Finance"}})
    )
    member = Member.objects.for_tenant(company.tenant).get(pk=created.doc["id"])
    # The person accepted the invitation and signed in to the console.
    from harbour.core.models import Account

    member.account = Account.objects.create_user(member.email, "correct-horse-battery-staple")
    member.state = MemberState.ACTIVE
    member.save(update_fields=["account", "state"])
    browser = Client()
    browser.force_login(member.account)
    assert browser.get("/").status_code == 200

    frozen = scim.patch(f"/Users/{member.pk}", {"op": "Replace", "path": "active", "value": "False"})
    assert frozen.status_code == 200 and frozen.doc["active"] is False
    member.refresh_from_db()
    assert member.state == MemberState.SUSPENDED and member.sessions_revoked_at is not None
    assert Departure.objects.for_tenant(company.tenant).get(member=member).rehired_at is None
    assert browser.get("/").status_code == 302  # the open session no longer acts as the leaver
    listed = scim.get('/Users?filter=userName eq "alan.turing@acme.com.hk"')
    assert listed.doc["Resources"][0]["active"] is False  # a disabled user is still found, inactive

    again = scim.patch(f"/Users/{member.pk}", {"op": "Replace", "path": "active", "value": False})
    assert again.status_code == 200  # told twice: nothing more happens
    assert Departure.objects.for_tenant(company.tenant).filter(member=member).count() == 1

    back = scim.patch(f"/Users/{member.pk}", {"op": "replace", "value": {"active": "True"}})
    assert back.status_code == 200 and back.doc["active"] is True
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE  # a rehire
    assert Departure.objects.for_tenant(company.tenant).get(member=member).rehired_at is not None
    kinds = list(
        SyncItem.objects.for_tenant(company.tenant).filter(member_id=member.pk).values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["create", "leave", "rehire"]


def test_deleting_a_user_freezes_it_and_hides_it(company: Company, scim: ScimClient) -> None:
    created = scim.post(
        "/Users", entra_user("kurt.godel@acme.com.hk", **{ENTERPRISE: {"department": "Finance"}})
    )
    user_id = created.doc["id"]
    gone = scim.delete(f"/Users/{user_id}")
    assert gone.status_code == 204 and gone.content == b""
    member = Member.objects.for_tenant(company.tenant).get(pk=user_id)  # kept for the retention clock
    assert member.state == MemberState.DEACTIVATED  # never signed in: deactivated at once
    assert Departure.objects.for_tenant(company.tenant).filter(member=member).exists()
    assert SourceLink.objects.for_tenant(company.tenant).get(member=member).situation == "deleted"
    assert scim.get(f"/Users/{user_id}").status_code == 404
    assert scim.delete(f"/Users/{user_id}").status_code == 404
    assert scim.get('/Users?filter=userName eq "kurt.godel@acme.com.hk"').doc["totalResults"] == 0

    # The same person provisioned again: the same account comes back, relinked and rehired.
    body = entra_user("kurt.godel@acme.com.hk")
    del body["active"]  # active unless said otherwise
    back = scim.post("/Users", body)
    assert back.status_code == 201 and back.doc["id"] == user_id and back.doc["active"] is True
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE
    assert SourceLink.objects.for_tenant(company.tenant).get(member=member).situation == "linked"


def test_entra_groups_create_add_remove_and_rename(company: Company, scim: ScimClient) -> None:
    ada = scim.post("/Users", entra_user("ada.lovelace@acme.com.hk")).doc["id"]
    grace = scim.post(
        "/Users", entra_user("grace.hopper@acme.com.hk", **{ENTERPRISE: {"department": "Finance"}})
    ).doc["id"]

    looked = scim.get('/Groups?excludedAttributes=members&filter=displayName eq "Engineering"')
    assert looked.status_code == 200 and looked.doc["totalResults"] == 0
    created = scim.post(
        "/Groups",
        {
            "schemas": [CORE_GROUP],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "Engineering",
            "meta": {"resourceType": "Group"},
        },
    )
    assert created.status_code == 201, created.content
    group = Group.model_validate(created.doc, scim_ctx=RESPONSE)
    assert group.display_name == "Engineering" and group.external_id == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    assert created.doc["members"] == []
    group_id = created.doc["id"]
    by_external = scim.get(
        '/Groups?filter=externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"&excludedAttributes=members'
    )
    assert [g["id"] for g in by_external.doc["Resources"]] == [group_id]
    assert "members" not in by_external.doc["Resources"][0]

    added = scim.patch(
        f"/Groups/{group_id}",
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": ada}, {"value": grace}]},
    )
    assert added.status_code == 204, added.content
    members = scim.get(f"/Groups/{group_id}").doc["members"]
    assert sorted(m["value"] for m in members) == sorted([ada, grace])
    assert scim.get(f"/Users/{ada}").doc[ENTERPRISE]["department"] == "Engineering"  # had none: primary
    assert scim.get(f"/Users/{grace}").doc[ENTERPRISE]["department"] == "Finance"  # keeps her primary

    removed = scim.patch(f"/Groups/{group_id}", {"op": "Remove", "path": f'members[value eq "{ada}"]'})
    assert removed.status_code == 204
    also = scim.patch(f"/Groups/{group_id}", {"op": "Remove", "path": "members", "value": [{"value": grace}]})
    assert also.status_code == 204
    assert scim.get(f"/Groups/{group_id}").doc["members"] == []
    assert "department" not in scim.get(f"/Users/{ada}").doc.get(ENTERPRISE, {})

    renamed = scim.patch(
        f"/Groups/{group_id}", {"op": "Replace", "path": "displayName", "value": "Platform Engineering"}
    )
    assert renamed.status_code == 204
    assert (
        scim.get(f"/Groups/{group_id}?excludedAttributes=members").doc["displayName"]
        == "Platform Engineering"
    )
    assert scim.get('/Groups?filter=displayName eq "platform engineering"').doc["totalResults"] == 1

    assert scim.delete(f"/Groups/{group_id}").status_code == 204  # empty: removed through the directory
    assert scim.get(f"/Groups/{group_id}").status_code == 404
