"""Procurement in the console, as a person uses it: the navigation entry, recording a reseller with its
contacts, the SLA upload (PDF only), importing the partner list from a CSV file, a quote's checklist and
red flags, proposing a verdict and signing it off in place (HTMX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member
from harbour.plans.queries import get_plan
from harbour.procurement import actions
from harbour.procurement.models import PartnerList, Quote, Reseller
from tests.factories import Company
from tests.procurement.builders import PDF, Signatories, current_list, fresh, procurement_rows, sound_quote

pytestmark = pytest.mark.django_db

Login = Callable[[Member], Client]


@pytest.fixture
def login() -> Login:
    def sign_in(member: Member) -> Client:
        client = Client()
        assert member.account is not None
        client.force_login(member.account)
        return client

    return sign_in


@pytest.fixture
def admin(company: Company, login: Login) -> Client:
    assert company.admin is not None
    return login(company.admin)


def test_navigation_shows_procurement_to_those_who_may_see_it(
    company: Company, admin: Client, login: Login
) -> None:
    assert company.member is not None
    assert ">Procurement</a>" in admin.get("/").content.decode()
    assert ">Procurement</a>" not in login(company.member).get("/").content.decode()
    assert login(company.member).get(reverse("procurement:quotes")).status_code == 404


def _reseller_form(**extra: str) -> dict[str, str]:
    return {
        "name": "TechSphere HK",
        "registered_name": "TechSphere Hong Kong Limited",
        "br_number": "31234567",
        "hk_address": "Cyberport 3, Hong Kong",
        "certificate_number": "DT-HK-2025-0042",
        "notes": "",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "Ada Wong",
        "contacts-0-email": "ada@techsphere.hk",
        "contacts-0-phone": "",
        "contacts-1-name": "",
        "contacts-1-email": "",
        "contacts-1-phone": "",
        **extra,
    }


def test_record_a_reseller_with_contacts(company: Company, admin: Client) -> None:
    response = admin.post(reverse("procurement:reseller_create"), _reseller_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    reseller = Reseller.objects.for_tenant(company.tenant).get()
    assert reseller.contacts == [{"name": "Ada Wong", "email": "ada@techsphere.hk", "phone": ""}]
    page = admin.get(response["Location"]).content.decode()
    assert "TechSphere Hong Kong Limited" in page and "To be re-verified" in page

    listing = admin.get(reverse("procurement:resellers"), {"q": "31234"}, headers={"HX-Request": "true"})
    assert listing.status_code == 200 and "<html" not in listing.content.decode()
    assert "TechSphere HK" in listing.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"br_number": "3123"}, "is not a Business Registration number"),
        ({"contacts-0-email": "not-an-email"}, "is not a valid email address"),
        ({"contacts-0-email": ""}, "needs an email address or a phone number"),
    ],
)
def test_bad_reseller_form_shows_the_error_and_saves_nothing(
    admin: Client, extra: dict[str, str], message: str
) -> None:
    before = procurement_rows()
    response = admin.post(reverse("procurement:reseller_create"), _reseller_form(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert procurement_rows() == before


def test_verify_the_certificate(company: Company, admin: Client) -> None:
    reseller = actions.create_reseller(company.system, name="GDC", certificate_number="DT-7")
    url = reverse("procurement:reseller_verify", args=[reseller.pk])
    assert admin.post(url, {"note": ""}).status_code == 400
    assert admin.post(url, {"note": "DingTalk hotline, case 12"}).status_code == 302
    reseller.refresh_from_db()
    assert reseller.status == "verified" and reseller.certificate_verified_by_label.startswith("Ada Admin")


def test_upload_the_signed_sla_and_download_it(company: Company, admin: Client, _uploads: Path) -> None:
    reseller = actions.create_reseller(company.system, name="GDC")
    url = reverse("procurement:reseller_sla", args=[reseller.pk])
    signed = (today_in_hong_kong() - dt.timedelta(days=1)).isoformat()
    response = admin.post(url, {"document": SimpleUploadedFile("GDC SLA.pdf", PDF), "signed_on": signed})
    assert response.status_code == 302
    reseller.refresh_from_db()
    assert reseller.sla_filename == "GDC SLA.pdf" and reseller.has_sla
    assert Path(reseller.sla_document.path).is_relative_to(_uploads)
    download = admin.get(reverse("procurement:reseller_sla_document", args=[reseller.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    from harbour.audit.models import AuditEvent

    downloaded = AuditEvent.objects.for_tenant(company.tenant).filter(kind="file.downloaded").get()
    assert downloaded.target_id == str(reseller.pk) and downloaded.data["filename"] == "GDC SLA.pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("sla.pdf", b"<html>not a pdf</html>"), "must be a PDF"),
        (SimpleUploadedFile("sla.docx", PDF), "must be a PDF"),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "larger than 10 MB"),
    ],
)
def test_an_sla_that_is_not_a_small_pdf_is_refused(
    company: Company, admin: Client, upload: SimpleUploadedFile, message: str, _uploads: Path
) -> None:
    reseller = actions.create_reseller(company.system, name="GDC")
    before, rows = fresh(reseller), procurement_rows()
    response = admin.post(
        reverse("procurement:reseller_sla", args=[reseller.pk]),
        {"document": upload, "signed_on": today_in_hong_kong().isoformat()},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert fresh(reseller) == before and procurement_rows() == rows
    assert not _uploads.exists() or not any(_uploads.rglob("*.pdf"))


def test_import_the_partner_list_from_a_csv_file(company: Company, admin: Client) -> None:
    csv = b"name,br_number,region\nTechSphere HK,31234567,Hong Kong\nGDC,,Hong Kong\n"
    response = admin.post(
        reverse("procurement:partner_list_import"),
        {"published_on": "2025-06-01", "file": SimpleUploadedFile("partners-2025Q2.csv", csv)},
    )
    assert response.status_code == 302
    imported = PartnerList.objects.for_tenant(company.tenant).get()
    assert imported.source == "partners-2025Q2.csv" and imported.row_count == 2
    page = admin.get(response["Location"]).content.decode()
    assert "TechSphere HK" in page and "31234567" in page
    assert "2025-06-01" in admin.get(reverse("procurement:partner_lists")).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,br_number\nGood Ltd,12345678\nBad Ltd,12\n", "line 3"),
        ("name\nCaf\u00e9 Ltd\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_bad_csv_file_is_refused_whole(admin: Client, content: bytes, message: str) -> None:
    before = procurement_rows()
    response = admin.post(
        reverse("procurement:partner_list_import"),
        {"published_on": "2025-06-01", "file": SimpleUploadedFile("list.csv", content)},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert procurement_rows() == before


def test_quote_page_shows_each_rule_with_its_reason_and_the_red_flags(
    company: Company, admin: Client
) -> None:
    quote = sound_quote(company, reseller=None)
    actions.update_reseller(company.system, quote.reseller, hk_address="")
    html = admin.get(reverse("procurement:quote", args=[quote.pk])).content.decode()
    assert "On DingTalk&#x27;s official partner list (current quarter)" in html
    assert "no official partner list has been imported" in html
    assert "No local contact address" in html and "the reseller has given no local contact address" in html
    assert 'class="pass"' in html and 'class="fail"' in html


def test_enter_a_quote_and_record_the_support_test(company: Company, admin: Client) -> None:
    reseller = actions.create_reseller(company.system, name="GDC")
    response = admin.post(
        reverse("procurement:quote_create"),
        {
            "reseller": str(reseller.pk),
            "reference": "Q-1",
            "plan": "professional",
            "seats": "25",
            "term": "annual",
            "unit_price": "-1",
            "invoice_issuer": "",
            "payer_name": "",
        },
    )
    assert response.status_code == 400 and not Quote.objects.for_tenant(company.tenant).exists()
    form = {
        "reseller": str(reseller.pk),
        "reference": "Q-1",
        "plan": "professional",
        "seats": "25",
        "term": "annual",
        "unit_price": "79.50",
    }
    response = admin.post(reverse("procurement:quote_create"), form)
    assert response.status_code == 302
    quote = Quote.objects.for_tenant(company.tenant).get()
    response = admin.post(
        reverse("procurement:quote_support_test", args=[quote.pk]),
        {
            "query_sent_at": "2025-06-02T10:00",
            "first_answer_at": "2025-06-02T10:30",
            "answer_language": "cantonese",
        },
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.support_query_sent_at == dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC)


def test_propose_and_sign_off_in_place(
    company: Company, admin: Client, login: Login, signers: Signatories
) -> None:
    current_list(company)
    quote = sound_quote(company)
    assert (
        admin.post(
            reverse("procurement:quote_verdict", args=[quote.pk]), {"decision": "approve", "reasons": "ok"}
        ).status_code
        == 302
    )

    legal = login(signers.legal)
    detail = legal.get(reverse("procurement:quote", args=[quote.pk])).content.decode()
    assert "as Legal" in detail and "as Information Security" not in detail
    sign = reverse("procurement:quote_sign", args=[quote.pk])
    swapped = legal.post(sign, {"capacity": "legal", "note": "contract read"}, headers={"HX-Request": "true"})
    assert swapped.status_code == 200
    fragment = swapped.content.decode()
    assert fragment.startswith('<section class="card decision" id="decision"') and "Lena Legal" in fragment

    refused = legal.post(sign, {"capacity": "infosec"}, headers={"HX-Request": "true"})
    assert "needs the permission" in refused.content.decode()

    assert login(signers.infosec).post(sign, {"capacity": "infosec"}).status_code == 302
    quote.refresh_from_db()
    assert quote.status == "approved"
    assert admin.get(reverse("procurement:quote_edit", args=[quote.pk])).status_code == 302  # locked


def test_approving_a_quote_with_a_failing_rule_is_refused_in_the_console(
    company: Company, admin: Client
) -> None:
    quote = sound_quote(company)  # no partner list
    response = admin.post(
        reverse("procurement:quote_verdict", args=[quote.pk]), {"decision": "approve", "reasons": "ok"}
    )
    assert response.status_code == 400
    assert "cannot be approved while checks fail" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == "open"


def test_quote_list_costs_the_same_queries_for_more_quotes(company: Company, admin: Client) -> None:
    reseller = sound_quote(company).reseller
    url = reverse("procurement:quotes")
    admin.get(url)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    for i in range(8):
        sound_quote(
            company, reseller=reseller, plan=get_plan("basic" if i % 2 else "premium"), reference=f"Q-{i}"
        )
    with CaptureQueriesContext(connection) as many:
        assert admin.get(url).content.decode().count("Q-") == 8
    assert len(many.captured_queries) == len(few.captured_queries)
