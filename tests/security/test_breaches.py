"""Personal-data breaches on the incident register: the PCPD's five steps in order with their required fields,
the notification decision's rationale, closing only after step 5, the four-part PCPD form (HTML, JSON, PDF),
the Cap. 653 report clock (12 h / 48 h), the proposed 5-business-day clock (only when switched on), the
overdue alerts, the compliance checks, permissions and other companies seeing nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from harbour.audit.models import AuditEvent
from harbour.core.compliance import Status, checks_for
from harbour.core.errors import Conflict, Forbidden, Invalid, NotFound
from harbour.core.time import HONG_KONG, now
from harbour.security import breaches, incidents
from harbour.security.incident_clock import (
    ci_clock_of,
    hong_kong_business_days_after,
    pcpd_clock_of,
    proposed_pcpd_deadline,
)
from harbour.security.models import BreachStep, Incident, IncidentState
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company, make_member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _breach(company: Company, title: str = "Laptop with an attendance export lost") -> Incident:
    return breaches.open_breach(company.system, severity="high", title=title)


def _gather(company: Company, incident: Incident) -> Incident:
    return breaches.gather_information(
        company.system,
        incident,
        occurred_at=now() - dt.timedelta(hours=3),
        how="A laptop was left on a minibus.",
        data_kinds=["identity", "employment"],
        affected_estimate=240,
        systems="Attendance export (CSV)",
    )


def _contain(company: Company, incident: Incident) -> Incident:
    return breaches.contain_breach(
        company.system, incident, actions="Remote wipe sent; disk encrypted.", contained_at=now()
    )


def _assess(company: Company, incident: Incident, likelihood: int = 2, severity: int = 3) -> Incident:
    return breaches.assess_risk(
        company.system,
        incident,
        likelihood=likelihood,
        severity=severity,
        harms=["identity_theft"],
        reasoning="HKID numbers of 240 staff.",
    )


def _decide(company: Company, incident: Incident, **values: Any) -> Incident:
    fields: dict[str, Any] = {
        "notify_pcpd": True,
        "notify_individuals": True,
        "notify_others": False,
        "rationale": "Real risk of identity theft.",
    }
    fields.update(values)
    return breaches.decide_notification(company.system, incident, **fields)


def _document(company: Company, incident: Incident) -> Incident:
    return breaches.document_breach(
        company.system,
        incident,
        facts="Laptop lost 3 hours before discovery.",
        containment="Wiped remotely.",
        remedial_actions="Exports now need approval; staff retrained.",
    )


def _rules(company: Company, *, ci: bool = False, proposal: bool = False) -> None:
    breaches.change_incident_rules(company.system, designated_ci_operator=ci, breach_notice_proposal=proposal)


# ------------------------------------------------------------------------------------------ the five steps
def test_steps_go_in_order_and_each_once(company: Company) -> None:
    incident = _breach(company)
    with pytest.raises(Conflict) as refused:
        _contain(company, incident)
    assert refused.value.field == "step"
    incident = _gather(company, incident)
    with pytest.raises(Conflict):
        _gather(company, incident)
    with pytest.raises(Conflict):
        _assess(company, incident)
    incident = _assess(company, _contain(company, incident))
    assert incident.breach_step == 3
    assert list(
        BreachStep.objects.for_tenant(company.tenant).filter(incident=incident).values_list("step", flat=True)
    ) == [
        1,
        2,
        3,
    ]


def test_a_step_needs_its_required_fields_and_nothing_changes(company: Company) -> None:
    incident = _breach(company)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"how": ""}, "how"),
        ({"data_kinds": []}, "data_kinds"),
        ({"data_kinds": ["shoe_size"]}, "data_kinds"),
        ({"affected_estimate": None}, "affected_estimate"),
        ({"affected_estimate": -1}, "affected_estimate"),
        ({"systems": " "}, "systems"),
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": now() + dt.timedelta(days=2)}, "occurred_at"),
    ]
    good: dict[str, Any] = {
        "occurred_at": now(),
        "how": "Lost laptop.",
        "data_kinds": ["identity"],
        "affected_estimate": 3,
        "systems": "Attendance",
    }
    for change, field in cases:
        with pytest.raises(Invalid) as refused:
            breaches.gather_information(company.system, incident, **{**good, **change})
        assert refused.value.field == field
    incident.refresh_from_db()
    assert incident.breach_step == 0
    assert not BreachStep.objects.for_tenant(company.tenant).exists()


def test_risk_is_likelihood_times_severity(company: Company) -> None:
    incident = _assess(
        company, _contain(company, _gather(company, _breach(company))), likelihood=3, severity=3
    )
    assert (incident.risk_score, incident.risk_level) == (9, "high")
    other = _assess(
        company, _contain(company, _gather(company, _breach(company, "b"))), likelihood=1, severity=2
    )
    assert (other.risk_score, other.risk_level) == (2, "low")
    with pytest.raises(Invalid) as refused:
        _assess(company, _contain(company, _gather(company, _breach(company, "c"))), likelihood=4)
    assert refused.value.field == "likelihood"


def test_the_notification_decision_needs_a_written_rationale(company: Company) -> None:
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    with pytest.raises(Invalid) as refused:
        _decide(company, incident, rationale="  ")
    assert refused.value.field == "rationale"
    with pytest.raises(Invalid) as refused:
        _decide(company, incident, notify_others=True, others="")
    assert refused.value.field == "others"
    with pytest.raises(Invalid) as refused:
        _decide(company, incident, notify_pcpd=None)
    assert refused.value.field == "notify_pcpd"
    incident = _decide(company, incident, notify_others=True, others="Hong Kong Police")
    decision = BreachStep.objects.for_tenant(company.tenant).get(incident=incident, step=4)
    assert decision.data["others"] == "Hong Kong Police" and decision.data["notify_pcpd"] is True


def test_a_breach_cannot_be_closed_before_step_5(company: Company) -> None:
    incident = _decide(company, _assess(company, _contain(company, _gather(company, _breach(company)))))
    incident = incidents.report_incident(company.system, incident, summary="Sent to compliance.")
    with pytest.raises(Conflict) as refused:
        incidents.resolve_incident(company.system, incident, resolution="Done.")
    assert refused.value.field == "breach_step"
    with pytest.raises(Conflict):
        incidents.dismiss_incident(company.system, incident, reason="Harmless.")
    incident = _document(company, incident)
    incident = incidents.resolve_incident(company.system, incident, resolution="Done.")
    assert incident.state == IncidentState.RESOLVED


def test_every_step_is_audited_with_its_data(company: Company) -> None:
    incident = _gather(company, _breach(company))
    events = AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind__startswith="breach.")
    assert list(events.order_by("seq").values_list("kind", flat=True)) == [
        "breach.marked",
        "breach.step_completed",
    ]
    assert events.get(kind="breach.step_completed").data["data"]["how"] == "A laptop was left on a minibus."
    assert incident.data_kinds == ["identity", "employment"]


# ------------------------------------------------------------------------------------------- the 24 h clock
def test_the_internal_24_hour_clock_still_applies_to_breaches(company: Company) -> None:
    incident = _breach(company)
    assert incident.report_due_at - incident.detected_at == dt.timedelta(hours=24)


# ------------------------------------------------------------------------------ critical infrastructure
def test_the_ci_flag_needs_a_designated_operator(company: Company) -> None:
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="SCADA down")
    with pytest.raises(Conflict) as refused:
        breaches.set_critical_system(
            company.system, incident, affects_critical_system=True, core_function_disrupted=True
        )
    assert refused.value.field == "designated_ci_operator"


@pytest.mark.parametrize(("core", "hours"), [(True, 12), (False, 48)])
def test_ci_clock_is_12_or_48_hours_and_overdue_from_the_deadline(
    company: Company, core: bool, hours: int
) -> None:
    _rules(company, ci=True)
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="SCADA down")
    incident = breaches.set_critical_system(
        company.system, incident, affects_critical_system=True, core_function_disrupted=core
    )
    due = incident.detected_at + dt.timedelta(hours=hours)
    assert incident.ci_report_due_at == due
    assert incident.report_due_at == incident.detected_at + dt.timedelta(
        hours=24
    )  # the internal clock beside it
    just_before = ci_clock_of(incident, due - dt.timedelta(seconds=1))
    at_deadline = ci_clock_of(incident, due)
    assert just_before is not None and not just_before.overdue
    assert at_deadline is not None and at_deadline.overdue


def test_ci_overdue_alerts_once_and_the_report_stops_the_clock(company: Company) -> None:
    _rules(company, ci=True)
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="SCADA down")
    incident = incidents.report_incident(company.system, incident, summary="Told compliance.")
    incident = breaches.set_critical_system(
        company.system, incident, affects_critical_system=True, core_function_disrupted=True
    )
    mail.outbox.clear()
    later = now() + dt.timedelta(hours=13)
    flagged = incidents.flag_overdue_incidents(company.system, at=later)  # type: ignore[arg-type]
    assert [i.pk for i in flagged] == [incident.pk]
    assert any("Commissioner" in m.subject for m in mail.outbox)
    assert incidents.flag_overdue_incidents(company.system, at=later) == []  # type: ignore[arg-type]
    incident = breaches.report_to_ci_commissioner(company.system, incident, summary="Phoned and emailed.")
    clock = ci_clock_of(incident)
    assert clock is not None and not clock.running
    assert checks_for("CI-CAP653")[0](company.tenant.pk).status == Status.MET  # reported inside the 12 hours


# --------------------------------------------------------------------------- proposed 5-business-day clock
def test_business_days_skip_weekends_and_hong_kong_public_holidays() -> None:
    # Mon 16 Feb 2026; Tue-Thu 17-19 Feb are the Lunar New Year holidays; Sat/Sun skipped:
    # Fri 20, Mon 23, Tue 24, Wed 25, Thu 26 (without the holidays it would be Mon 23).
    assert hong_kong_business_days_after(dt.date(2026, 2, 16), 5) == dt.date(2026, 2, 26)
    # a week without holidays: Mon 9 Mar → Mon 16 Mar
    assert hong_kong_business_days_after(dt.date(2026, 3, 9), 5) == dt.date(2026, 3, 16)
    aware = dt.datetime(2026, 2, 16, 10, 0, tzinfo=HONG_KONG)
    assert proposed_pcpd_deadline(aware) == dt.datetime(2026, 2, 27, 0, 0, tzinfo=HONG_KONG)


def test_the_proposed_clock_is_absent_while_switched_off(company: Company) -> None:
    incident = _assess(
        company, _contain(company, _gather(company, _breach(company))), likelihood=3, severity=3
    )
    assert incident.risk_level == "high"
    assert incident.pcpd_due_at is None and pcpd_clock_of(incident) is None
    assert checks_for("DBN-PROPOSALS")[0](company.tenant.pk).status == Status.NOT_APPLICABLE


def test_the_proposed_clock_runs_across_a_public_holiday_when_switched_on(company: Company) -> None:
    _rules(company, proposal=True)
    marked = dt.datetime(2026, 2, 16, 10, 0, tzinfo=HONG_KONG)
    with mock.patch("harbour.security.breaches.now", return_value=marked):
        incident = _breach(company)
    incident = _assess(company, _contain(company, _gather(company, incident)), likelihood=3, severity=2)
    assert incident.pcpd_due_at == dt.datetime(2026, 2, 27, 0, 0, tzinfo=HONG_KONG)
    low = _assess(
        company, _contain(company, _gather(company, _breach(company, "low"))), likelihood=1, severity=1
    )
    assert low.pcpd_due_at is None  # no real risk of significant harm: no clock
    _rules(company, proposal=False)
    incident.refresh_from_db()
    assert incident.pcpd_due_at is None  # switched off: gone from the deadlines


def test_the_proposed_clock_alerts_once_when_overdue(company: Company) -> None:
    _rules(company, proposal=True)
    incident = _assess(
        company, _contain(company, _gather(company, _breach(company))), likelihood=3, severity=3
    )
    incident = incidents.report_incident(company.system, incident, summary="Told compliance.")
    assert incident.pcpd_due_at is not None
    later = incident.pcpd_due_at + dt.timedelta(minutes=1)
    assert [i.pk for i in incidents.flag_overdue_incidents(company.system, at=later)] == [incident.pk]  # type: ignore[arg-type]
    assert incidents.flag_overdue_incidents(company.system, at=later) == []  # type: ignore[arg-type]
    assert AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind="breach.pcpd_overdue").count() == 1


# ------------------------------------------------------------------------------------------ the PCPD form
def test_the_pdf_form_has_the_four_parts(company: Company, admin_api: ApiClient) -> None:
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    response = admin_api.get(f"/security/incidents/{incident.pk}/breach/notification-form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for heading in (
        "Part 1: Data user's basic information",
        "Part 2: Contact person",
        "Part 3: Particulars of the data breach incident",
        "Part 4: Assessment and remedial actions",
    ):
        assert heading in text
    assert "240" in text and "A laptop was left on a minibus." in text
    assert AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind="breach.form_exported").count() == 1


def test_the_json_form_takes_the_company_and_asks_for_what_is_missing(
    company: Company, admin_api: ApiClient
) -> None:
    company.tenant.registered_name = "Acme Trading Limited"
    company.tenant.local_contact_address = ""
    company.tenant.save()
    incident = _gather(company, _breach(company))
    response = admin_api.get(f"/security/incidents/{incident.pk}/breach/notification-form")
    form = body(response)
    assert [p["number"] for p in form["parts"]] == [1, 2, 3, 4]
    assert form["parts"][0]["lines"][0]["value"] == "Acme Trading Limited"
    assert "Address" in form["missing"]
    filled = body(
        admin_api.get(
            f"/security/incidents/{incident.pk}/breach/notification-form",
            company_address="1 Queen's Road Central",
        )
    )
    assert "Address" not in filled["missing"]
    too_long = admin_api.get(
        f"/security/incidents/{incident.pk}/breach/notification-form", company_address="x" * 600
    )
    assert too_long.status_code in (400, 422)


def test_the_console_page_shows_the_tracker_and_the_form_page(company: Company, as_member: Any) -> None:
    assert company.admin is not None
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    client: Client = as_member(company.admin)
    page = client.get(f"/security/incidents/{incident.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Assess the risk of harm" in html and "Consider notification" in html
    assert f"/security/incidents/{incident.pk}/breach/decision/" in html
    listing = client.get("/security/incidents/?breach=yes&state=all").content.decode()
    assert incident.reference in listing
    assert incident.reference not in client.get("/security/incidents/?breach=no&state=all").content.decode()
    form_page = client.get(f"/security/incidents/{incident.pk}/notification-form/")
    assert form_page.status_code == 200 and "Part 4" in form_page.content.decode()


def test_console_decision_without_rationale_shows_the_error(company: Company, as_member: Any) -> None:
    assert company.admin is not None
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    client: Client = as_member(company.admin)
    response = client.post(
        f"/security/incidents/{incident.pk}/breach/decision/",
        {"notify_pcpd": "yes", "notify_individuals": "no", "notify_others": "no", "rationale": ""},
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.breach_step == 3


# ------------------------------------------------------------------------------------ API, permissions
def test_a_breach_handled_through_the_api(company: Company, admin_api: ApiClient) -> None:
    incident = incidents.open_incident(
        company.system, kind="other", severity="high", title="Misdirected email"
    )
    base = f"/security/incidents/{incident.pk}"
    marked = body(admin_api.post(f"{base}/breach", {"data_kinds": ["contact"]}))
    assert marked["is_breach"] and marked["breach"]["steps_completed"] == 0
    refused = admin_api.post(
        f"{base}/breach/contain", {"actions": "Recalled.", "contained_at": now().isoformat()}
    )
    assert_problem(refused, 409)
    steps = [
        (
            "gather",
            {
                "occurred_at": now().isoformat(),
                "how": "Sent to the wrong client.",
                "data_kinds": ["contact"],
                "affected_estimate": 12,
                "systems": "Email",
            },
        ),
        ("contain", {"actions": "Recalled; recipient deleted it.", "contained_at": now().isoformat()}),
        (
            "assess",
            {"likelihood": 1, "severity": 1, "harms": ["other"], "reasoning": "Names and emails only."},
        ),
        (
            "decision",
            {
                "notify_pcpd": False,
                "notify_individuals": True,
                "notify_others": False,
                "rationale": "Low risk; told the 12 clients.",
            },
        ),
        ("document", {"facts": "One email.", "containment": "Recalled.", "remedial_actions": "Delay send."}),
    ]
    for slug, payload in steps:
        response = admin_api.post(f"{base}/breach/{slug}", payload)
        assert response.status_code == 200, (slug, response.content)
    done = body(admin_api.get(base))
    assert done["breach"]["steps_completed"] == 5 and len(done["breach_steps"]) == 5
    assert done["breach"]["risk_level"] == "low"
    assert body(admin_api.get("/security/incidents", breach="true"))["items"][0]["id"] == str(incident.pk)


def test_bad_decision_input_names_the_field(company: Company, admin_api: ApiClient) -> None:
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    response = admin_api.post(
        f"/security/incidents/{incident.pk}/breach/decision",
        {
            "notify_pcpd": True,
            "notify_individuals": False,
            "notify_others": True,
            "rationale": "Police told.",
        },
    )
    assert_problem(response, 422, "others")
    incident.refresh_from_db()
    assert incident.breach_step == 3


def test_a_member_without_the_breach_permission_cannot_mark_or_export(
    company: Company, member_api: ApiClient
) -> None:
    incident = _breach(company)
    assert member_api.post(f"/security/incidents/{incident.pk}/breach/gather", {}).status_code in (
        403,
        404,
        422,
    )
    response = member_api.get(f"/security/incidents/{incident.pk}/breach/notification-form")
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind="breach.form_exported").exists()


def test_other_companies_see_nothing(company: Company, other_company: Company) -> None:
    assert other_company.admin is not None
    incident = _breach(company)
    other = api_as(other_company.admin)
    assert_problem(other.get(f"/security/incidents/{incident.pk}/breach/notification-form"), 404)
    assert_problem(other.post(f"/security/incidents/{incident.pk}/breach", {}), 404)
    assert body(other.get("/security/incidents", breach="true"))["items"] == []


def test_incident_rules_change_needs_security_manage(company: Company, member_api: ApiClient) -> None:
    refused = member_api.request(
        "PUT", "/security/incident-rules", {"designated_ci_operator": True, "breach_notice_proposal": True}
    )
    assert refused.status_code in (403, 404)


# ------------------------------------------------------------------------------------- compliance checks
def test_five_step_check(company: Company) -> None:
    check = checks_for("DBN-GUIDE-2023")[0]
    first = check(company.tenant.pk)
    assert first.status == Status.MET and "in place" in first.summary
    incident = _assess(company, _contain(company, _gather(company, _breach(company))))
    stuck = check(company.tenant.pk)
    assert stuck.status == Status.GAP  # risk assessed, no decision yet
    _decide(company, incident)
    assert check(company.tenant.pk).status == Status.MET
    with mock.patch("harbour.security.breaches.now", return_value=now() - dt.timedelta(hours=30)):
        _breach(company, "old")
    assert check(company.tenant.pk).status == Status.GAP  # gathering not done within 24 hours


def test_24_hour_reporting_check(company: Company) -> None:
    check = checks_for("HB-GOV-INCIDENT-24H")[0]
    incident = incidents.open_incident(company.system, kind="other", severity="low", title="Phish")
    assert check(company.tenant.pk).status == Status.MET
    incidents.report_incident(company.system, incident, summary="Sent.")
    late = incidents.open_incident(
        company.system, kind="other", severity="low", title="Late", detected_at=now() - dt.timedelta(hours=25)
    )
    finding = check(company.tenant.pk)
    assert finding.status == Status.GAP and "1 of 2" in finding.summary
    assert late.pk


def test_ci_check_is_not_applicable_unless_designated(company: Company) -> None:
    assert checks_for("CI-CAP653")[0](company.tenant.pk).status == Status.NOT_APPLICABLE
    _rules(company, ci=True)
    assert checks_for("CI-CAP653")[0](company.tenant.pk).status == Status.MET


def test_console_steps_and_rules(company: Company, as_member: Any) -> None:
    assert company.admin is not None
    nobody = make_member(
        company,
        name="Nora Nobody",
        email="nora@acme.com.hk",
        departments=[company.departments["hr"]],
        role=None,
    )
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="USB stick lost")
    client: Client = as_member(company.admin)
    marked = client.post(f"/security/incidents/{incident.pk}/breach/", {"data_kinds": ["contact"]})
    assert marked.status_code == 302
    gathered = client.post(
        f"/security/incidents/{incident.pk}/breach/gather/",
        {
            "occurred_at": "2026-11-01T09:30",
            "how": "Dropped in the lift.",
            "data_kinds": ["contact", "identity"],
            "affected_estimate": "15",
            "systems": "CRM export",
        },
    )
    assert gathered.status_code == 302, gathered.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.breach_step == 1 and incident.affected_estimate == 15
    assert incident.breach_occurred_at == dt.datetime(2026, 11, 1, 9, 30, tzinfo=HONG_KONG)
    page = client.get(f"/security/incidents/{incident.pk}/").content.decode()
    assert "Dropped in the lift." in page and "Contain the breach" in page

    saved = client.post("/security/incidents/rules/", {"designated_ci_operator": "on"})
    assert saved.status_code == 302
    from harbour.security.queries import settings_of

    assert settings_of(company.tenant.pk).designated_ci_operator
    assert not settings_of(company.tenant.pk).breach_notice_proposal
    assert (
        as_member(nobody).post("/security/incidents/rules/", {"breach_notice_proposal": "on"}).status_code
        == 404
    )
    assert not settings_of(company.tenant.pk).breach_notice_proposal


def test_alert_due_finds_every_kind_of_clock_run_out(company: Company) -> None:
    from harbour.security.incident_clock import alert_due

    _rules(company, ci=True)
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="SCADA down")
    incident = incidents.report_incident(
        company.system, incident, summary="Told compliance."
    )  # internal clock stopped
    register = Incident.objects.for_tenant(company.tenant)
    assert not register.filter(alert_due(now() + dt.timedelta(hours=49))).exists()
    breaches.set_critical_system(
        company.system, incident, affects_critical_system=True, core_function_disrupted=False
    )
    assert not register.filter(alert_due(now() + dt.timedelta(hours=47))).exists()
    assert register.filter(alert_due(now() + dt.timedelta(hours=49))).exists()


def test_incident_handlers_without_the_breach_permission_cannot_handle_breaches(company: Company) -> None:
    from harbour.directory import actions as directory

    role = directory.create_role(
        company.system, name="Incident desk", permissions=["incident.view", "incident.manage"]
    )
    desk = make_member(company, name="Desk Officer", email="desk@acme.com.hk", role=None)
    directory.grant_role(company.system, desk, role)
    incident = incidents.open_incident(desk, kind="other", severity="low", title="Stolen badge")  # may open
    api = api_as(desk, issued_by=company.system)
    assert api.post(f"/security/incidents/{incident.pk}/breach", {}).status_code in (403, 404)
    assert api.get(f"/security/incidents/{incident.pk}/breach/notification-form").status_code in (403, 404)
    incident.refresh_from_db()
    assert not incident.is_breach
    with pytest.raises((Forbidden, NotFound)):
        breaches.mark_breach(desk, incident)


def test_an_incident_opened_as_a_breach_in_the_console(company: Company, as_member: Any) -> None:
    assert company.admin is not None
    client: Client = as_member(company.admin)
    response = client.post(
        "/security/incidents/new/",
        {
            "title": "Payslips printed to the lobby printer",
            "kind": "other",
            "severity": "medium",
            "is_breach": "on",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.for_tenant(company.tenant).get(title="Payslips printed to the lobby printer")
    assert incident.is_breach and incident.breach_step == 0
    assert incident.report_due_at - incident.detected_at == dt.timedelta(hours=24)
