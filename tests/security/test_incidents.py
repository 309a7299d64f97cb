"""Security incidents: handling one through the API and the console, the 24-hour clock and its boundary,
the overdue flag (email once, console notice), self-reporting, and other companies seeing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.identity.models import LoginSession
from harbour.security import incidents
from harbour.security.incident_clock import clock_of, incident_counts, is_overdue
from harbour.security.models import Incident, IncidentKind, IncidentState, Notice, Severity
from harbour.security.tasks import flag_overdue_incidents_task
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import PASSWORD, Company

DAY = dt.timedelta(hours=24)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _open(company: Company, **values: Any) -> Incident:
    fields: dict[str, Any] = {
        "kind": IncidentKind.SUSPICIOUS_LOGIN,
        "severity": Severity.HIGH,
        "title": "Sign-in from an unknown network",
        "subject": company.member,
        "evidence": [{"type": "risk_event", "rule": "outside_networks", "ip": "198.51.100.7"}],
    }
    fields.update(values)
    return incidents.open_incident(company.system, **fields)


def signed_in(member: Member) -> Client:
    client = Client()
    assert member.account is not None
    client.force_login(member.account)
    return client


def password_sign_in(member: Member, ip: str = "203.0.113.10") -> Client:
    client = Client()
    response = client.post("/login/", {"email": member.email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client


# -------------------------------------------------------------------------------------------- the register
def test_references_are_numbered_per_company_and_year(company: Company, other_company: Company) -> None:
    year = now().year  # Hong Kong year of detection (tests do not run at New Year's midnight)
    assert _open(company).reference == f"INC-{year}-0001"
    assert _open(company).reference == f"INC-{year}-0002"
    assert incidents.open_incident(
        other_company.system, kind="other", severity="low", title="Lost laptop"
    ).reference == (f"INC-{year}-0001")


def test_an_incident_handled_through_the_api(company: Company, admin_api: ApiClient) -> None:
    assert company.admin is not None
    response = admin_api.post(
        "/security/incidents",
        {
            "severity": "medium",
            "title": "Phishing email clicked",
            "description": "Reported by the front desk.",
            "subject_id": str(company.member.id),  # type: ignore[union-attr]
        },
    )
    assert response.status_code == 201, response.content
    created = body(response)
    incident_id = created["id"]
    assert created["state"] == "open" and created["owner"] is None
    assert created["clock"]["running"] and not created["clock"]["overdue"]
    assert created["notes"][0]["text"] == "Reported by the front desk."

    taken = body(admin_api.post(f"/security/incidents/{incident_id}/take"))
    assert taken["owner"]["id"] == str(company.admin.id)

    note = admin_api.post(f"/security/incidents/{incident_id}/notes", {"text": "Password reset done."})
    assert note.status_code == 201 and body(note)["author"]["id"] == str(company.admin.id)

    # resolving before the report is refused, naming the field, and changes nothing
    refused = admin_api.post(f"/security/incidents/{incident_id}/resolve", {"resolution": "done"})
    assert_problem(refused, 409, field="state")
    assert Incident.objects.for_tenant(company.tenant).get(pk=incident_id).state == IncidentState.OPEN

    blank = admin_api.post(f"/security/incidents/{incident_id}/report", {"summary": "   "})
    assert_problem(blank, 422, field="summary")

    reported = body(
        admin_api.post(f"/security/incidents/{incident_id}/report", {"summary": "Sent to compliance@acme"})
    )
    assert reported["state"] == "reported" and reported["reported_by"]["id"] == str(company.admin.id)
    assert not reported["clock"]["running"] and "before the deadline" in reported["clock"]["label"]

    resolved = body(
        admin_api.post(f"/security/incidents/{incident_id}/resolve", {"resolution": "Account secured."})
    )
    assert resolved["state"] == "resolved" and resolved["resolution"] == "Account secured."

    again = admin_api.post(f"/security/incidents/{incident_id}/dismiss", {"reason": "no"})
    assert_problem(again, 409, field="state")

    detail = body(admin_api.get(f"/security/incidents/{incident_id}"))
    assert [n["text"] for n in detail["notes"]][-1] == "Password reset done."
    kinds = set(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(target_id=incident_id)
        .values_list("kind", flat=True)
    )
    assert kinds == {
        "incident.opened",
        "incident.owner_changed",
        "incident.noted",
        "incident.reported",
        "incident.resolved",
    }
    reported_event = AuditEvent.objects.for_tenant(company.tenant).get(kind="incident.reported")
    assert reported_event.before["state"] == "open" and reported_event.after["state"] == "reported"


def test_list_filters_and_bad_input(company: Company, admin_api: ApiClient) -> None:
    _open(company, severity=Severity.LOW)
    high = _open(company)
    Incident.objects.for_tenant(company.tenant).filter(pk=high.pk).update(
        report_due_at=now() - dt.timedelta(1)
    )
    items = body(admin_api.get("/security/incidents", severity="high"))["items"]
    assert [i["id"] for i in items] == [str(high.pk)]
    overdue = body(admin_api.get("/security/incidents", overdue="true"))["items"]
    assert [i["id"] for i in overdue] == [str(high.pk)] and overdue[0]["clock"]["overdue"]
    assert len(body(admin_api.get("/security/incidents", state="open"))["items"]) == 2
    assert_problem(admin_api.get("/security/incidents", state="burning"), 422, field="state")
    bad = admin_api.post("/security/incidents", {"severity": "apocalyptic", "title": "x"})
    assert_problem(bad, 422, field="severity")
    stranger = admin_api.post(
        f"/security/incidents/{high.pk}/assign",
        {"owner_id": str(company.member.id)},  # type: ignore[union-attr]
    )
    assert_problem(stranger, 422, field="owner_id")  # a General Member may not handle incidents


def test_other_company_sees_nothing(company: Company, other_company: Company) -> None:
    assert other_company.admin is not None
    other_admin_api = api_as(other_company.admin)
    incident = _open(company)
    assert_problem(other_admin_api.get(f"/security/incidents/{incident.pk}"), 404)
    assert_problem(other_admin_api.post(f"/security/incidents/{incident.pk}/take"), 404)
    assert body(other_admin_api.get("/security/incidents"))["items"] == []


def test_handlers_hear_of_a_new_incident_at_once(
    company: Company, django_capture_on_commit_callbacks: Any
) -> None:
    assert company.admin is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        incident = _open(company)
    notice = Notice.objects.for_tenant(company.tenant).get(member=company.admin)
    assert incident.reference in notice.title and notice.url.endswith(f"/security/incidents/{incident.pk}/")
    assert [m.to for m in mail.outbox] == [[company.admin.email]]
    # a handler who opens one by hand is not told of their own incident
    with django_capture_on_commit_callbacks(execute=True):
        incidents.open_incident(company.admin, kind="other", severity="low", title="Lost phone")
    assert len(mail.outbox) == 1


# ------------------------------------------------------------------------------------------------- clock
def test_clock_boundaries(company: Company) -> None:
    incident = _open(company)
    detected = incident.detected_at
    assert incident.report_due_at == detected + DAY
    assert not is_overdue(incident, detected + DAY - dt.timedelta(minutes=1))  # 23 h 59 min
    assert not is_overdue(incident, detected + DAY - dt.timedelta(microseconds=1))
    assert is_overdue(incident, detected + DAY)  # exactly at the deadline: overdue
    clock = clock_of(incident, detected + DAY - dt.timedelta(minutes=1))
    assert clock.running and not clock.overdue and clock.label == "1 min left"
    late = clock_of(incident, detected + DAY + dt.timedelta(hours=2, minutes=5))
    assert late.overdue and late.label == "overdue by 2 h 05 min" and late.remaining_seconds < 0


def test_reporting_stops_the_clock(company: Company) -> None:
    incident = incidents.report_incident(company.system, _open(company), summary="Sent to compliance")
    far_later = incident.detected_at + 3 * DAY
    assert not is_overdue(incident, far_later)
    assert not clock_of(incident, far_later).running
    assert incident_counts(company.tenant.id, far_later).overdue == 0
    assert incident_counts(company.tenant.id, far_later).open == 1  # reported, not yet resolved


def test_a_rule_may_set_its_own_deadline(company: Company) -> None:
    """Later registers (breaches, critical-infrastructure operators) keep their own clocks."""
    at = now()
    incident = _open(company, detected_at=at, report_due_at=at + dt.timedelta(hours=12))
    assert incident.report_due_at == at + dt.timedelta(hours=12)
    assert is_overdue(incident, at + dt.timedelta(hours=12))


# ------------------------------------------------------------------------------------------------ overdue
def _make_due(incident: Incident, *, ago: dt.timedelta = dt.timedelta(0)) -> None:
    Incident.objects.for_tenant(incident.tenant_id).filter(pk=incident.pk).update(report_due_at=now() - ago)


def test_overdue_task_emails_every_handler_once_and_posts_notices(company: Company) -> None:
    assert company.admin is not None
    waiting = _open(company)
    not_yet = _open(company)
    _make_due(waiting)  # due this very moment: overdue
    Incident.objects.for_tenant(company.tenant).filter(pk=not_yet.pk).update(
        report_due_at=now() + dt.timedelta(minutes=1)
    )
    mail.outbox.clear()
    result = flag_overdue_incidents_task.call()
    assert result == {"companies": 1, "flagged": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert waiting.reference in message.subject
    assert message.to == [company.admin.email]  # nobody owns it: every holder of incident.manage
    assert f"/security/incidents/{waiting.pk}/" in message.body
    notice = Notice.objects.for_tenant(company.tenant).get(member=company.admin, title__contains="overdue")
    assert waiting.reference in notice.title and notice.url.endswith(f"/security/incidents/{waiting.pk}/")
    waiting.refresh_from_db()
    assert waiting.overdue_notified_at is not None
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="incident.overdue").count() == 1

    # a second run (the next slot, or a retry) sends nothing again
    assert flag_overdue_incidents_task.call() == {"companies": 0, "flagged": 0}
    assert len(mail.outbox) == 1


def test_the_overdue_task_at_23_59_and_at_24_hours(company: Company, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    incident = _open(company)
    mail.outbox.clear()
    monkeypatch.setattr(timezone, "now", lambda: incident.detected_at + DAY - dt.timedelta(minutes=1))
    assert flag_overdue_incidents_task.call()["flagged"] == 0
    monkeypatch.setattr(timezone, "now", lambda: incident.detected_at + DAY)
    assert flag_overdue_incidents_task.call()["flagged"] == 1
    assert len(mail.outbox) == 1


def test_overdue_owner_alone_is_told(company: Company, other_company: Company) -> None:
    assert company.admin is not None
    from tests.factories import make_member

    second_admin = make_member(company, name="Owen Owner", email="owen@acme.com.hk", role="administrator")
    incident = incidents.assign_owner(company.system, _open(company), second_admin)
    _make_due(incident, ago=dt.timedelta(hours=3))
    incidents.open_incident(other_company.system, kind="other", severity="low", title="Not due")
    mail.outbox.clear()
    flag_overdue_incidents_task.call()
    assert [m.to for m in mail.outbox] == [[second_admin.email]]
    overdue_notices = Notice.objects.for_tenant(company.tenant).filter(title__contains="overdue")
    assert overdue_notices.filter(member=second_admin).count() == 1
    assert not overdue_notices.filter(member=company.admin).exists()


def test_reported_or_dismissed_incidents_are_never_flagged(company: Company) -> None:
    reported = incidents.report_incident(company.system, _open(company), summary="done")
    dismissed = incidents.dismiss_incident(company.system, _open(company), reason="false alarm")
    for incident in (reported, dismissed):
        _make_due(incident, ago=dt.timedelta(hours=1))
    mail.outbox.clear()
    assert flag_overdue_incidents_task.call()["flagged"] == 0
    assert mail.outbox == []


# ------------------------------------------------------------------------------------------- self-report
def test_member_self_reports_in_the_console_and_other_sessions_end(company: Company) -> None:
    member = company.member
    assert member is not None
    elsewhere = password_sign_in(member, ip="198.51.100.7")
    here = password_sign_in(member)
    page = here.get("/me/report-compromise/")
    assert page.status_code == 200
    empty = here.post("/me/report-compromise/", {"description": ""})
    assert empty.status_code == 400
    reported = Incident.objects.for_tenant(company.tenant).filter(kind=IncidentKind.SELF_REPORTED)
    assert not reported.exists()

    response = here.post("/me/report-compromise/", {"description": "I typed my password into a fake page."})
    assert response.status_code == 302
    incident = reported.get()
    assert incident.kind == IncidentKind.SELF_REPORTED and incident.subject_id == member.pk
    assert incident.report_due_at == incident.detected_at + DAY
    assert incident.notes.get().text == "I typed my password into a fake page."
    live = LoginSession.objects.filter(account=member.account, ended_at__isnull=True)
    assert live.count() == 1  # the browser that reported stays signed in
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # signed out at its next click
    assert (
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(kind="incident.opened", actor_id=member.pk)
        .exists()
    )


def test_member_self_reports_through_the_api(company: Company, member_api: ApiClient) -> None:
    response = member_api.post("/me/report-compromise", {"description": "Unknown sign-ins in my list"})
    assert response.status_code == 201
    data = body(response)
    assert data["reference"].startswith("INC-")
    assert_problem(member_api.post("/me/report-compromise", {"description": ""}), 422, field="description")
    # the holder may report, but not read the register
    assert member_api.get(f"/security/incidents/{data['incident_id']}").status_code in (403, 404)


# ------------------------------------------------------------------------------------------------ console
def test_console_list_detail_and_steps(company: Company) -> None:
    assert company.admin is not None
    incident = _open(company)
    overdue = _open(company, title="Brute force on the finance mailbox")
    _make_due(overdue, ago=dt.timedelta(hours=2))
    admin = signed_in(company.admin)

    page = admin.get("/security/incidents/").content.decode()
    assert incident.reference in page and "left" in page
    assert overdue.reference in page and "Overdue by 2 h" in page
    only_overdue = admin.get("/security/incidents/?state=overdue").content.decode()
    assert overdue.reference in only_overdue and incident.reference not in only_overdue

    detail = admin.get(f"/security/incidents/{incident.pk}/").content.decode()
    assert "198.51.100.7" in detail and "Address outside the allowed networks" in detail

    assert admin.post(f"/security/incidents/{incident.pk}/take/").status_code == 302
    assert (
        admin.post(f"/security/incidents/{incident.pk}/notes/", {"text": "Called Gary."}).status_code == 302
    )
    refused = admin.post(f"/security/incidents/{incident.pk}/resolve/", {"resolution": "fine"})
    assert refused.status_code == 400 and "before resolving" in refused.content.decode()
    assert (
        admin.post(f"/security/incidents/{incident.pk}/report/", {"summary": "Emailed."}).status_code == 302
    )
    incident.refresh_from_db()
    assert incident.state == IncidentState.REPORTED and incident.owner_id == company.admin.pk
    timeline = admin.get(f"/security/incidents/{incident.pk}/").content.decode()
    assert "Called Gary." in timeline and "Took ownership." in timeline and "before the deadline" in timeline

    dashboard = admin.get("/").content.decode()
    assert "open security incidents" in dashboard and "1 overdue" in dashboard

    created = admin.post(
        "/security/incidents/new/", {"title": "Lost phone", "kind": "other", "severity": "low"}
    )
    assert created.status_code == 302


def test_notices_page_lists_and_marks_read(company: Company) -> None:
    assert company.admin is not None
    _make_due(_open(company))
    flag_overdue_incidents_task.call()
    admin = signed_in(company.admin)
    assert "unread notice" in admin.get("/").content.decode()
    page = admin.get("/notices/").content.decode()
    assert "is overdue" in page and "unread" in page
    assert admin.post("/notices/").status_code == 302
    assert not Notice.objects.for_tenant(company.tenant).filter(read_at__isnull=True).exists()
    assert "unread notice" not in admin.get("/").content.decode()


def test_members_without_the_permission_do_not_see_incidents(company: Company) -> None:
    assert company.member is not None
    member = signed_in(company.member)
    incident = _open(company)
    assert member.get("/security/incidents/").status_code == 404
    assert member.get(f"/security/incidents/{incident.pk}/").status_code == 404
    assert "open security incidents" not in member.get("/").content.decode()


def test_the_list_page_costs_the_same_for_many_incidents(
    company: Company, django_assert_max_num_queries: Any
) -> None:
    assert company.admin is not None
    admin = signed_in(company.admin)
    _open(company)
    admin.get("/security/incidents/")  # warm the session and the company's answers
    with django_assert_max_num_queries(30) as few:
        assert admin.get("/security/incidents/").status_code == 200
    for _ in range(20):
        _open(company)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin.get("/security/incidents/").content.decode()
    assert page.count("/security/incidents/") > 20
