"""Permission-matrix rows for personal-data breaches, the critical-infrastructure clock and the incident
rules (company A's incidents; each row finds an incident at the step it needs, made on first use)."""

from __future__ import annotations

from typing import Any

from harbour.core.time import now
from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row

BASE = "/security/incidents"


def _breach_at(w: World, step: int, *, marked: bool = True) -> str:
    """A breach of company A that has completed ``step`` steps (an unmarked incident when not ``marked``)."""
    from harbour.security import breaches, incidents
    from harbour.security.models import Incident

    title = f"matrix breach {step}" if marked else "matrix unmarked"
    found = Incident.objects.for_tenant(w.a.tenant).filter(title=title).first()
    if found is not None:
        return str(found.pk)
    system = w.a.system
    incident = incidents.open_incident(system, kind="other", severity="high", title=title)
    if not marked:
        return str(incident.pk)
    incident = breaches.mark_breach(system, incident)
    if step >= 1:
        incident = breaches.gather_information(
            system,
            incident,
            occurred_at=now(),
            how="Laptop lost.",
            data_kinds=["employment"],
            affected_estimate=40,
            systems="Attendance export",
        )
    if step >= 2:
        incident = breaches.contain_breach(system, incident, actions="Wiped.", contained_at=now())
    if step >= 3:
        incident = breaches.assess_risk(
            system, incident, likelihood=2, severity=2, harms=["identity_theft"], reasoning="Names only."
        )
    if step >= 4:
        incident = breaches.decide_notification(
            system,
            incident,
            notify_pcpd=False,
            notify_individuals=True,
            notify_others=False,
            rationale="Medium risk.",
        )
    return str(incident.pk)


def _critical(w: World, *, flagged: bool) -> str:
    """An incident of company A, whose company is a designated CI operator (flagged when asked)."""
    from harbour.security import breaches, incidents
    from harbour.security.models import Incident

    title = "matrix ci flagged" if flagged else "matrix ci"
    found = Incident.objects.for_tenant(w.a.tenant).filter(title=title).first()
    if found is not None:
        return str(found.pk)
    breaches.change_incident_rules(w.a.system, designated_ci_operator=True, breach_notice_proposal=False)
    incident = incidents.open_incident(w.a.system, kind="other", severity="high", title=title)
    if flagged:
        incident = breaches.set_critical_system(
            w.a.system, incident, affects_critical_system=True, core_function_disrupted=False
        )
    return str(incident.pk)


def _step(slug: str, before: int, payload: Any) -> Row:
    return Row(
        "POST",
        f"{BASE}/{{incident_id}}/breach/{slug}",
        lambda w: Call(f"{BASE}/{_breach_at(w, before)}/breach/{slug}", payload),
        denied=WRITERS,
    )


ROWS: list[Row] = [
    Row(
        "POST",
        f"{BASE}/{{incident_id}}/breach",
        lambda w: Call(f"{BASE}/{_breach_at(w, 0, marked=False)}/breach", {"data_kinds": ["contact"]}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{incident_id}}/breach/gather",
        lambda w: Call(
            f"{BASE}/{_breach_at(w, 0)}/breach/gather",
            {
                "occurred_at": now().isoformat(),
                "how": "Laptop lost.",
                "data_kinds": ["employment"],
                "affected_estimate": 40,
                "systems": "Attendance export",
            },
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{incident_id}}/breach/contain",
        lambda w: Call(
            f"{BASE}/{_breach_at(w, 1)}/breach/contain",
            {"actions": "Wiped.", "contained_at": now().isoformat()},
        ),
        denied=WRITERS,
    ),
    _step(
        "assess", 2, {"likelihood": 2, "severity": 2, "harms": ["financial_loss"], "reasoning": "Names only."}
    ),
    _step(
        "decision",
        3,
        {
            "notify_pcpd": False,
            "notify_individuals": True,
            "notify_others": False,
            "rationale": "Medium risk.",
        },
    ),
    _step("document", 4, {"facts": "Lost.", "containment": "Wiped.", "remedial_actions": "Encrypt exports."}),
    Row(
        "GET",
        f"{BASE}/{{incident_id}}/breach/notification-form",
        lambda w: Call(f"{BASE}/{_breach_at(w, 2)}/breach/notification-form"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        f"{BASE}/{{incident_id}}/breach/notification-form.pdf",
        lambda w: Call(f"{BASE}/{_breach_at(w, 2)}/breach/notification-form.pdf"),
        denied=WRITERS,
        content_type="application/pdf",
    ),
    Row(
        "POST",
        f"{BASE}/{{incident_id}}/critical-system",
        lambda w: Call(
            f"{BASE}/{_critical(w, flagged=False)}/critical-system",
            {"affects_critical_system": True, "core_function_disrupted": True},
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{BASE}/{{incident_id}}/ci-report",
        lambda w: Call(
            f"{BASE}/{_critical(w, flagged=True)}/ci-report", {"summary": "Emailed the Commissioner."}
        ),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/security/incident-rules",
        lambda w: Call("/security/incident-rules"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PUT",
        "/security/incident-rules",
        lambda w: Call(
            "/security/incident-rules", {"designated_ci_operator": True, "breach_notice_proposal": False}
        ),
        denied=WRITERS,
        other="own",
    ),
]
