"""Evidence of security training for an auditor: per session or per quarter, one row per member (member,
department, attended, attempts, best score, passed, completed at), as CSV or as a printed PDF with the
session details and the summary counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.pdf import template_to_pdf
from harbour.core.time import local, now
from harbour.training.models import Session
from harbour.training.queries import Standing, counts, standings


@dataclass(frozen=True)
class SessionEvidence:
    session: Session
    rows: list[Standing]
    counts: dict[str, int]


def session_evidence(session: Session, *, at: dt.datetime | None = None) -> SessionEvidence:
    rows = standings(session, at=at)
    return SessionEvidence(session, rows, counts(rows, session.due_at))


def _when(value: dt.datetime | None) -> str:
    return local(value).isoformat(timespec="minutes") if value else ""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def attendance_label(row: Standing) -> str:
    if row.attendance == "attended":
        return _("yes")
    if row.attendance == "absent":
        return _("no (absent)")
    return _("no (not recorded)")


def header(*, with_session: bool) -> list[str]:
    head = [
        _("Member"),
        _("Email"),
        _("Department"),
        _("Attended"),
        _("Attempts"),
        _("Best score"),
        _("Passed"),
        _("Completed at"),
        _("Overdue"),
    ]
    return [_("Session"), *head] if with_session else head


def cells(row: Standing) -> list[str]:
    return [
        row.member.name,
        row.member.email,
        row.department,
        attendance_label(row),
        str(row.attempts),
        "" if row.best_score is None else str(row.best_score),
        _yes(row.passed),
        _when(row.completed_at),
        _yes(row.overdue),
    ]


def csv_text(evidence: list[SessionEvidence], *, with_session: bool) -> tuple[str, int]:
    """The CSV and how many member rows it holds."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(with_session=with_session))
    n = 0
    for item in evidence:
        for row in item.rows:
            writer.writerow([item.session.title, *cells(row)] if with_session else cells(row))
            n += 1
    return out.getvalue(), n


def pdf_bytes(evidence: list[SessionEvidence], *, title: str, company: str) -> bytes:
    context: dict[str, Any] = {
        "title": title,
        "company": company,
        "generated_at": local(now()),
        "sessions": [
            {
                "session": item.session,
                "starts_at": local(item.session.starts_at),
                "ends_at": local(item.session.ends_at),
                "counts": item.counts,
                "rows": [cells(row) for row in item.rows],
                "erased": item.session.records_erased_at is not None,
            }
            for item in evidence
        ],
        "header": header(with_session=False),
    }
    return template_to_pdf("training/print_evidence.html", context)
