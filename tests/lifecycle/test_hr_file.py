"""Reading HR exports: CSV and XLSX, columns found by their usual names or a mapping, every bad row reported,
and the dry-run diff of joiners, movers, leavers, updates and disputes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from harbour.core.errors import Invalid
from harbour.directory.models import Member
from harbour.lifecycle.diff import compute_diff
from harbour.lifecycle.hr_file import read_hr_file
from tests.factories import Company

TODAY = dt.date(2026, 12, 1)


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_export_with_the_usual_headers(company: Company) -> None:
    data = _csv(
        "Staff ID,Work Email,English Name,Chinese Name,Department,Job Title,Start Date",
        "E-100,new.hire@acme.com.hk,New Hire,新人,Finance / Accounts Payable,Clerk,01/12/2026",
    )
    read = read_hr_file(company.tenant, data, "hr.csv", today=TODAY)
    assert read.errors == []
    record = read.records[0]
    assert (record.employee_number, record.email, record.name_zh) == ("E-100", "new.hire@acme.com.hk", "新人")
    assert record.department_id == company.departments["accounts"].pk
    assert record.hire_date == dt.date(2026, 12, 1) and not record.leaving
    assert read.columns["employee_number"] == "Staff ID"


def test_an_xlsx_export_with_a_mapping_and_semicolons_elsewhere(company: Company) -> None:
    data = _xlsx(
        [
            ["Personnel no.", "Mail", "Full name", "Dept", "Leave date"],
            ["E-7", "leaving@acme.com.hk", "Leaving Soon", "Human Resources", dt.date(2026, 11, 30)],
        ]
    )
    read = read_hr_file(
        company.tenant,
        data,
        "export.xlsx",
        mapping={"employee_number": "Personnel no.", "email": "Mail", "end_date": "Leave date"},
        today=TODAY,
    )
    assert read.errors == [] and read.records[0].leaving  # the end date has passed
    semicolons = _csv("employee number;email;name", "E-8;semi@acme.com.hk;Semi Colon")
    assert read_hr_file(company.tenant, semicolons, "hr.csv").records[0].name == "Semi Colon"


def test_every_bad_row_is_reported_at_once(company: Company) -> None:
    data = _csv(
        "employee number,email,name,department,start date,status",
        "E-1,someone@gmail.com,Outside Domain,Finance,,",
        "E-2,fine@acme.com.hk,,Finance,,",
        "E-3,other@acme.com.hk,Bad Date,Finance,31/02/2026,",
        "E-4,nodept@acme.com.hk,No Dept,Marketing,,",
        "E-5,status@acme.com.hk,Odd Status,Finance,,on holiday",
        "E-6,dup@acme.com.hk,First,Finance,,",
        "E-6,dup2@acme.com.hk,Second,Finance,,",
    )
    read = read_hr_file(company.tenant, data, "hr.csv")
    errors = {(e.row, e.field) for e in read.errors}
    assert errors == {
        (2, "email"),
        (3, "name"),
        (4, "hire_date"),
        (5, "department"),
        (6, "status"),
        (8, "employee_number"),
    }
    assert "verified domains" in next(e.message for e in read.errors if e.row == 2)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "hr.csv", "empty"),
        (_csv("email,name"), "hr.csv", "no employees"),
        (_csv("colour,shape", "red,round"), "hr.csv", "needs a column"),
        ("employee number,name\nE-1,Ch\xe9\n".encode("latin-1"), "hr.csv", "UTF-8"),
        (b"PK\x03\x04broken", "hr.xlsx", "not a readable XLSX"),
    ],
)
def test_unreadable_files_are_refused_whole(company: Company, data: bytes, name: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        read_hr_file(company.tenant, data, name)
    assert message in refused.value.message and refused.value.field == "file"


def test_the_dry_run_diff(company: Company) -> None:
    from harbour.directory import actions

    member, manager = company.member, company.manager
    assert member is not None and manager is not None
    actions.update_member(company.admin, member, employee_number="E-200")
    actions.update_member(company.admin, manager, employee_number="E-300")
    data = _csv(
        "employee number,email,name,department,title,status",
        "E-100,joiner@acme.com.hk,Joiner,Finance,Clerk,",  # nobody has it: create
        f"E-200,{member.email},{member.name},Human Resources,Officer,",  # moved department
        f"E-300,{manager.email},{manager.name},,,leaver",  # leaving
        f",{company.admin.email},Renamed Admin,,,",  # found by address, renamed
        "E-999,someone.new@acme.com.hk,Someone,,,",  # unknown number, unknown address: create
        f"E-300,{company.admin.email},Clash,,,",  # number and address of two accounts
    )
    read = read_hr_file(company.tenant, data, "hr.csv", today=TODAY)
    # the reader reports the repeated number and address (rows 7); the diff still classifies every record
    assert {(e.row, e.field) for e in read.errors} == {(7, "employee_number"), (7, "email")}
    diff = compute_diff(company.tenant, read.records)
    kinds = [c.kind for c in diff.changes]
    assert kinds == ["create", "move", "leave", "update", "create", "disputed"]
    assert diff.changes[1].fields["title"][1] == "Officer"
    assert diff.changes[3].fields["name"] == ("Ada Admin", "Renamed Admin")
    assert "E-300" in diff.changes[5].reason
    absent_ids = {c.member_id for c in diff.absent}
    assert all(Member.objects.for_tenant(company.tenant).filter(pk=i).exists() for i in absent_ids)
    full = compute_diff(company.tenant, read.records, full_export=True)
    assert full.counts()["leave"] >= diff.counts()["leave"] and full.counts()["absent"] == 0
