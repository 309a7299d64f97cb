"""The read receipts of an announcement as CSV (one row per recipient), for the officer's evidence."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from harbour.announcements.models import Announcement
from harbour.announcements.queries import deliveries_of
from harbour.core.time import local


def receipts_csv(announcement: Announcement) -> tuple[str, int]:
    """The CSV text and its number of recipients; times in Hong Kong time."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Name"), _("Email"), _("Department"), _("Language"), _("Delivered"), _("Read"), _("Read at")]
    )
    rows = 0
    for d in deliveries_of(announcement).order_by("member_name", "id").iterator(chunk_size=2000):
        writer.writerow(
            [
                d.member_name,
                d.member_email,
                d.department_name,
                d.language,
                local(d.delivered_at).strftime("%Y-%m-%d %H:%M"),
                _("yes") if d.read_at else _("no"),
                local(d.read_at).strftime("%Y-%m-%d %H:%M") if d.read_at else "",
            ]
        )
        rows += 1
    return out.getvalue(), rows


def csv_filename(announcement: Announcement) -> str:
    return f"announcement-receipts-{announcement.pk}.csv"
