"""The console pages as handlers and members use them."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from harbour.core.time import today_in_hong_kong
from harbour.data_requests.actions import refuse_request
from harbour.data_requests.models import DataRequest, Disclosure, LogBookEntry, State
from harbour.directory.models import Member
from tests.data_requests.conftest import Received
from tests.factories import Company

Login = Callable[[Member], Client]


def test_list_shows_open_requests_first_with_the_overdue_flagged(
    as_member: Login, company: Company, received: Received
) -> None:
    assert company.admin is not None
    received(2, name="Fresh Fiona")
    received(44, name="Overdue Oscar")
    page = as_member(company.admin).get(reverse("data_requests:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Overdue Oscar") < text.index("Fresh Fiona")
    assert "1 request is overdue" in text
    assert "badge fail" in text and "38 days left" in text


def test_handler_refuses_from_the_console_and_the_log_book_shows_it(
    as_member: Login, company: Company, received: Received
) -> None:
    assert company.admin is not None
    request = received(5)
    browser = as_member(company.admin)
    url = reverse("data_requests:refuse", args=[request.pk])
    assert browser.get(url).status_code == 200
    refused = browser.post(url, {"ground": "s20_3_e_form", "reasons": ""})
    assert refused.status_code == 400 and "Reasons" in refused.content.decode()
    done = browser.post(url, {"ground": "s20_3_e_form", "reasons": "Not on the specified form"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.state == State.REFUSED
    book = browser.get(reverse("data_requests:logbook")).content.decode()
    assert "Not on the specified form" in book
    csv = browser.get(reverse("data_requests:logbook_csv") + "?lang=zh-hant")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Not on the specified form" in csv.content.decode("utf-8-sig")


def test_handler_records_a_request_and_a_disclosure(as_member: Login, company: Company) -> None:
    assert company.admin is not None and company.member is not None
    browser = as_member(company.admin)
    response = browser.post(
        reverse("data_requests:new"),
        {
            "kind": "access",
            "received_on": today_in_hong_kong().isoformat(),
            "requester_email": "nobody@acme.com.hk",
            "description": "My file",
            "language": "en",
        },
    )
    assert (
        response.status_code == 400 and "no member of the company has this email" in response.content.decode()
    )
    response = browser.post(
        reverse("data_requests:new"),
        {
            "kind": "access",
            "received_on": today_in_hong_kong().isoformat(),
            "requester_email": company.member.email,
            "description": "My file",
            "language": "en",
        },
    )
    assert response.status_code == 302
    made = DataRequest.objects.for_tenant(company.tenant).get()
    assert made.requester_id == company.member.pk
    assert browser.get(reverse("data_requests:detail", args=[made.pk])).status_code == 200
    response = browser.post(
        reverse("data_requests:disclosures"),
        {
            "subject_email": company.member.email,
            "recipient": "MPF trustee",
            "data_disclosed": "Name and salary",
            "disclosed_at": "2026-06-01T10:00",
        },
    )
    assert response.status_code == 302
    assert Disclosure.objects.for_tenant(company.tenant).get().subject_id == company.member.pk


def test_a_member_asks_for_their_data_in_the_console(as_member: Login, company: Company) -> None:
    assert company.member is not None
    browser = as_member(company.member)
    assert browser.get(reverse("data_requests:mine")).status_code == 200
    response = browser.post(
        reverse("data_requests:mine"), {"description": "My attendance records", "language": "zh"}
    )
    assert response.status_code == 302
    mine = DataRequest.objects.for_tenant(company.tenant).get()
    assert (mine.requester_id, mine.self_service) == (company.member.pk, True)
    assert browser.get(reverse("data_requests:detail", args=[mine.pk])).status_code == 200
    assert browser.get(reverse("data_requests:list")).status_code == 404
    assert browser.get(reverse("data_requests:complete", args=[mine.pk])).status_code == 404


def test_completing_a_correction_lists_the_third_parties(
    as_member: Login, company: Company, received: Received
) -> None:
    import datetime as dt

    from harbour.core.time import HONG_KONG
    from harbour.data_requests.actions import record_disclosure

    assert company.admin is not None
    disclosure = record_disclosure(
        company.system,
        subject=company.member,
        recipient="MPF trustee",
        data_disclosed="Address",
        disclosed_at=dt.datetime.now(HONG_KONG) - dt.timedelta(days=20),
    )
    request = received(3, kind="correction", requester=company.member)
    browser = as_member(company.admin)
    url = reverse("data_requests:complete", args=[request.pk])
    assert "MPF trustee" in browser.get(url).content.decode()
    today = today_in_hong_kong().isoformat()
    form = {
        "satisfied_inaccurate": "on",
        "correction_made": "Address fixed",
        "corrected_copy_supplied_on": today,
    }
    missing = browser.post(url, form)
    assert missing.status_code == 400 and "MPF trustee" in missing.content.decode()
    done = browser.post(url, {**form, f"tp_{disclosure.pk}_notified": "on", f"tp_{disclosure.pk}_on": today})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.state == State.COMPLETED and request.third_parties.get().notified


def test_refused_request_page_links_its_log_book_entry(
    as_member: Login, company: Company, received: Received
) -> None:
    assert company.admin is not None
    request = refuse_request(company.system, received(2), ground="s20_3_e_form", reasons="Form")
    entry = LogBookEntry.objects.for_tenant(company.tenant).get()
    page = as_member(company.admin).get(reverse("data_requests:detail", args=[request.pk])).content.decode()
    assert entry.keep_until().isoformat() in page


def test_list_page_costs_the_same_whatever_the_number_of_requests(
    as_member: Login, company: Company, received: Received
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert company.admin is not None
    browser = as_member(company.admin)
    url = reverse("data_requests:list")
    for days in (1, 45, 3):
        received(days, name=f"Person {days}")
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for days in (5, 6, 7, 50, 60):
        received(days, name=f"Person {days}")
    with CaptureQueriesContext(connection) as more:
        assert browser.get(url).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)
