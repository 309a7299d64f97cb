"""Console URL-matrix rows for personal-data breaches, the critical-infrastructure clock and the incident
rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.console.test_url_matrix import Row
from tests.factories import Company


def _incident(c: Company, title: str, *, breach: bool = False) -> Any:
    """An incident of the company named ``title`` (a breach when asked), made on first use."""
    from harbour.security import breaches, incidents
    from harbour.security.models import Incident

    found = Incident.objects.for_tenant(c.tenant).filter(title=title).first()
    if found is None:
        found = incidents.open_incident(c.system, kind="other", severity="high", title=title)
        if breach:
            found = breaches.mark_breach(c.system, found)
    return found.pk


ROWS: dict[str, Row] = {
    "incidents:rules": Row(lambda c: reverse("incidents:rules")),
    "incidents:breach_mark": Row(
        lambda c: reverse("incidents:breach_mark", args=[_incident(c, "matrix unmarked")]),
        "post",
        lambda c: {"data_kinds": ["contact"]},
        foreign_object=True,
    ),
    "incidents:breach_step": Row(  # a step with its fields missing: refused with the reasons (400)
        lambda c: reverse(
            "incidents:breach_step", args=[_incident(c, "matrix breach", breach=True), "gather"]
        ),
        "post",
        lambda c: {"how": ""},
        foreign_object=True,
    ),
    "incidents:breach_form": Row(
        lambda c: reverse("incidents:breach_form", args=[_incident(c, "matrix breach", breach=True)]),
        foreign_object=True,
    ),
    "incidents:breach_form_pdf": Row(
        lambda c: reverse("incidents:breach_form_pdf", args=[_incident(c, "matrix breach", breach=True)]),
        foreign_object=True,
    ),
    "incidents:critical_system": Row(  # the company is not a designated operator: refused (400)
        lambda c: reverse("incidents:critical_system", args=[_incident(c, "matrix")]),
        "post",
        lambda c: {"affects_critical_system": "on"},
        foreign_object=True,
    ),
    "incidents:ci_report": Row(  # no CI clock: refused with the reason (400)
        lambda c: reverse("incidents:ci_report", args=[_incident(c, "matrix")]),
        "post",
        lambda c: {"summary": "Emailed the Commissioner."},
        foreign_object=True,
    ),
}
