"""Console URL-matrix rows for the announcements pages: the inbox is every member's own; the officers'
pages need ``announcement.view`` / ``announcement.manage``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from harbour.core.time import today_in_hong_kong
from tests.announcements import builders
from tests.console.test_url_matrix import Row
from tests.factories import Company


def _url(name: str, pick: str = "draft") -> Row:
    def build(c: Company) -> str:
        found = {
            "draft": lambda: builders.draft(c),
            "full": lambda: builders.draft(c, "Matrix complete", full=True),
            "sent": lambda: builders.sent(c),
            "scheduled": lambda: builders.scheduled(c),
        }[pick]()
        return reverse(name, args=[found.pk])

    return Row(build, foreign_object=True)


def _post(name: str, pick: str, data: dict[str, str] | None = None) -> Row:
    row = _url(name, pick)
    return Row(row.url, "post", data=lambda c: data or {}, foreign_object=True)


ROWS: dict[str, Row] = {
    "announcements:inbox": Row(lambda c: reverse("announcements:inbox"), self_service=True),
    "announcements:language": Row(
        lambda c: reverse("announcements:language"),
        "post",
        data=lambda c: {"language": "en"},
        self_service=True,
    ),
    "announcements:read": Row(
        lambda c: reverse("announcements:read", args=[builders.sent(c).pk]),
        self_service=True,
        foreign_object=True,
    ),
    "announcements:manage": Row(lambda c: reverse("announcements:manage")),
    "announcements:create": Row(lambda c: reverse("announcements:create")),
    "announcements:detail": _url("announcements:detail", "sent"),
    "announcements:edit": _url("announcements:edit"),
    "announcements:send": _url("announcements:send", "full"),
    "announcements:schedule": _post(
        "announcements:schedule",
        "full",
        {"day": (today_in_hong_kong() + dt.timedelta(days=3)).isoformat(), "time": "09:00"},
    ),
    "announcements:cancel": _post("announcements:cancel", "scheduled"),
    "announcements:delete": _url("announcements:delete"),
    "announcements:receipts_csv": _url("announcements:receipts_csv", "sent"),
}
