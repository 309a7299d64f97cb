"""The inventory, systems, processors and data-location record, and each compliance check computed from
them: not applicable with nothing of that kind, a gap with a precise summary, met once fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from harbour.core.compliance import Status, checks_for
from harbour.pdpo import actions
from harbour.pdpo.compliance_checks import CHECKS
from harbour.pdpo.models import DataCategory, MonitoringAssessment
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.pdpo import builders

pytestmark = pytest.mark.django_db

RULES = {
    "PDPO-DPP1-PURPOSE", "PDPO-DPP1-PICS", "HR-EMPLOYEE-PICS", "PDPO-DPP5-OPENNESS", "PDPO-DPP3-USE",
    "PDPO-DPP4-SECURITY", "XB-TIA", "XB-RMC-2022", "XB-GBA", "PDPO-DPP2-PROCESSOR", "PDPO-DPP4-PROCESSOR",
    "PDPO-ROLE-DATAUSER", "MON-3A", "MON-COVERT", "MON-BIOMETRIC", "DT-ENTITY", "XB-S33-STATUS",
    "PDPO-DPP1-MEANS",
}  # fmt: skip


def _status(company: Company, rule: str) -> tuple[Status, str]:
    finding = CHECKS[rule](company.tenant.pk)
    return finding.status, finding.summary


def test_every_rule_has_a_registered_check() -> None:
    assert set(CHECKS) == RULES
    for rule in RULES:
        assert CHECKS[rule] in checks_for(rule)


def test_category_needs_a_purpose_and_refusal_changes_nothing(admin_api: ApiClient, company: Company) -> None:
    good = {
        "name": "Attendance",
        "data_fields": ["clock-in time", "geofence yes/no"],
        "purposes": ["attendance"],
        "channel": "app",
        "obligatory": True,
        "storage_location": "DingTalk",
        "origin": "hk",
        "sensitivity": "normal",
    }
    assert_problem(admin_api.post("/pdpo/inventory", {**good, "purposes": []}), 422, "purposes")
    assert_problem(admin_api.post("/pdpo/inventory", {**good, "purposes": ["  "]}), 422, "purposes")
    assert_problem(admin_api.post("/pdpo/inventory", {**good, "channel": "covert"}), 422, "channel")
    assert_problem(admin_api.post("/pdpo/inventory", {**good, "bogus": 1}), 422, "bogus")
    assert not DataCategory.objects.for_tenant(company.tenant).exists()
    made = body(admin_api.post("/pdpo/inventory", good))
    assert_problem(admin_api.patch(f"/pdpo/inventory/{made['id']}", {"purposes": []}), 422, "purposes")
    assert DataCategory.objects.for_tenant(company.tenant).get().purposes == ["attendance"]
    assert_problem(admin_api.post("/pdpo/inventory", good), 409, "name")


def test_purpose_and_security_checks(company: Company) -> None:
    status, summary = _status(company, "PDPO-DPP1-PURPOSE")
    assert status == Status.GAP and "inventory is empty" in summary
    assert _status(company, "PDPO-DPP4-SECURITY")[0] == Status.NOT_APPLICABLE
    builders.system(company, "Payroll", complete=False)
    builders.category(company, system_ids=[])
    assert _status(company, "PDPO-DPP1-PURPOSE")[0] == Status.MET
    status, summary = _status(company, "PDPO-DPP4-SECURITY")
    assert status == Status.GAP
    assert "Payroll (2 of 5 missing)" in summary and "Staff records" in summary
    payroll = builders.system(company, "Payroll")
    actions.save_system(company.system, payroll, staff_integrity="Vetted", secure_transmission="TLS")
    actions.save_category(company.system, builders.category(company), system_ids=[payroll.pk])
    assert _status(company, "PDPO-DPP4-SECURITY")[0] == Status.MET


def test_pics_and_pps_checks(company: Company) -> None:
    assert _status(company, "PDPO-DPP1-PICS")[0] == Status.GAP
    assert _status(company, "PDPO-DPP5-OPENNESS") == (Status.GAP, "No Privacy Policy Statement is published")
    notice = builders.notice(company)
    builders.notice(company, "pps")
    assert _status(company, "PDPO-DPP5-OPENNESS")[0] == Status.MET
    status, summary = _status(company, "HR-EMPLOYEE-PICS")
    assert status == Status.GAP and summary.startswith("4 of 4 active employees")
    from harbour.directory.models import Member

    for member in Member.objects.for_tenant(company.tenant):
        actions.record_own_pics_view(member, notice)
    assert _status(company, "HR-EMPLOYEE-PICS")[0] == Status.MET
    assert _status(company, "PDPO-DPP1-PICS")[0] == Status.MET


def test_consent_check(company: Company) -> None:
    assert _status(company, "PDPO-DPP3-USE")[0] == Status.NOT_APPLICABLE
    actions.record_consent(
        company.system, person_name="Client", purpose="Newsletter", action="grant", channel="other"
    )
    status, summary = _status(company, "PDPO-DPP3-USE")
    assert status == Status.GAP and summary.startswith("1 consents")
    actions.record_consent(
        company.system, person_name="Client", purpose="Newsletter", action="withdraw", channel="email"
    )
    actions.record_consent(
        company.system, person_name="Other", purpose="Newsletter", action="grant", channel="written"
    )
    # the vague grant stays in the ledger as evidence: still a gap until it is explained
    assert _status(company, "PDPO-DPP3-USE")[0] == Status.GAP


def test_transfer_checks(company: Company, today_is: Callable[[dt.date], None]) -> None:
    assert _status(company, "XB-TIA")[0] == Status.NOT_APPLICABLE
    assert _status(company, "XB-RMC-2022")[0] == Status.NOT_APPLICABLE
    tia = builders.tia(company)
    status, summary = _status(company, "XB-TIA")
    assert status == Status.GAP and "no transfer impact assessment is approved" in summary
    assert _status(company, "XB-RMC-2022")[0] == Status.MET
    actions.save_tia(company.system, tia, clause_audit=False, clause_cooperation=False)
    status, summary = _status(company, "XB-RMC-2022")
    assert status == Status.GAP and "audit/inspection, compliance cooperation" in summary
    assert company.admin is not None
    actions.approve_tia(company.admin, tia)
    assert _status(company, "XB-TIA")[0] == Status.MET
    today_is(tia.review_on + dt.timedelta(days=1))
    status, summary = _status(company, "XB-TIA")
    assert status == Status.GAP and "past their review date: DingTalk transfer" in summary


def test_gba_check(company: Company, today_is: Callable[[dt.date], None]) -> None:
    assert _status(company, "XB-GBA")[0] == Status.NOT_APPLICABLE
    contract = builders.gba(company)
    today_is(dt.date(2027, 1, 20))
    actions.save_gba(company.system, contract, effective_on=dt.date(2026, 12, 24))
    status, summary = _status(company, "XB-GBA")
    assert status == Status.GAP and "Shenzhen Logistics Ltd (2027-01-11)" in summary
    actions.save_gba(company.system, contract, filed_on=dt.date(2027, 1, 8))
    assert _status(company, "XB-GBA")[0] == Status.MET


def test_processor_clause_gaps(admin_api: ApiClient, company: Company) -> None:
    assert _status(company, "PDPO-DPP2-PROCESSOR")[0] == Status.NOT_APPLICABLE
    made = body(admin_api.post("/pdpo/processors", {"vendor": "DingTalk", "clause_security": True}))
    assert made["role"] == "processor"  # the default
    assert made["gaps"] == [
        "clause_retention",
        "clause_return_delete",
        "clause_breach_notice",
        "clause_audit",
        "clause_subprocessors",
    ]
    status, summary = _status(company, "PDPO-DPP2-PROCESSOR")
    assert (status, summary) == (
        Status.GAP,
        "DingTalk: missing contract id, retention period limit, return or delete on termination",
    )
    status, summary = _status(company, "PDPO-DPP4-PROCESSOR")
    assert summary == "DingTalk: missing breach notification, audit rights, sub-processor limits"
    admin_api.patch(
        f"/pdpo/processors/{made['id']}",
        {
            "contract_id": "DT-1",
            "clause_retention": True,
            "clause_return_delete": True,
            "clause_breach_notice": True,
            "clause_audit": True,
            "clause_subprocessors": True,
        },
    )
    assert _status(company, "PDPO-DPP2-PROCESSOR")[0] == Status.MET
    assert _status(company, "PDPO-DPP4-PROCESSOR")[0] == Status.MET
    assert_problem(admin_api.post("/pdpo/processors", {"vendor": "dingtalk"}), 409, "vendor")
    assert_problem(admin_api.post("/pdpo/processors", {"vendor": "X", "role": "controller"}), 422, "role")


def test_vendor_role_and_entity_checks(admin_api: ApiClient, company: Company) -> None:
    assert _status(company, "PDPO-ROLE-DATAUSER")[0] == Status.NOT_APPLICABLE
    status, summary = _status(company, "DT-ENTITY")
    assert status == Status.GAP and "No data-location record" in summary
    location = {
        "registration_location": "Hong Kong",
        "storage_regions": ["Singapore"],
        "dingtalk_entity": "singapore",
    }
    assert_problem(admin_api.request("put", "/pdpo/location", location), 422, "data_region")
    saved = body(admin_api.request("put", "/pdpo/location", {**location, "data_region": "Singapore"}))
    assert saved["recorded"] is True and saved["s33_in_force"] is False
    assert _status(company, "DT-ENTITY")[0] == Status.MET
    status, summary = _status(company, "PDPO-ROLE-DATAUSER")
    assert status == Status.GAP and "DingTalk is not in the processor register" in summary
    builders.processor(company)
    assert _status(company, "PDPO-ROLE-DATAUSER")[0] == Status.MET
    status, summary = _status(company, "XB-S33-STATUS")
    assert status == Status.MET and "not in force" in summary


def test_monitoring_checks(company: Company, today_is: Callable[[dt.date], None]) -> None:
    for rule in ("MON-3A", "MON-COVERT", "MON-BIOMETRIC"):
        assert _status(company, rule)[0] == Status.NOT_APPLICABLE
    draft = builders.monitoring(company)
    status, summary = _status(company, "MON-3A")
    assert (
        status == Status.GAP
        and "1 of 1 monitoring assessments are not approved: Location attendance" in summary
    )
    assert company.admin is not None
    actions.approve_monitoring(company.admin, draft)
    assert _status(company, "MON-3A")[0] == Status.MET
    biometric = actions.save_monitoring(
        company.system, **{**builders.MONITORING_ANSWERS, "feature": "biometric_attendance", "opt_in": True,
                           "alternative_method": "card"}
    )  # fmt: skip
    assert _status(company, "MON-BIOMETRIC")[0] == Status.GAP
    actions.approve_monitoring(company.admin, biometric)
    assert _status(company, "MON-BIOMETRIC")[0] == Status.MET
    covert = actions.save_monitoring(
        company.system, **{**builders.MONITORING_ANSWERS, "feature": "chat_audit", "covert": True,
                           "covert_justification": "suspected fraud", "covert_until": dt.date(2099, 1, 31),
                           "covert_approver_id": company.admin.pk}
    )  # fmt: skip
    assert _status(company, "MON-COVERT")[0] == Status.GAP
    actions.approve_monitoring(company.admin, covert)
    assert _status(company, "MON-COVERT")[0] == Status.MET
    today_is(dt.date(2099, 2, 1))
    status, summary = _status(company, "MON-COVERT")
    assert status == Status.GAP and "past its end date 2099-01-31" in summary
    assert MonitoringAssessment.objects.for_tenant(company.tenant).count() == 3


def test_other_company_sees_none_of_the_register(company: Company, other_company: Company) -> None:
    builders.category(company)
    builders.processor(company)
    assert other_company.admin is not None
    other = api_as(other_company.admin)
    assert body(other.get("/pdpo/inventory")) == []
    assert body(other.get("/pdpo/processors")) == []
    category = builders.category(company)
    assert_problem(other.patch(f"/pdpo/inventory/{category.pk}", {"name": "Taken"}), 404)
    assert DataCategory.objects.for_tenant(company.tenant).get().name == "Staff records"


def test_collection_means_names_every_channel(company: Company) -> None:
    assert _status(company, "PDPO-DPP1-MEANS")[0] == Status.GAP  # members, but no inventory
    builders.category(company, system_ids=[])
    status, summary = _status(company, "PDPO-DPP1-MEANS")
    assert status == Status.MET and "Form filled in by the person 1" in summary
    builders.category(company, "Visitor log", system_ids=[], channel="other")
    status, summary = _status(company, "PDPO-DPP1-MEANS")
    assert status == Status.GAP and "Visitor log" in summary
