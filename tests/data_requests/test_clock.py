"""The 40-day clock: day 40 ends at midnight Hong Kong time; a notice of delay counts only before then
and keeps the request open ("late, notice given"); past day 40 with neither it is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.audit.models import AuditEvent
from harbour.core.time import today_in_hong_kong
from harbour.data_requests.models import DataRequest, State, Timeliness
from tests.api.helpers import ApiClient, assert_problem, body
from tests.data_requests.conftest import Clock, Received
from tests.factories import Company


def _complete(api: ApiClient, request: DataRequest) -> dict[str, Any]:
    response = api.post(
        f"/data-requests/{request.pk}/complete",
        {
            "data_held": True,
            "supplied": "Personnel file (12 pages)",
            "supplied_on": today_in_hong_kong().isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    found: dict[str, Any] = body(response)
    return found


def test_due_date_is_day_40_after_receipt(admin_api: ApiClient, received: Received) -> None:
    request = received(12)
    shown = body(admin_api.get(f"/data-requests/{request.pk}"))
    assert shown["due_on"] == (today_in_hong_kong() + dt.timedelta(days=28)).isoformat()
    assert (shown["day"], shown["days_left"], shown["timeliness"]) == (12, 28, "running")


def test_completing_at_23_59_on_day_40_is_on_time(
    clock: Clock, admin_api: ApiClient, received: Received
) -> None:
    request = received(40)
    clock.hong_kong(today_in_hong_kong(), 23, 59, 59)
    assert body(admin_api.get(f"/data-requests/{request.pk}"))["timeliness"] == "running"
    done = _complete(admin_api, request)
    assert (done["state"], done["timeliness"]) == ("completed", "on_time")


def test_completing_on_day_41_is_late(clock: Clock, admin_api: ApiClient, received: Received) -> None:
    request = received(40)
    clock.hong_kong(today_in_hong_kong() + dt.timedelta(days=1), 0, 0)  # midnight: day 41 begins
    assert body(admin_api.get(f"/data-requests/{request.pk}"))["timeliness"] == "overdue"
    done = _complete(admin_api, request)
    assert (done["state"], done["timeliness"]) == ("completed", "late")


def test_delay_notice_before_the_deadline_keeps_the_request_open_and_late_with_notice(
    clock: Clock, admin_api: ApiClient, received: Received
) -> None:
    request = received(40)
    clock.hong_kong(today_in_hong_kong(), 23, 58)
    response = admin_api.post(
        f"/data-requests/{request.pk}/delay-notice", {"reasons": "Archive boxes off site"}
    )
    assert response.status_code == 200, response.content
    assert body(response)["state"] == "delayed"
    clock.hong_kong(today_in_hong_kong() + dt.timedelta(days=1), 9, 0)  # day 41: open, late with notice
    shown = body(admin_api.get(f"/data-requests/{request.pk}"))
    assert (shown["state"], shown["timeliness"], shown["days_left"]) == ("delayed", "notice_given", -1)
    done = _complete(admin_api, request)
    assert done["timeliness"] == "notice_given"


def test_delay_notice_after_the_deadline_is_refused_and_changes_nothing(
    admin_api: ApiClient, received: Received, company: Company
) -> None:
    request = received(41)
    events = AuditEvent.objects.for_tenant(company.tenant).count()
    response = admin_api.post(f"/data-requests/{request.pk}/delay-notice", {"reasons": "Too late now"})
    assert_problem(response, 409, "due_on")
    request.refresh_from_db()
    assert (request.state, request.delay_notice_at) == (State.RECEIVED, None)
    assert AuditEvent.objects.for_tenant(company.tenant).count() == events


def test_a_second_delay_notice_is_refused(admin_api: ApiClient, received: Received) -> None:
    request = received(10)
    assert admin_api.post(f"/data-requests/{request.pk}/delay-notice", {"reasons": "One"}).status_code == 200
    assert_problem(
        admin_api.post(f"/data-requests/{request.pk}/delay-notice", {"reasons": "Two"}), 409, "state"
    )


def test_delay_notice_needs_reasons(admin_api: ApiClient, received: Received) -> None:
    request = received(3)
    assert_problem(
        admin_api.post(f"/data-requests/{request.pk}/delay-notice", {"reasons": "  "}), 422, "reasons"
    )
    request.refresh_from_db()
    assert request.state == State.RECEIVED


def test_overdue_without_notice_is_shown_first_and_flagged(admin_api: ApiClient, received: Received) -> None:
    fresh = received(2, name="Fresh")
    overdue = received(45, name="Overdue")
    done = received(50, name="Done")
    _complete(admin_api, done)
    listed = body(admin_api.get("/data-requests"))
    assert [r["requester_name"] for r in listed] == ["Overdue", "Fresh", "Done"]
    assert listed[0]["timeliness"] == "overdue" and listed[0]["id"] == str(overdue.pk)
    assert listed[1]["id"] == str(fresh.pk)
    assert [r["requester_name"] for r in body(admin_api.get("/data-requests", state="open"))] == [
        "Overdue",
        "Fresh",
    ]


def test_timeliness_of_a_withdrawn_request(received: Received, company: Company) -> None:
    from harbour.data_requests.actions import withdraw_request

    request = withdraw_request(company.system, received(45), note="by phone")
    assert request.timeliness(request.deadline) == Timeliness.WITHDRAWN
