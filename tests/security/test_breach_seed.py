"""The demo breach: a lost laptop at step 3 of the five steps, and opening a breach straight from the API."""

from __future__ import annotations

from harbour.core.compliance import Status, checks_for
from harbour.demo.breaches_seed import seed_breaches
from harbour.security.models import BreachStep
from tests.api.helpers import ApiClient, body
from tests.factories import Company


def test_the_demo_breach_stands_at_step_3(company: Company) -> None:
    assert company.admin is not None
    incident = seed_breaches(company.system, company.admin)
    assert incident.is_breach and incident.breach_step == 3
    assert incident.owner_id == company.admin.pk
    assert incident.risk_score == 2 and incident.risk_level == "low"
    steps = BreachStep.objects.for_tenant(company.tenant).filter(incident=incident)
    assert [s.completed_by_id for s in steps] == [company.admin.pk] * 3
    # the decision is the next thing to do: the five-step check shows it
    assert checks_for("DBN-GUIDE-2023")[0](company.tenant.pk).status == Status.GAP


def test_an_incident_opened_as_a_breach_through_the_api(company: Company, admin_api: ApiClient) -> None:
    response = admin_api.post(
        "/security/incidents",
        {
            "severity": "high",
            "title": "Payroll file emailed to the wrong address",
            "personal_data_breach": True,
            "data_kinds": ["financial"],
            "affected_estimate": 35,
        },
    )
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["is_breach"] and created["breach"]["data_kinds"] == ["financial"]
    assert created["breach"]["affected_estimate"] == 35
    bad = admin_api.post(
        "/security/incidents",
        {"severity": "high", "title": "Bad kinds", "personal_data_breach": True, "data_kinds": ["shoe_size"]},
    )
    assert bad.status_code == 422 and body(bad)["field"] == "data_kinds"
    titles = [i["title"] for i in body(admin_api.get("/security/incidents", breach="true"))["items"]]
    assert titles == ["Payroll file emailed to the wrong address"]  # the refused one was not half-opened
