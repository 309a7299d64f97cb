"""The register's console pages, as an officer and a member use them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory.models import Member
from harbour.pdpo.models import (
    DataCategory,
    GbaContract,
    MonitoringAssessment,
    NoticeShown,
    TransferAssessment,
)
from tests.factories import Company
from tests.pdpo import builders

pytestmark = pytest.mark.django_db


def test_home_shows_counts_and_gaps_with_links(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    builders.processor(company)
    page = as_member(company.admin).get(reverse("pdpo:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "PDPO-DPP4-PROCESSOR" in html and "DingTalk: missing audit rights" in html
    for name in (
        "inventory",
        "systems",
        "notices",
        "consents",
        "tias",
        "gba",
        "processors",
        "monitoring",
        "location",
    ):
        assert reverse(f"pdpo:{name}") in html


def test_officer_adds_a_category_and_bad_input_is_shown_next_to_the_field(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    client = as_member(company.admin)
    system = builders.system(company)
    data = {
        "name": "Chat records",
        "data_fields": "messages\nfiles",
        "purposes": "",
        "channel": "app",
        "obligatory": "on",
        "system_ids": [str(system.pk)],
        "storage_location": "DingTalk",
        "transferees": "DingTalk",
        "origin": "hk",
        "sensitivity": "normal",
    }
    refused = client.post(reverse("pdpo:inventory"), data)
    assert refused.status_code == 400
    assert not DataCategory.objects.for_tenant(company.tenant).exists()
    data["purposes"] = "internal communication\nrecord keeping"
    saved = client.post(reverse("pdpo:inventory"), data)
    assert saved.status_code == 302
    category = DataCategory.objects.for_tenant(company.tenant).get()
    assert category.purposes == ["internal communication", "record keeping"]
    assert list(category.systems.all()) == [system]
    detail = client.get(saved["Location"])
    assert "record keeping" in detail.content.decode()


def test_gba_page_shows_the_fallback_for_an_ineligible_contract(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    client = as_member(company.admin)
    response = client.post(
        reverse("pdpo:gba"),
        {"counterparty": "Hangzhou Vendor", "our_city": "hong_kong", "counterparty_city": "other",
         "counterparty_city_note": "Hangzhou"},
    )  # fmt: skip
    assert response.status_code == 302
    contract = GbaContract.objects.for_tenant(company.tenant).get()
    assert contract.eligible is False
    assert "use the RMC 2022 model clauses" in client.get(reverse("pdpo:gba")).content.decode()


def test_author_is_not_offered_approval_and_cannot_force_it(
    company: Company, approver: Member, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    client = as_member(company.admin)
    data = {
        **builders.TIA_ANSWERS,
        "title": "Chat to DingTalk",
        "review_on": "2099-01-01",
        "clause_reporting": "on",
    }
    data = {k: v for k, v in data.items() if v is not False}
    data = {k: ("on" if v is True else v) for k, v in data.items()}
    assert client.post(reverse("pdpo:tias"), data).status_code == 302
    tia = TransferAssessment.objects.for_tenant(company.tenant).get()
    page = client.get(reverse("pdpo:tia", args=[tia.pk])).content.decode()
    assert reverse("pdpo:tias_approve", args=[tia.pk]) not in page
    refused = client.post(reverse("pdpo:tias_approve", args=[tia.pk]), {})
    assert refused.status_code == 400 and "cannot approve their own" in refused.content.decode()
    other = as_member(approver)
    assert (
        reverse("pdpo:tias_approve", args=[tia.pk])
        in other.get(reverse("pdpo:tia", args=[tia.pk])).content.decode()
    )
    assert other.post(reverse("pdpo:tias_approve", args=[tia.pk]), {}).status_code == 302
    tia.refresh_from_db()
    assert tia.state == "approved" and tia.approver == approver


def test_monitoring_form_requires_the_three_as(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None
    client = as_member(company.admin)
    data = {**builders.MONITORING_ANSWERS, "accountability": ""}
    assert client.post(reverse("pdpo:monitoring"), data).status_code == 400
    assert not MonitoringAssessment.objects.for_tenant(company.tenant).exists()


def test_member_reads_the_pics_and_the_officer_sees_it(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.admin is not None and company.member is not None
    notice = builders.notice(company)
    page = as_member(company.member).get(reverse("pdpo:pics"))
    assert page.status_code == 200 and "first shown to you" in page.content.decode()
    assert NoticeShown.objects.for_tenant(company.tenant).filter(member=company.member).count() == 1
    officer = as_member(company.admin)
    assert company.member.name in officer.get(reverse("pdpo:notice", args=[notice.pk])).content.decode()
    assert company.member.email not in officer.get(reverse("pdpo:not_shown")).content.decode()
    # a member without the register permission cannot open the officer pages
    assert as_member(company.member).get(reverse("pdpo:home")).status_code == 404
