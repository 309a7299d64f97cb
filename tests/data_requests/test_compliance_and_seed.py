"""The compliance checks computed from the company's requests, and the demo seed."""

from __future__ import annotations

import datetime as dt

from harbour.core.compliance import Status, checks_for
from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.data_requests.actions import (
    complete_access,
    complete_correction,
    record_disclosure,
    refuse_request,
)
from harbour.data_requests.compliance_checks import (
    access_requests_answered_in_time,
    correction_requests_answered_in_time,
    corrections_recorded,
    refusals_in_the_log_book,
)
from harbour.data_requests.models import DataRequest, Kind, LogBookEntry, State, Timeliness
from harbour.demo.data_requests_seed import seed_data_requests
from tests.data_requests.conftest import Received
from tests.factories import Company


def test_checks_are_registered_for_the_rules() -> None:
    assert access_requests_answered_in_time in checks_for("PDPO-DPP6-DAR")
    assert correction_requests_answered_in_time in checks_for("PDPO-DPP6-DCR")
    assert refusals_in_the_log_book in checks_for("PDPO-S27-LOGBOOK")
    assert corrections_recorded in checks_for("PDPO-DPP2-ACCURACY")


def test_no_requests_is_not_applicable(company: Company) -> None:
    for check in (
        access_requests_answered_in_time,
        correction_requests_answered_in_time,
        refusals_in_the_log_book,
        corrections_recorded,
    ):
        assert check(company.tenant.pk).status == Status.NOT_APPLICABLE


def test_access_requests_met_until_one_is_overdue(received: Received, company: Company) -> None:
    tenant = company.tenant.pk
    today = today_in_hong_kong()
    complete_access(company.system, received(20), data_held=True, supplied="file", supplied_on=today)
    received(5)
    finding = access_requests_answered_in_time(tenant)
    assert finding.status == Status.MET and finding.summary.startswith("2 of 2 ")
    received(41)  # overdue: no answer, no notice
    finding = access_requests_answered_in_time(tenant)
    assert finding.status == Status.GAP and finding.summary.startswith("2 of 3 ")
    assert [e.count for e in finding.evidence] == [3, 1, 0]


def test_corrections_need_the_clock_and_every_third_party(received: Received, company: Company) -> None:
    tenant = company.tenant.pk
    gary = company.member
    request = received(10, kind=Kind.CORRECTION, requester=gary)
    complete_correction(
        company.system,
        request,
        satisfied_inaccurate=True,
        correction_made="Address updated",
        corrected_copy_supplied_on=today_in_hong_kong(),
    )
    assert correction_requests_answered_in_time(tenant).status == Status.MET
    assert corrections_recorded(tenant).status == Status.MET
    # a disclosure recorded afterwards that fell inside the lookback was never told of the correction
    record_disclosure(
        company.system,
        subject=gary,
        recipient="Insurer",
        data_disclosed="Address",
        disclosed_at=dt.datetime.now(HONG_KONG) - dt.timedelta(days=30),
    )
    finding = correction_requests_answered_in_time(tenant)
    assert finding.status == Status.GAP and "1 of 1 third parties not accounted for" in finding.summary


def test_log_book_check_finds_a_refusal_without_its_entry(received: Received, company: Company) -> None:
    tenant = company.tenant.pk
    refuse_request(company.system, received(3), ground="s20_3_e_form", reasons="Not on the form")
    finding = refusals_in_the_log_book(tenant)
    assert finding.status == Status.MET and finding.summary.startswith("All 1 refusal")
    LogBookEntry.objects.for_tenant(company.tenant).delete()  # removed behind the product's back
    finding = refusals_in_the_log_book(tenant)
    assert finding.status == Status.GAP
    assert [e.count for e in finding.evidence] == [1, 0, 1, 1]


def test_demo_seed(company: Company) -> None:
    assert company.admin and company.member and company.outsider
    seed_data_requests(company.admin, company.member, company.outsider)
    requests = DataRequest.objects.for_tenant(company.tenant)
    today = today_in_hong_kong()
    open_one = requests.get(state=State.RECEIVED)
    assert (open_one.requester_id, open_one.day_number(today)) == (company.member.pk, 12)
    corrected = requests.get(kind=Kind.CORRECTION)
    assert corrected.state == State.COMPLETED and corrected.third_parties.get().notified
    refused = requests.get(state=State.REFUSED)
    assert refused.log_book_entries.get().ground == "s20_3_a_language"
    assert {r.timeliness(refused.closed_at) for r in requests} <= {Timeliness.RUNNING, Timeliness.ON_TIME}
    for check in (
        access_requests_answered_in_time,
        correction_requests_answered_in_time,
        refusals_in_the_log_book,
    ):
        assert check(company.tenant.pk).status == Status.MET
