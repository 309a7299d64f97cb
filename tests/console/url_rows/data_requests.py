"""Console URL-matrix rows for the data_requests pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from harbour.core.time import today_in_hong_kong
from tests.console.test_url_matrix import Row
from tests.factories import Company


def _request(c: Company) -> Any:
    """An open access request of the company from an outside person (made on first use)."""
    from harbour.data_requests.actions import record_request
    from harbour.data_requests.models import OPEN_STATES, DataRequest

    found = (
        DataRequest.objects.for_tenant(c.tenant)
        .filter(requester_name="Matrix Requester", state__in=OPEN_STATES)
        .first()
    )
    if found is None:
        found = record_request(
            c.system,
            kind="access",
            received_on=today_in_hong_kong() - dt.timedelta(days=3),
            description="Matrix: my file",
            language="en",
            requester_name="Matrix Requester",
            requester_contact="matrix@example.com",
        )
    return found.pk


ROWS: dict[str, Row] = {
    "data_requests:list": Row(lambda c: reverse("data_requests:list")),
    "data_requests:new": Row(lambda c: reverse("data_requests:new")),
    "data_requests:mine": Row(lambda c: reverse("data_requests:mine"), self_service=True),
    "data_requests:disclosures": Row(lambda c: reverse("data_requests:disclosures")),
    "data_requests:logbook": Row(lambda c: reverse("data_requests:logbook")),
    "data_requests:logbook_csv": Row(lambda c: reverse("data_requests:logbook_csv")),
    "data_requests:detail": Row(
        lambda c: reverse("data_requests:detail", args=[_request(c)]), foreign_object=True
    ),
    "data_requests:delay": Row(
        lambda c: reverse("data_requests:delay", args=[_request(c)]), foreign_object=True
    ),
    "data_requests:complete": Row(
        lambda c: reverse("data_requests:complete", args=[_request(c)]), foreign_object=True
    ),
    "data_requests:refuse": Row(
        lambda c: reverse("data_requests:refuse", args=[_request(c)]), foreign_object=True
    ),
    "data_requests:withdraw": Row(
        lambda c: reverse("data_requests:withdraw", args=[_request(c)]), foreign_object=True
    ),
}
