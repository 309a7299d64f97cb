"""The periodic overdue job finds companies by every clock, not only the internal 24-hour one: a company
whose internal report was made but whose report to the CI Commissioner is late is still alerted."""

from __future__ import annotations

import datetime as dt

from harbour.core.time import now
from harbour.security import breaches, incidents
from harbour.security.models import Incident
from harbour.security.tasks import flag_overdue_incidents_task
from tests.factories import Company


def test_a_late_ci_report_alone_brings_the_company_into_the_job(company: Company) -> None:
    breaches.change_incident_rules(company.system, designated_ci_operator=True, breach_notice_proposal=False)
    incident = incidents.open_incident(company.system, kind="other", severity="high", title="SCADA down")
    incident = incidents.report_incident(company.system, incident, summary="Told compliance.")
    breaches.set_critical_system(
        company.system, incident, affects_critical_system=True, core_function_disrupted=True
    )
    Incident.objects.for_tenant(company.tenant).filter(pk=incident.pk).update(
        ci_report_due_at=now() - dt.timedelta(minutes=1)
    )
    assert flag_overdue_incidents_task.call() == {"companies": 1, "flagged": 1}
    assert flag_overdue_incidents_task.call() == {"companies": 0, "flagged": 0}  # alerted once
