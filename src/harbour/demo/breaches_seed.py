"""Demo data of the breach register: a laptop holding an attendance export lost on a minibus, handled by the
IT Manager through the PCPD's first three steps (gathered, contained, risk assessed), so the tracker shows
progress and the notification decision is the next thing to do."""

from __future__ import annotations

import datetime as dt

from harbour.core.permissions import SystemActor
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.security import breaches, incidents
from harbour.security.models import Incident, IncidentKind, Severity


def seed_breaches(system: SystemActor, it_head: Member) -> Incident:
    """One personal-data breach at step 3 of 5, owned by ``it_head`` (who must hold ``incident.breach``)."""
    detected = now() - dt.timedelta(hours=6)
    laptop = incidents.open_incident(
        system,
        kind=IncidentKind.OTHER,
        severity=Severity.HIGH,
        title="Laptop with an attendance export lost on a minibus",
        description="An HR officer reported the laptop missing after the commute; it held an export.",
        detected_at=detected,
    )
    incidents.take_ownership(it_head, laptop)
    laptop = breaches.mark_breach(
        it_head, laptop, data_kinds=["employment", "location"], affected_estimate=180
    )
    laptop = breaches.gather_information(
        it_head,
        laptop,
        occurred_at=detected - dt.timedelta(hours=2),
        how=(
            "A company laptop was left on a green minibus from Mong Kok to Kwun Tong. Its Downloads "
            "folder held October's attendance export (CSV): names, employee numbers, check-in times "
            "and office geofences."
        ),
        data_kinds=["employment", "location"],
        affected_estimate=180,
        systems="Smart attendance export; company laptop HK-LT-0412",
        notes="The minibus operator has been asked to check its lost property.",
    )
    laptop = breaches.contain_breach(
        it_head,
        laptop,
        actions=(
            "Remote wipe sent to the laptop; its disk is encrypted (BitLocker). The officer's sessions "
            "ended and password reset; attendance exports now need the HR manager's approval."
        ),
        contained_at=detected + dt.timedelta(hours=1),
    )
    return breaches.assess_risk(
        it_head,
        laptop,
        likelihood=1,
        severity=2,
        harms=["humiliation", "other"],
        reasoning=(
            "No identity-document or bank data; the disk is encrypted and the wipe was sent within the hour. "
            "Check-in times and locations of 180 staff could still embarrass or expose routines."
        ),
    )
