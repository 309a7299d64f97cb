"""Transfer impact and monitoring assessments: required answers, approval by someone other than the
author, reviews falling due, covert and biometric conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from harbour.directory import actions as directory
from harbour.directory.models import Member, RoleGrant
from harbour.pdpo.models import MonitoringAssessment, TransferAssessment
from harbour.pdpo.working_days import add_working_days
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company, make_member
from tests.pdpo.builders import MONITORING_ANSWERS, TIA_ANSWERS

pytestmark = pytest.mark.django_db

REVIEW = "2027-11-30"


def _tia(api: ApiClient, **extra: object) -> dict[str, object]:
    response = api.post("/pdpo/tias", {**TIA_ANSWERS, "title": "DingTalk", "review_on": REVIEW, **extra})
    assert response.status_code == 201, response.content
    made: dict[str, object] = body(response)
    return made


def test_each_of_the_six_items_is_required(admin_api: ApiClient, company: Company) -> None:
    for item in (
        "processing_purpose",
        "data_scale",
        "recipient_capacity",
        "post_transfer_risk",
        "destination_law",
        "other_factors",
    ):
        response = admin_api.post(
            "/pdpo/tias", {**TIA_ANSWERS, item: "  ", "title": "T", "review_on": REVIEW}
        )
        assert_problem(response, 422, item)
    assert not TransferAssessment.objects.for_tenant(company.tenant).exists()


def test_author_cannot_approve_their_own_assessment(
    admin_api: ApiClient, approver_api: ApiClient, approver: Member, company: Company
) -> None:
    made = _tia(admin_api)
    assert made["author_id"] == str(company.admin.pk)  # type: ignore[union-attr]
    assert_problem(admin_api.post(f"/pdpo/tias/{made['id']}/approve", {}), 409, "approver")
    assert TransferAssessment.objects.for_tenant(company.tenant).get(pk=made["id"]).state == "draft"

    approved = body(approver_api.post(f"/pdpo/tias/{made['id']}/approve", {}))
    assert approved["state"] == "approved"
    assert approved["approver_id"] == str(approver.pk)
    assert approved["approved_on"] is not None


def test_approval_needs_the_approve_permission(admin_api: ApiClient, company: Company) -> None:
    role = directory.create_role(
        company.system, name="Privacy clerk", permissions=["pdpo.view", "pdpo.manage"]
    )
    assert company.admin is not None
    domain = company.admin.email.split("@")[1]
    clerk = make_member(company, name="Carl Clerk", email=f"carl@{domain}", role=None)
    RoleGrant.objects.create(tenant=company.tenant, member=clerk, role=role)
    clerk.forget_access()
    made = _tia(admin_api)
    response = api_as(clerk, issued_by=company.system).post(f"/pdpo/tias/{made['id']}/approve", {})
    assert response.status_code == 403
    assert TransferAssessment.objects.for_tenant(company.tenant).get(pk=made["id"]).state == "draft"


def test_approved_assessment_past_its_review_date_is_due(
    admin_api: ApiClient, approver_api: ApiClient, today_is: Callable[[dt.date], None]
) -> None:
    made = _tia(admin_api)
    approver_api.post(f"/pdpo/tias/{made['id']}/approve", {})
    assert body(admin_api.get("/pdpo/tias"))[0]["review_due"] is False
    today_is(dt.date(2027, 11, 30))
    assert body(admin_api.get("/pdpo/tias"))[0]["review_due"] is False  # due on the day, not yet past it
    today_is(dt.date(2027, 12, 1))
    assert body(admin_api.get("/pdpo/tias"))[0]["review_due"] is True


def test_changing_an_approved_assessment_needs_a_new_approval(
    admin_api: ApiClient, approver_api: ApiClient
) -> None:
    made = _tia(admin_api)
    approver_api.post(f"/pdpo/tias/{made['id']}/approve", {})
    changed = body(admin_api.patch(f"/pdpo/tias/{made['id']}", {"risk": "high"}))
    assert changed["state"] == "draft" and changed["approver_id"] is None


def test_clause_set_and_four_extra_clauses_recorded(admin_api: ApiClient) -> None:
    made = _tia(admin_api, clause_set="u2u", clause_audit=False)
    assert made["clause_set"] == "u2u" and made["clause_audit"] is False and made["clause_reporting"] is True


def test_monitoring_three_as_are_required(admin_api: ApiClient, company: Company) -> None:
    for answer in ("assessment", "alternatives", "accountability"):
        assert_problem(admin_api.post("/pdpo/monitoring", {**MONITORING_ANSWERS, answer: ""}), 422, answer)
    made = body(admin_api.post("/pdpo/monitoring", {**MONITORING_ANSWERS, "clarity": "", "control": ""}))
    assert made["missing_cs"] == ["clarity", "control"]


def test_covert_monitoring_needs_justification_time_limit_and_named_approver(
    admin_api: ApiClient, approver_api: ApiClient, approver: Member, company: Company
) -> None:
    covert = {**MONITORING_ANSWERS, "feature": "chat_audit", "covert": True}
    assert_problem(admin_api.post("/pdpo/monitoring", covert), 422, "covert_justification")
    covert["covert_justification"] = "Suspected leak of client lists by one team; no other way to confirm."
    assert_problem(admin_api.post("/pdpo/monitoring", covert), 422, "covert_until")
    covert["covert_until"] = add_working_days(dt.date.today(), 20).isoformat()
    assert_problem(admin_api.post("/pdpo/monitoring", covert), 422, "covert_approver_id")
    assert company.member is not None
    covert["covert_approver_id"] = str(company.member.pk)  # holds no approve permission
    assert_problem(admin_api.post("/pdpo/monitoring", covert), 422, "covert_approver_id")
    assert not MonitoringAssessment.objects.for_tenant(company.tenant).exists()
    covert["covert_approver_id"] = str(approver.pk)
    made = body(admin_api.post("/pdpo/monitoring", covert))
    assert_problem(
        admin_api.post(f"/pdpo/monitoring/{made['id']}/approve", {}), 409, "approver"
    )  # the author
    assert body(approver_api.post(f"/pdpo/monitoring/{made['id']}/approve", {}))["state"] == "approved"


def test_biometric_attendance_needs_opt_in_and_an_alternative(admin_api: ApiClient) -> None:
    biometric = {**MONITORING_ANSWERS, "feature": "biometric_attendance"}
    assert_problem(admin_api.post("/pdpo/monitoring", biometric), 422, "opt_in")
    biometric["opt_in"] = True
    assert_problem(admin_api.post("/pdpo/monitoring", biometric), 422, "alternative_method")
    biometric["alternative_method"] = "Staff card at the door reader"
    assert admin_api.post("/pdpo/monitoring", biometric).status_code == 201
