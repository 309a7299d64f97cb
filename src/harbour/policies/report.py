"""The acknowledgements of a version as CSV evidence: who, when (Hong Kong time with its offset), from which
address and browser. Cells a spreadsheet would run as a formula are written as text."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from harbour.core.time import local
from harbour.policies.models import PolicyVersion
from harbour.policies.queries import acknowledgements_of


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def acknowledgements_csv(version: PolicyVersion) -> tuple[str, int]:
    """CSV text and its number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Policy"),
            _("Version"),
            _("Member"),
            _("Email"),
            _("Acknowledged at"),
            _("IP address"),
            _("Browser"),
        ]
    )
    rows = 0
    policy = version.document.name
    for ack in acknowledgements_of(version).order_by("acknowledged_at", "id").iterator(chunk_size=2000):
        writer.writerow(
            [
                _cell(policy),
                str(version.number),
                _cell(ack.member_name),
                _cell(ack.member_email),
                local(ack.acknowledged_at).isoformat(timespec="seconds"),
                ack.ip_address or "",
                _cell(ack.user_agent),
            ]
        )
        rows += 1
    return buffer.getvalue(), rows
