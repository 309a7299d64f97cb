"""Importing the official partner list through the API: JSON rows or CSV text, every import kept; a bad
row refuses the whole list, naming its line, and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.audit.models import AuditEvent
from harbour.core.time import today_in_hong_kong
from harbour.procurement.models import PartnerList
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.procurement.builders import procurement_rows

pytestmark = pytest.mark.django_db

CSV = (
    "\ufeffName,BR Number,Region,Website\n"
    "Global Digital Cyber (GDC Hong Kong),32345678,Hong Kong,https://gdc.example\n"
    "\n"
    "TechSphere HK,31234567-000-05-25-3,Hong Kong,\n"
    'Accounting Master Limited,,"Hong Kong",\n'
)


def _today() -> str:
    return today_in_hong_kong().isoformat()


def test_import_csv_and_json_and_keep_every_import(company: Company, admin_api: ApiClient) -> None:
    first = admin_api.post(
        "/procurement/partner-lists", {"published_on": "2025-06-01", "csv": CSV, "source": "dingtalk.com"}
    )
    assert first.status_code == 201, first.content
    assert body(first)["row_count"] == 3 and body(first)["imported_by"].startswith("Ada Admin")
    second = admin_api.post(
        "/procurement/partner-lists",
        {"published_on": _today(), "rows": [{"name": "TechSphere HK", "br_number": "31234567"}]},
    )
    assert second.status_code == 201
    listed = body(admin_api.get("/procurement/partner-lists"))["items"]
    assert [item["published_on"] for item in listed] == ["2025-06-01", _today()]
    entries = PartnerList.objects.for_tenant(company.tenant).get(pk=body(first)["id"]).entries.all()
    assert [(e.line, e.name, e.br_number) for e in entries] == [
        (2, "Global Digital Cyber (GDC Hong Kong)", "32345678"),
        (4, "TechSphere HK", "31234567-000-05-25-3"),
        (5, "Accounting Master Limited", ""),
    ]
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="partner_list.imported").count() == 2


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"csv": "name,br_number\nGood Ltd,12345678\n,87654321\n"}, "csv", "line 3: the name is empty"),
        ({"csv": "name,br_number\nGood Ltd,12345678\nBad Ltd,1234\n"}, "csv", "line 3"),
        ({"csv": "company_id,br_number\n1,12345678\n"}, "csv", "no 'name' column"),
        ({"csv": "name\nA Ltd,extra\n"}, "csv", "line 2"),
        ({"csv": "name,br_number\n"}, "csv", "no rows"),
        ({"csv": ""}, "csv", "empty"),
        ({"rows": [{"name": "Fine Ltd"}, {"name": "Bad BR", "br_number": "x"}]}, "rows", "rows[1]"),
        ({"rows": []}, "rows", "no rows"),
        ({"rows": [{"name": "A"}], "csv": "name\nA\n"}, "rows", "either"),
        ({}, "rows", "either"),
    ],
)
def test_a_bad_list_is_refused_whole_naming_the_row(
    admin_api: ApiClient, payload: dict[str, object], field: str, words: str
) -> None:
    before = procurement_rows()
    problem = assert_problem(
        admin_api.post("/procurement/partner-lists", {"published_on": _today(), **payload}), 422, field
    )
    assert words in problem["detail"]
    assert procurement_rows() == before


def test_a_list_published_in_the_future_is_refused(admin_api: ApiClient) -> None:
    tomorrow = (today_in_hong_kong() + dt.timedelta(days=1)).isoformat()
    before = procurement_rows()
    assert_problem(
        admin_api.post("/procurement/partner-lists", {"published_on": tomorrow, "csv": "name\nA Ltd\n"}),
        422,
        "published_on",
    )
    assert procurement_rows() == before


def test_general_members_cannot_import(company: Company) -> None:
    assert company.member is not None
    client = api_as(company.member)
    before = procurement_rows()
    response = client.post("/procurement/partner-lists", {"published_on": _today(), "csv": CSV})
    assert_problem(response, 403)
    assert procurement_rows() == before
