"""Reading an HR system's export (CSV or XLSX) into validated employee records.

A file is read whole before anything is decided: every row is checked (required fields, addresses the company
accepts, dates, departments that exist, no employee number or address twice) and a file with any bad row is
refused with every row's errors listed, so a malformed file changes nothing. Columns are found by their
header; the usual names of HR systems are recognised and a mapping can name others.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.admission import email_checker
from harbour.core.errors import HarbourError, Invalid
from harbour.core.models import Tenant
from harbour.directory.models import Department
from harbour.directory.validation import clean_email

MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024

FIELDS = (
    "employee_number",
    "email",
    "name",
    "name_zh",
    "department",
    "title",
    "manager_email",
    "hire_date",
    "end_date",
    "status",
)

# Header names HR systems use for each field (compared lower-case, spaces/underscores/dashes ignored).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "employee_number": (
        "employeenumber",
        "employeeno",
        "employeeid",
        "staffid",
        "staffno",
        "empno",
        "員工編號",
    ),
    "email": ("email", "workemail", "emailaddress", "businessemail", "電郵"),
    "name": ("name", "englishname", "fullname", "displayname", "姓名"),
    "name_zh": ("namezh", "chinesename", "中文姓名"),
    "department": ("department", "dept", "departmentpath", "部門"),
    "title": ("title", "jobtitle", "position", "職位"),
    "manager_email": ("manageremail", "linemanageremail", "reportsto", "manager"),
    "hire_date": ("hiredate", "startdate", "dateofhire", "joindate", "入職日期"),
    "end_date": ("enddate", "lastday", "lastworkingday", "terminationdate", "leavedate", "離職日期"),
    "status": ("status", "employmentstatus", "狀態"),
}

LEAVING_STATUSES = {"leaver", "left", "terminated", "resigned", "inactive", "離職"}
ACTIVE_STATUSES = {"", "active", "employed", "current", "在職", "hire", "new"}


@dataclass(frozen=True)
class HrRecord:
    """One employee as the HR system sees them."""

    row: int
    employee_number: str
    email: str
    name: str
    name_zh: str = ""
    department_id: Any = None
    department_label: str = ""
    title: str = ""
    manager_email: str = ""
    hire_date: dt.date | None = None
    end_date: dt.date | None = None
    leaving: bool = False


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class HrFile:
    records: list[HrRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → the header it was read from


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-./]", "", header.strip().lower())


def find_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """field → column index, from an explicit mapping (field → header) first, then the usual names."""
    normalised = [_norm(h) for h in headers]
    found: dict[str, int] = {}
    for name, header in (mapping or {}).items():
        if name not in FIELDS:
            raise Invalid(_("%(field)s is not an HR field") % {"field": name}, field="mapping")
        if _norm(header) not in normalised:
            raise Invalid(
                _("the file has no column %(header)r (mapped to %(field)s)")
                % {"header": header, "field": name},
                field="mapping",
            )
        found[name] = normalised.index(_norm(header))
    for name, synonyms in SYNONYMS.items():
        if name not in found:
            index = next((i for i, h in enumerate(normalised) if h in synonyms), None)
            if index is not None and index not in found.values():
                found[name] = index
    missing = [name for name in ("name",) if name not in found]
    if "employee_number" not in found and "email" not in found:
        missing.insert(0, "employee_number or email")
    if missing:
        raise Invalid(
            _("the file needs a column for %(fields)s (found: %(headers)s)")
            % {"fields": ", ".join(missing), "headers": ", ".join(headers)},
            field="file",
        )
    return found


def _rows_of_csv(data: bytes) -> Iterator[list[str]]:
    """Decoded at once (a file that is not UTF-8 is refused before any row is read)."""
    text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8-sig")
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):  # one column, or too little text to tell: commas
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return iter(csv.reader(io.StringIO(text), dialect))


def _rows_of_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Invalid(
            _("the file is not a readable XLSX workbook: %(reason)s") % {"reason": exc}, field="file"
        ) from None
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [
            "" if v is None else (v.isoformat() if isinstance(v, dt.datetime | dt.date) else str(v))
            for v in values
        ]
    workbook.close()


def table_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    if len(data) > MAX_BYTES:
        raise Invalid(
            _("the file is larger than %(mb)d MB") % {"mb": MAX_BYTES // (1024 * 1024)}, field="file"
        )
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _rows_of_xlsx(data)
    try:
        return _rows_of_csv(data)
    except UnicodeDecodeError:
        raise Invalid(_("a CSV file must be UTF-8 text"), field="file") from None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def department_index(tenant: Tenant) -> dict[str, Department]:
    """Departments by their names and by their path from the top ("Finance / Accounts Payable")."""
    departments = list(Department.objects.for_tenant(tenant).order_by("depth"))
    by_id = {d.pk: d for d in departments}
    index: dict[str, Department] = {}
    for d in departments:
        names = [d.name]
        parent = by_id.get(d.parent_id)
        while parent is not None:
            names.insert(0, parent.name)
            parent = by_id.get(parent.parent_id)
        index[" / ".join(names).lower()] = d
        index.setdefault(d.name.lower(), d)
        if d.name_zh:
            index.setdefault(d.name_zh.lower(), d)
    return index


def read_hr_file(
    tenant: Tenant,
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> HrFile:
    """Read and check a whole file. ``errors`` lists every bad row; ``records`` is only usable when empty."""
    rows = table_rows(data, filename)
    headers = next(rows, None)
    if not headers or not any(h.strip() for h in headers):
        raise Invalid(_("the file is empty: it needs a header row and a row per employee"), field="file")
    columns = find_columns([h.strip() for h in headers], mapping)
    result = HrFile(columns={name: headers[i].strip() for name, i in columns.items()})
    checker = email_checker(tenant.pk)
    departments = department_index(tenant)
    today = today or dt.date.today()
    numbers: dict[str, int] = {}
    emails: dict[str, int] = {}
    number_label, email_label = _("employee number"), _("email")
    for row_number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values):
            continue
        if len(result.records) + len(result.errors) >= MAX_ROWS:
            raise Invalid(_("at most %(n)d rows per file") % {"n": MAX_ROWS}, field="file")
        cell = {name: (values[i].strip() if i < len(values) else "") for name, i in columns.items()}
        record = _record(tenant, row_number, cell, checker, departments, today, result.errors)
        if record is None:
            continue
        for key, seen, label in (
            (record.employee_number, numbers, number_label),
            (record.email, emails, email_label),
        ):
            if key and key in seen:
                result.errors.append(
                    RowError(
                        row_number,
                        "employee_number" if seen is numbers else "email",
                        _("%(what)s %(value)s is also on row %(row)d")
                        % {"what": label, "value": key, "row": seen[key]},
                    )
                )
            elif key:
                seen[key] = row_number
        result.records.append(record)
    if not result.records and not result.errors:
        raise Invalid(_("the file has a header row but no employees"), field="file")
    return result


def _record(
    tenant: Tenant,
    row: int,
    cell: dict[str, str],
    checker: Any,
    departments: dict[str, Department],
    today: dt.date,
    errors: list[RowError],
) -> HrRecord | None:
    found: list[RowError] = []

    def refuse(field_name: str, message: str) -> None:
        found.append(RowError(row, field_name, message))

    number = cell.get("employee_number", "")
    email = ""
    if cell.get("email"):
        try:
            email = clean_email(cell["email"], tenant, checker=checker)
        except HarbourError as exc:
            refuse("email", exc.message)
    elif not number:
        refuse("email", _("an employee number or an email is needed"))
    name = cell.get("name", "")
    if not name:
        refuse("name", _("the name is empty"))
    dates: dict[str, dt.date | None] = {}
    for key in ("hire_date", "end_date"):
        try:
            dates[key] = parse_date(cell.get(key, ""))
        except ValueError:
            refuse(key, _("%(value)r is not a date (YYYY-MM-DD or DD/MM/YYYY)") % {"value": cell.get(key)})
    department = None
    label = cell.get("department", "")
    if label:
        department = departments.get(re.sub(r"\s*/\s*", " / ", label).lower())
        if department is None:
            refuse("department", _("no department %(name)r in the company") % {"name": label})
    status = cell.get("status", "").lower()
    if status not in LEAVING_STATUSES | ACTIVE_STATUSES:
        refuse(
            "status", _("%(value)r is not a status this import knows (active or leaver)") % {"value": status}
        )
    manager = cell.get("manager_email", "").strip().lower()
    if found:
        errors.extend(found)
        return None
    end = dates.get("end_date")
    return HrRecord(
        row=row,
        employee_number=number,
        email=email,
        name=name[:150],
        name_zh=cell.get("name_zh", "")[:60],
        department_id=department.pk if department else None,
        department_label=label,
        title=cell.get("title", "")[:120],
        manager_email=manager,
        hire_date=dates.get("hire_date"),
        end_date=end,
        leaving=status in LEAVING_STATUSES or (end is not None and end <= today),
    )
