"""Recording, completing, refusing and withdrawing requests through the API; the disclosure log and the
12-month lookback of a correction; bad input changing nothing; members' own requests; other companies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harbour.core.time import HONG_KONG, add_months, today_in_hong_kong
from harbour.data_requests.actions import record_disclosure
from harbour.data_requests.models import DataRequest, Disclosure, LogBookEntry, State, ThirdPartyNotice
from harbour.security.models import Notice
from tests.api.helpers import ApiClient, assert_problem, body
from tests.data_requests.conftest import Received
from tests.factories import Company


def _count(company: Company) -> int:
    return DataRequest.objects.for_tenant(company.tenant).count()


def _access(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "access",
        "received_on": today_in_hong_kong().isoformat(),
        "description": "My personnel file",
        "language": "en",
        "requester_name": "Olive Outsider",
        "requester_contact": "olive@example.com",
        **fields,
    }


def test_officer_records_a_members_access_request_with_a_fee(admin_api: ApiClient, company: Company) -> None:
    assert company.member is not None
    response = admin_api.post(
        "/data-requests",
        _access(
            requester_id=str(company.member.pk),
            requester_name="",
            requester_contact="",
            fee="50.00",
            fee_note="copies",
        ),
    )
    assert response.status_code == 201, response.content
    made = body(response)
    assert (made["requester_name"], made["requester_contact"]) == ("Gary General", "gary@acme.com.hk")
    assert (made["fee"], made["fee_note"], made["state"]) == ("50.00", "copies", "received")


def test_bad_input_names_the_field_and_records_nothing(admin_api: ApiClient, company: Company) -> None:
    tomorrow = (today_in_hong_kong() + dt.timedelta(days=1)).isoformat()
    cases = [
        (_access(received_on=tomorrow), "received_on"),
        (_access(kind="deletion"), "kind"),
        (_access(language="fr"), "language"),
        (_access(description=""), "description"),
        (_access(requester_name=""), "requester_name"),
        (_access(requester_contact=""), "requester_contact"),
        (_access(fee="-5"), "fee"),
        (_access(fee="1.005"), "fee"),
        (_access(fee_note="no fee given"), "fee_note"),
        (_access(kind="correction", fee="10.00"), "fee"),
        (_access(requester_id="00000000-0000-0000-0000-000000000000"), "requester_id"),
    ]
    for payload, field in cases:
        assert_problem(admin_api.post("/data-requests", payload), 422, field)
    assert _count(company) == 0


def test_no_fee_may_be_charged_for_a_correction(admin_api: ApiClient, company: Company) -> None:
    problem = assert_problem(
        admin_api.post("/data-requests", _access(kind="correction", fee="20.00")), 422, "fee"
    )
    assert "no fee" in problem["detail"]
    ok = admin_api.post("/data-requests", _access(kind="correction", fee="0"))  # no fee at all is fine
    assert ok.status_code == 201 and body(ok)["fee"] is None


def test_correction_links_the_earlier_access_request_of_the_same_person(
    admin_api: ApiClient, received: Received, company: Company
) -> None:
    assert company.member is not None and company.outsider is not None
    earlier = received(30, requester=company.member)
    wrong_person = _access(
        kind="correction", requester_id=str(company.outsider.pk), access_request_id=str(earlier.pk)
    )
    assert_problem(admin_api.post("/data-requests", wrong_person), 422, "access_request_id")
    linked = _access(
        kind="correction", requester_id=str(company.member.pk), access_request_id=str(earlier.pk)
    )
    response = admin_api.post("/data-requests", linked)
    assert response.status_code == 201 and body(response)["access_request_id"] == str(earlier.pk)
    access_with_link = _access(access_request_id=str(earlier.pk))
    assert_problem(admin_api.post("/data-requests", access_with_link), 422, "access_request_id")


def test_no_data_held_is_a_completion(admin_api: ApiClient, received: Received) -> None:
    request = received(5)
    response = admin_api.post(
        f"/data-requests/{request.pk}/complete",
        {"data_held": False, "supplied_on": today_in_hong_kong().isoformat()},
    )
    assert response.status_code == 200, response.content
    done = body(response)
    assert (done["state"], done["data_held"], done["timeliness"]) == ("completed", False, "on_time")
    assert "no such data" in done["supplied"]


def test_completion_bad_input(admin_api: ApiClient, received: Received) -> None:
    request = received(5)
    url = f"/data-requests/{request.pk}/complete"
    today = today_in_hong_kong()
    assert_problem(admin_api.post(url, {"supplied_on": today.isoformat()}), 422, "data_held")
    assert_problem(
        admin_api.post(url, {"data_held": True, "supplied_on": today.isoformat()}), 422, "supplied"
    )
    before = (today - dt.timedelta(days=6)).isoformat()
    assert_problem(
        admin_api.post(url, {"data_held": True, "supplied": "x", "supplied_on": before}), 422, "supplied_on"
    )
    request.refresh_from_db()
    assert request.state == State.RECEIVED


def test_refusal_writes_a_log_book_entry(admin_api: ApiClient, received: Received, company: Company) -> None:
    request = received(8, language="other")
    response = admin_api.post(
        f"/data-requests/{request.pk}/refuse", {"ground": "s20_3_a_language", "reasons": "Written in French"}
    )
    assert response.status_code == 200, response.content
    assert body(response)["state"] == "refused"
    entry = LogBookEntry.objects.for_tenant(company.tenant).get()
    assert (entry.request_id, entry.kind, entry.ground, entry.reasons) == (
        request.pk,
        "access",
        "s20_3_a_language",
        "Written in French",
    )
    assert entry.refused_on == today_in_hong_kong()
    assert entry.keep_until() == today_in_hong_kong() + dt.timedelta(days=1461)
    book = body(admin_api.get("/data-requests/log-book"))
    assert [(e["request_id"], e["ground"]) for e in book] == [(str(request.pk), "s20_3_a_language")]


def test_refusal_needs_a_ground_of_its_kind_and_reasons(
    admin_api: ApiClient, received: Received, company: Company
) -> None:
    request = received(8, kind="correction")
    url = f"/data-requests/{request.pk}/refuse"
    assert_problem(admin_api.post(url, {"ground": "s24_3_b_not_inaccurate", "reasons": ""}), 422, "reasons")
    assert_problem(admin_api.post(url, {"ground": "s20_3_a_language", "reasons": "x"}), 422, "ground")
    assert LogBookEntry.objects.for_tenant(company.tenant).count() == 0
    request.refresh_from_db()
    assert request.state == State.RECEIVED


def test_a_closed_request_cannot_be_completed_refused_or_withdrawn(
    admin_api: ApiClient, received: Received
) -> None:
    request = received(8)
    admin_api.post(
        f"/data-requests/{request.pk}/refuse", {"ground": "s20_3_e_form", "reasons": "Not on the form"}
    )
    today = today_in_hong_kong().isoformat()
    complete = {"data_held": True, "supplied": "file", "supplied_on": today}
    assert_problem(admin_api.post(f"/data-requests/{request.pk}/complete", complete), 409, "state")
    assert_problem(
        admin_api.post(f"/data-requests/{request.pk}/refuse", {"ground": "s20_3_e_form", "reasons": "x"}),
        409,
        "state",
    )
    assert_problem(admin_api.post(f"/data-requests/{request.pk}/withdraw", {}), 409, "state")
    assert_problem(
        admin_api.post(f"/data-requests/{request.pk}/delay-notice", {"reasons": "x"}), 409, "state"
    )
    request.refresh_from_db()
    assert (request.state, request.supplied) == (State.REFUSED, "")


def _disclose(company: Company, subject: Any, at: dt.datetime, recipient: str) -> Disclosure:
    return record_disclosure(
        company.system, subject=subject, recipient=recipient, data_disclosed="Address", disclosed_at=at
    )


def test_the_12_month_lookback_includes_the_same_day_a_year_before_and_not_the_day_before(
    admin_api: ApiClient, received: Received, company: Company
) -> None:
    gary = company.member
    received_on = today_in_hong_kong() - dt.timedelta(days=3)
    start = dt.datetime.combine(add_months(received_on, -12), dt.time(0, 0), tzinfo=HONG_KONG)
    inside = _disclose(company, gary, start, "MPF trustee")
    outside = _disclose(company, gary, start - dt.timedelta(seconds=1), "Old insurer")  # 12 months + 1 day
    _disclose(company, company.outsider, start + dt.timedelta(days=30), "Someone else's recipient")
    request = received(3, kind="correction", requester=gary)
    shown = body(admin_api.get(f"/data-requests/{request.pk}"))
    assert [d["recipient"] for d in shown["lookback_disclosures"]] == ["MPF trustee"]

    url = f"/data-requests/{request.pk}/complete"
    base = {
        "satisfied_inaccurate": True,
        "correction_made": "Address updated",
        "corrected_copy_supplied_on": today_in_hong_kong().isoformat(),
    }
    assert_problem(admin_api.post(url, base), 422, "third_parties")  # the trustee must be accounted for
    stray = [
        {"disclosure_id": str(outside.pk), "notified": True, "notified_on": today_in_hong_kong().isoformat()}
    ]
    assert_problem(admin_api.post(url, {**base, "third_parties": stray}), 422, "third_parties")
    unexplained = [{"disclosure_id": str(inside.pk), "notified": False}]
    assert_problem(admin_api.post(url, {**base, "third_parties": unexplained}), 422, "third_parties")
    assert ThirdPartyNotice.objects.for_tenant(company.tenant).count() == 0

    told = [
        {"disclosure_id": str(inside.pk), "notified": True, "notified_on": today_in_hong_kong().isoformat()}
    ]
    response = admin_api.post(url, {**base, "third_parties": told})
    assert response.status_code == 200, response.content
    done = body(response)
    assert done["state"] == "completed" and done["correction_made"] == "Address updated"
    assert [(t["recipient"], t["notified"]) for t in done["third_parties"]] == [("MPF trustee", True)]


def test_a_recipient_believed_no_longer_using_the_data_is_recorded_with_the_reason(
    admin_api: ApiClient, received: Received, company: Company
) -> None:
    disclosure = _disclose(
        company, company.member, dt.datetime.now(HONG_KONG) - dt.timedelta(days=40), "Old agency"
    )
    request = received(3, kind="correction", requester=company.member)
    response = admin_api.post(
        f"/data-requests/{request.pk}/complete",
        {
            "satisfied_inaccurate": True,
            "correction_made": "Name spelling fixed",
            "corrected_copy_supplied_on": today_in_hong_kong().isoformat(),
            "third_parties": [
                {
                    "disclosure_id": str(disclosure.pk),
                    "notified": False,
                    "reason": "Contract ended; data deleted",
                }
            ],
        },
    )
    assert response.status_code == 200, response.content
    notice = ThirdPartyNotice.objects.for_tenant(company.tenant).get()
    assert (notice.notified, notice.reason_not_notified) == (False, "Contract ended; data deleted")


def test_not_satisfied_the_data_is_inaccurate_means_refusing(
    admin_api: ApiClient, received: Received
) -> None:
    request = received(3, kind="correction")
    problem = assert_problem(
        admin_api.post(
            f"/data-requests/{request.pk}/complete",
            {
                "satisfied_inaccurate": False,
                "correction_made": "-",
                "corrected_copy_supplied_on": today_in_hong_kong().isoformat(),
            },
        ),
        422,
        "satisfied_inaccurate",
    )
    assert "s24(3)(b)" in problem["detail"]


def test_disclosure_bad_input(admin_api: ApiClient, company: Company) -> None:
    future = (dt.datetime.now(HONG_KONG) + dt.timedelta(hours=2)).isoformat()
    good = {
        "subject_name": "Olive",
        "recipient": "Bank",
        "data_disclosed": "Name",
        "disclosed_at": "2026-01-05T10:00:00+08:00",
    }
    assert_problem(
        admin_api.post("/data-requests/disclosures", {**good, "disclosed_at": future}), 422, "disclosed_at"
    )
    assert_problem(admin_api.post("/data-requests/disclosures", {**good, "recipient": ""}), 422, "recipient")
    assert_problem(
        admin_api.post("/data-requests/disclosures", {**good, "subject_name": ""}), 422, "subject_name"
    )
    assert Disclosure.objects.for_tenant(company.tenant).count() == 0
    assert admin_api.post("/data-requests/disclosures", good).status_code == 201


def test_a_member_asks_for_their_data_and_follows_it(
    member_api: ApiClient, helen_api: ApiClient, admin_api: ApiClient, company: Company
) -> None:
    response = member_api.post(
        "/data-requests/mine", {"description": "My appraisal records", "language": "zh"}
    )
    assert response.status_code == 201, response.content
    mine = body(response)
    assert (mine["requester_name"], mine["received_on"], mine["kind"]) == (
        "Gary General",
        today_in_hong_kong().isoformat(),
        "access",
    )
    assert [r["id"] for r in body(member_api.get("/data-requests/mine"))] == [mine["id"]]
    assert body(member_api.get(f"/data-requests/{mine['id']}"))["state"] == "received"
    # the handler is told; another member sees nothing of it; Gary cannot answer it himself
    assert (
        Notice.objects.for_tenant(company.tenant)
        .filter(member=company.admin, title__contains="Gary")
        .exists()
    )
    assert_problem(helen_api.get(f"/data-requests/{mine['id']}"), 404)
    assert body(helen_api.get("/data-requests/mine")) == []
    done = {"data_held": True, "supplied": "x", "supplied_on": today_in_hong_kong().isoformat()}
    assert member_api.post(f"/data-requests/{mine['id']}/complete", done).status_code in (403, 404)
    assert_problem(
        member_api.post("/data-requests/mine", {"description": "x", "language": "other"}), 422, "language"
    )
    # he may withdraw his own request
    withdrawn = member_api.post(f"/data-requests/{mine['id']}/withdraw", {"note": "no longer needed"})
    assert withdrawn.status_code == 200 and body(withdrawn)["state"] == "withdrawn"


def test_another_company_sees_nothing(
    other_admin_api: ApiClient, admin_api: ApiClient, received: Received, company: Company
) -> None:
    request = received(3)
    admin_api.post(f"/data-requests/{request.pk}/refuse", {"ground": "s20_3_e_form", "reasons": "Form"})
    assert_problem(other_admin_api.get(f"/data-requests/{request.pk}"), 404)
    assert_problem(other_admin_api.post(f"/data-requests/{request.pk}/withdraw", {}), 404)
    assert body(other_admin_api.get("/data-requests")) == []
    assert body(other_admin_api.get("/data-requests/log-book")) == []
    correction = {**_access(kind="correction"), "access_request_id": str(request.pk)}
    assert_problem(other_admin_api.post("/data-requests", correction), 422, "access_request_id")


def test_a_member_requester_is_told_of_each_step(
    member_api: ApiClient, admin_api: ApiClient, company: Company
) -> None:
    mine = body(member_api.post("/data-requests/mine", {"description": "My file", "language": "en"}))
    admin_api.post(f"/data-requests/{mine['id']}/delay-notice", {"reasons": "Records are archived off site"})
    admin_api.post(
        f"/data-requests/{mine['id']}/refuse", {"ground": "s20_1_c_prohibited", "reasons": "Court order"}
    )
    told = Notice.objects.for_tenant(company.tenant).filter(member=company.member).order_by("created_at")
    assert [n.title for n in told] == [
        "Your data request will take longer than 40 days",
        "Your data request was refused",
    ]
    assert "Court order" in told[1].body and told[1].url == f"/data-requests/{mine['id']}/"
