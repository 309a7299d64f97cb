"""Publishing a policy version through the API: who is asked, acknowledging, a new version restarting the
count, refused input changing nothing, permissions and the wall between companies."""

from __future__ import annotations

from harbour.audit.models import AuditEvent
from harbour.directory import actions as directory
from harbour.directory.models import BuiltinRole, MemberState
from harbour.policies.models import Acknowledgement, PolicyDocument, PolicyVersion, VersionState
from harbour.policies.queries import members_in_scope, pending_for, progress_of
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company, make_member
from tests.policies.conftest import TEXT, conduct_draft, publish, published_conduct


def _names(version: PolicyVersion) -> set[str]:
    return {m.name for m in members_in_scope(version)}


def test_publishing_to_everyone_asks_active_and_invited_accounts_but_not_suspended_or_deactivated(
    company: Company, admin_api: ApiClient
) -> None:
    invited = make_member(
        company, name="Ivan Invited", email="ivan@acme.com.hk", state=MemberState.INVITED, with_login=False
    )
    suspended = make_member(company, name="Sam Suspended", email="sam@acme.com.hk")
    directory.suspend_member(company.system, suspended, reason="leave")
    gone = make_member(company, name="Dora Departed", email="dora@acme.com.hk")
    directory.deactivate_member(company.system, gone, reason="left")
    draft = admin_api.post("/policies", {"kind": "conduct", "name": "Conduct"})
    assert draft.status_code == 201
    document_id = body(draft)["id"]
    version = body(admin_api.post(f"/policies/{document_id}/versions", TEXT))
    assert version["number"] == 1 and version["state"] == "draft"

    response = admin_api.post(f"/policies/versions/{version['id']}/publish", {"deadline_days": 10})

    assert response.status_code == 200, response.content
    out = body(response)
    assert out["state"] == "published" and out["deadline_days"] == 10 and out["scope_all"] is True
    assert out["progress"] == {"in_scope": 5, "acknowledged": 0, "outstanding": 5, "overdue": 0}
    found = PolicyVersion.objects.for_tenant(company.tenant).get(pk=version["id"])
    assert _names(found) == {"Ada Admin", "Fiona Finance", "Gary General", "Helen HR", invited.name}
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="policy.version_published")
    assert event.data["members_in_scope"] == 5


def test_publishing_to_a_department_asks_its_whole_subtree_only(company: Company) -> None:
    version = published_conduct(company, scope_all=False, department_ids=[company.departments["finance"].pk])
    # Fiona sits in Finance, Gary in Accounts Payable under it; Ada and Helen are in Human Resources
    assert _names(version) == {"Fiona Finance", "Gary General"}
    assert version.scope_departments == [{"id": str(company.departments["finance"].pk), "name": "Finance"}]


def test_a_member_acknowledges_with_time_address_and_browser_once(company: Company) -> None:
    version = published_conduct(company)
    assert company.member is not None
    gary = api_as(company.member, issued_by=company.system)
    gary.client.defaults["HTTP_USER_AGENT"] = "Harbour tests browser"
    pending = body(gary.get("/policies/mine/pending"))
    assert [(p["version_id"], p["title"]) for p in pending] == [(str(version.pk), "Employee Conduct Policy")]

    response = gary.post(f"/policies/versions/{version.pk}/acknowledge")

    assert response.status_code == 200, response.content
    out = body(response)
    assert out["member_name"] == "Gary General" and out["ip_address"] == "127.0.0.1"
    assert out["user_agent"] == "Harbour tests browser"
    assert body(gary.get("/policies/mine/pending")) == []
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="policy.acknowledged")
    assert event.actor_id == company.member.pk and event.target_id == str(version.pk)
    assert progress_of(version).acknowledged == 1
    # a second time is refused and changes nothing
    again = gary.post(f"/policies/versions/{version.pk}/acknowledge")
    assert_problem(again, 409, "version_id")
    assert Acknowledgement.objects.for_tenant(company.tenant).count() == 1


def test_an_acknowledgement_can_be_neither_changed_nor_deleted(company: Company) -> None:
    version = published_conduct(company)
    assert company.member is not None
    from harbour.policies.actions import acknowledge

    ack = acknowledge(company.member, version)
    ack.user_agent = "forged"
    try:
        ack.save()
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("an acknowledgement was changed")
    try:
        ack.delete()
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("an acknowledgement was deleted")
    assert Acknowledgement.objects.for_tenant(company.tenant).get().user_agent == ""


def test_a_new_version_supersedes_the_old_and_everyone_acknowledges_again(
    company: Company, admin_api: ApiClient
) -> None:
    v1 = published_conduct(company)
    assert company.member is not None and company.admin is not None
    gary = api_as(company.member, issued_by=company.system)
    assert gary.post(f"/policies/versions/{v1.pk}/acknowledge").status_code == 200

    drafted = admin_api.post(
        f"/policies/{v1.document_id}/versions", {"change_summary": "Section 2 clarified"}
    )
    assert drafted.status_code == 201
    v2 = body(drafted)
    # the new draft starts from the current text
    assert (
        v2["number"] == 2
        and v2["body_en"] == TEXT["body_en"].strip()
        and v2["change_summary"] == "Section 2 clarified"
    )
    assert admin_api.post(f"/policies/versions/{v2['id']}/publish", {}).status_code == 200

    v1.refresh_from_db()
    assert v1.state == VersionState.SUPERSEDED and v1.superseded_at is not None
    assert body(admin_api.get(f"/policies/versions/{v2['id']}"))["progress"]["acknowledged"] == 0
    assert [p.version.number for p in pending_for(company.member)] == [2]
    # the old one cannot be acknowledged any more; the acknowledgement of v1 stays as evidence
    assert_problem(gary.post(f"/policies/versions/{v1.pk}/acknowledge"), 409, "version_id")
    assert len(body(admin_api.get(f"/policies/versions/{v1.pk}/acknowledgements"))) == 1
    assert gary.post(f"/policies/versions/{v2['id']}/acknowledge").status_code == 200


def test_refused_input_names_the_field_and_changes_nothing(company: Company, admin_api: ApiClient) -> None:
    draft = conduct_draft(company, body_zh="  ")
    path = f"/policies/versions/{draft.pk}/publish"
    before = AuditEvent.objects.for_tenant(company.tenant).count()

    assert_problem(admin_api.post(path, {}), 422, "body_zh")
    assert_problem(
        admin_api.patch(f"/policies/versions/{draft.pk}", {"title_en": "x" * 201}), 422, "title_en"
    )
    admin_api.patch(f"/policies/versions/{draft.pk}", {"body_zh": "## 規則"})
    before = AuditEvent.objects.for_tenant(company.tenant).count()
    for days in (0, 91, -3):
        assert_problem(admin_api.post(path, {"deadline_days": days}), 422, "deadline_days")
    assert_problem(admin_api.post(path, {"scope_all": False}), 422, "department_ids")
    assert_problem(
        admin_api.post(path, {"scope_all": False, "department_ids": ["nope"]}), 422, "department_ids"
    )
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT and draft.published_at is None
    assert AuditEvent.objects.for_tenant(company.tenant).count() == before

    assert admin_api.post(path, {"deadline_days": 90}).status_code == 200
    assert_problem(admin_api.post(path, {}), 409, "state")
    assert_problem(admin_api.patch(f"/policies/versions/{draft.pk}", {"title_en": "Changed"}), 409, "state")
    assert_problem(admin_api.post("/policies", {"kind": "conduct", "name": "Second"}), 409, "kind")
    assert_problem(admin_api.post("/policies", {"kind": "rules", "name": "Odd"}), 422, "kind")
    assert_problem(admin_api.post("/policies", {"kind": "other", "name": " "}), 422, "name")
    assert admin_api.post(f"/policies/{draft.document_id}/versions", {}).status_code == 201
    assert_problem(admin_api.post(f"/policies/{draft.document_id}/versions", {}), 409, "document_id")
    assert PolicyDocument.objects.for_tenant(company.tenant).count() == 1


def test_members_outside_the_scope_cannot_acknowledge(company: Company) -> None:
    version = published_conduct(company, scope_all=False, department_ids=[company.departments["finance"].pk])
    assert company.outsider is not None
    helen = api_as(company.outsider, issued_by=company.system)
    assert body(helen.get("/policies/mine/pending")) == []
    assert_problem(helen.post(f"/policies/versions/{version.pk}/acknowledge"), 404, "version_id")
    assert Acknowledgement.objects.for_tenant(company.tenant).count() == 0


def test_drafts_cannot_be_acknowledged(company: Company) -> None:
    draft = conduct_draft(company)
    assert company.member is not None
    gary = api_as(company.member, issued_by=company.system)
    assert_problem(gary.post(f"/policies/versions/{draft.pk}/acknowledge"), 404, "version_id")


def test_only_holders_of_the_policy_permissions_manage_or_see_progress(company: Company) -> None:
    version = published_conduct(company)
    admin_role = company.roles[BuiltinRole.ADMINISTRATOR]
    assert {"policy.view", "policy.manage"} <= set(admin_role.permissions)
    assert company.member is not None
    gary = api_as(company.member, issued_by=company.system)
    assert gary.get("/policies").status_code in (403, 404)
    assert gary.post("/policies", {"kind": "other", "name": "Mine"}).status_code in (403, 404)
    assert_problem(gary.get(f"/policies/versions/{version.pk}"), 404)
    assert_problem(gary.get(f"/policies/versions/{version.pk}/outstanding"), 404)
    assert_problem(gary.post(f"/policies/versions/{version.pk}/publish", {}), 404)
    assert PolicyDocument.objects.for_tenant(company.tenant).count() == 1


def test_another_company_sees_nothing_of_the_first(company: Company, other_company: Company) -> None:
    version = published_conduct(company)
    assert other_company.admin is not None and other_company.member is not None
    other_admin = api_as(other_company.admin)
    assert body(other_admin.get("/policies")) == []
    assert_problem(other_admin.get(f"/policies/versions/{version.pk}"), 404)
    assert_problem(other_admin.get(f"/policies/{version.document_id}"), 404)
    other_member = api_as(other_company.member, issued_by=other_company.system)
    assert body(other_member.get("/policies/mine/pending")) == []
    assert_problem(other_member.post(f"/policies/versions/{version.pk}/acknowledge"), 404, "version_id")
    assert {m.tenant_id for m in members_in_scope(version)} == {company.tenant.pk}


def test_outstanding_lists_by_department_and_overdue(company: Company, admin_api: ApiClient) -> None:
    version = published_conduct(company)
    assert company.admin is not None
    from harbour.policies.actions import acknowledge

    acknowledge(company.admin, version)
    everyone = body(admin_api.get(f"/policies/versions/{version.pk}/outstanding"))
    assert [row["name"] for row in everyone] == ["Fiona Finance", "Gary General", "Helen HR"]
    finance = body(
        admin_api.get(
            f"/policies/versions/{version.pk}/outstanding",
            department_id=str(company.departments["finance"].pk),
        )
    )
    assert [row["name"] for row in finance] == ["Fiona Finance", "Gary General"]
    assert body(admin_api.get(f"/policies/versions/{version.pk}/outstanding", overdue="true")) == []
    assert_problem(
        admin_api.get(f"/policies/versions/{version.pk}/outstanding", department_id="nope"),
        422,
        "department_id",
    )
    acks = body(admin_api.get(f"/policies/versions/{version.pk}/acknowledgements"))
    assert [a["member_name"] for a in acks] == ["Ada Admin"]


def test_the_default_conduct_policy_is_drafted_in_both_languages(
    company: Company, admin_api: ApiClient
) -> None:
    response = admin_api.post("/policies/default-conduct")
    assert response.status_code == 201, response.content
    draft = body(response)
    assert draft["state"] == "draft" and draft["title_en"] and draft["title_zh"]
    for phrase in ("personal devices", "company-registered", "plugins", "assets", "24 hours", "successor"):
        assert phrase in draft["body_en"], phrase
    for phrase in ("個人裝置", "24 小時", "公司資產", "接任人"):
        assert phrase in draft["body_zh"], phrase
    assert_problem(admin_api.post("/policies/default-conduct"), 409, "kind")
    assert publish(company, PolicyVersion.objects.for_tenant(company.tenant).get()).state == "published"
