"""Console URL-matrix rows for the compliance pages: all need ``compliance.view``; attesting and withdrawing
need ``compliance.manage``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from harbour.compliance import actions
from harbour.compliance.models import Attestation
from harbour.core.time import today_in_hong_kong
from tests.console.test_url_matrix import Row
from tests.factories import Company


def _review_by() -> dt.date:
    return today_in_hong_kong() + dt.timedelta(days=365)


def _attestation(c: Company) -> str:
    found = (
        Attestation.objects.for_tenant(c.tenant).filter(rule_id="DM-6A", withdrawn_at__isnull=True).first()
    )
    made = found or actions.record_attestation(
        c.system,
        rule_id="DM-6A",
        status="not_applicable",
        reason="Harbour is not used for direct marketing",
        review_by=_review_by(),
    )
    return str(made.pk)


ROWS: dict[str, Row] = {
    "compliance:dashboard": Row(lambda c: reverse("compliance:dashboard")),
    "compliance:attest": Row(
        lambda c: reverse("compliance:attest"),
        "post",
        data=lambda c: {
            "rule_id": "XB-GBA",
            "status": "not_applicable",
            "reason": "No GBA transfer",
            "review_by": _review_by().isoformat(),
        },
    ),
    "compliance:withdraw": Row(
        lambda c: reverse("compliance:withdraw", args=[_attestation(c)]), foreign_object=True
    ),
    "compliance:report": Row(lambda c: reverse("compliance:report")),
    "compliance:report_pdf": Row(lambda c: reverse("compliance:report_pdf")),
    "compliance:report_html": Row(lambda c: reverse("compliance:report_html")),
}
