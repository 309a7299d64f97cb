"""Console URL-matrix rows for the retention pages."""

from __future__ import annotations

from django.urls import reverse

from harbour.retention.models import LegalHold
from tests.console.test_url_matrix import Row
from tests.factories import Company


def _hold(c: Company) -> str:
    found = LegalHold.objects.for_tenant(c.tenant).filter(reason="matrix", lifted_at__isnull=True).first()
    if found is None:
        found = LegalHold.objects.create(tenant=c.tenant, category="former_employees", reason="matrix")
    return str(found.pk)


ROWS: dict[str, Row] = {
    "retention:schedules": Row(lambda c: reverse("retention:schedules")),
    "retention:schedule": Row(
        lambda c: reverse("retention:schedule", args=["former_employees"]),
        "post",
        data=lambda c: {"former_employees-days": "2557", "former_employees-enabled": "on"},
    ),
    "retention:holds": Row(lambda c: reverse("retention:holds")),
    "retention:lift": Row(lambda c: reverse("retention:lift", args=[_hold(c)]), foreign_object=True),
    "retention:preview": Row(lambda c: reverse("retention:preview")),
    "retention:run_now": Row(lambda c: reverse("retention:run_now")),
    "retention:history": Row(lambda c: reverse("retention:history")),
}
