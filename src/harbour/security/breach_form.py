"""The PCPD's data breach notification form, filled from the register (DBN-GUIDE-2023).

The form has four parts: 1 the data user's basic information, 2 the contact person, 3 the particulars of
the incident, 4 the assessment and remedial actions. The company's name and address come from the company
record; what the record lacks (an address, a contact) is asked for on the export page. The PCPD takes
written notifications only: this is the written form, never an oral one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid
from harbour.core.models import Tenant
from harbour.core.time import local
from harbour.security.breaches import LIKELIHOOD, SEVERITY, DataKind, Harm, RiskLevel, Step, steps_of
from harbour.security.models import Incident

MAX_FIELD = 500


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class NotificationForm:
    reference: str
    title: str
    parts: list[Part]
    missing: list[str]  # labels still blank: the page asks for them


@dataclass(frozen=True)
class Overrides:
    """What the person exporting adds where the record is blank (each up to 500 characters)."""

    company_address: str = ""
    contact_name: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    @classmethod
    def clean(cls, values: dict[str, Any]) -> Overrides:
        cleaned: dict[str, str] = {}
        for name in cls.__dataclass_fields__:
            text = str(values.get(name) or "").strip()
            if len(text) > MAX_FIELD:
                raise Invalid(
                    _("%(field)s is longer than %(limit)d characters") % {"field": name, "limit": MAX_FIELD},
                    field=name,
                )
            cleaned[name] = text
        return cls(**cleaned)


def when_text(value: dt.datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        parsed = value
    return local(parsed).strftime("%Y-%m-%d %H:%M") + " " + _("(Hong Kong time)")


def _yes_no(value: Any) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def notification_form(incident: Incident, overrides: Overrides | None = None) -> NotificationForm:
    overrides = overrides or Overrides()
    tenant = Tenant.objects.get(pk=incident.tenant_id)
    steps = steps_of(incident)

    def data(step: int) -> dict[str, Any]:
        found = steps.get(step)
        return dict(found.data) if found is not None else {}

    gather, contain, assess, decide, document = (data(s) for s in Step.values)
    contact = incident.owner
    part1 = Part(
        1,
        _("Part 1: Data user's basic information"),
        [
            Line(_("Name of the data user"), tenant.registered_name or tenant.display_name),
            Line(_("Business Registration number"), tenant.br_number),
            Line(_("Address"), overrides.company_address or tenant.local_contact_address),
        ],
    )
    part2 = Part(
        2,
        _("Part 2: Contact person"),
        [
            Line(_("Name"), overrides.contact_name or (contact.name if contact else "")),
            Line(_("Position"), overrides.contact_title or (contact.title if contact else "")),
            Line(_("Telephone"), overrides.contact_phone or (contact.mobile if contact else "")),
            Line(_("Email"), overrides.contact_email or (contact.email if contact else "")),
        ],
    )
    kinds = [str(DataKind(k).label) for k in incident.data_kinds if k in DataKind.values]
    part3 = Part(
        3,
        _("Part 3: Particulars of the data breach incident"),
        [
            Line(_("Our reference"), incident.reference),
            Line(_("Date and time of the breach"), when_text(incident.breach_occurred_at)),
            Line(_("Date and time the breach was discovered"), when_text(incident.detected_at)),
            Line(_("How the breach happened"), str(gather.get("how", ""))),
            Line(_("Kinds of personal data involved"), "; ".join(kinds)),
            Line(
                _("Estimated number of people affected"),
                "" if incident.affected_estimate is None else str(incident.affected_estimate),
            ),
            Line(_("Systems involved"), incident.systems),
        ],
    )
    harms = [str(Harm(h).label) for h in assess.get("harms", []) if h in Harm.values]
    level = str(RiskLevel(incident.risk_level).label) if incident.risk_level in RiskLevel.values else ""
    risk = ""
    if assess:
        risk = _("%(level)s (score %(score)d of 9: likelihood %(likelihood)s × severity %(severity)s)") % {
            "level": level,
            "score": incident.risk_score or 0,
            "likelihood": LIKELIHOOD.get(assess.get("likelihood", 0), ""),
            "severity": SEVERITY.get(assess.get("severity", 0), ""),
        }
    part4 = Part(
        4,
        _("Part 4: Assessment and remedial actions"),
        [
            Line(_("Containment"), str(contain.get("actions", ""))),
            Line(_("Contained at"), when_text(contain.get("contained_at"))),
            Line(_("Risk of harm"), risk),
            Line(_("Possible harm"), "; ".join(harms)),
            Line(_("Assessment"), str(assess.get("reasoning", ""))),
            Line(_("Affected individuals notified"), _yes_no(decide.get("notify_individuals"))),
            Line(_("Others notified"), decide.get("others", "") or _yes_no(decide.get("notify_others"))),
            Line(_("Reasons for the notification decision"), str(decide.get("rationale", ""))),
            Line(_("Facts established"), str(document.get("facts", ""))),
            Line(_("Remedial actions"), str(document.get("remedial_actions", ""))),
        ],
    )
    parts = [part1, part2, part3, part4]
    missing = [line.label for part in parts[:2] for line in part.lines if not line.value]
    return NotificationForm(incident.reference, incident.title, parts, missing)


def form_as_json(form: NotificationForm) -> dict[str, Any]:
    return {
        "reference": form.reference,
        "title": form.title,
        "parts": [
            {
                "number": p.number,
                "title": p.title,
                "lines": [{"label": ln.label, "value": ln.value} for ln in p.lines],
            }
            for p in form.parts
        ],
        "missing": form.missing,
    }
