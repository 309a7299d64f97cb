"""Demo data of compliance: the officer (the IT Manager, an Administrator) attests that the direct
marketing rules do not apply, and today's posture snapshot is taken (run it after the other apps' demo data
so the snapshot shows their records)."""

from __future__ import annotations

import datetime as dt

from harbour.compliance.actions import record_attestation, take_snapshot
from harbour.compliance.models import Attestation
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member


def seed_compliance(officer: Member) -> None:
    in_force = Attestation.objects.for_tenant(officer.tenant_id).filter(
        rule_id="DM-6A", withdrawn_at__isnull=True
    )
    if not in_force.exists():
        record_attestation(
            officer,
            rule_id="DM-6A",
            status="not_applicable",
            reason=(
                "Harbour is not used for direct marketing: customer contact details are not kept in it, and "
                "announcements and bots only reach the company's own staff."
            ),
            evidence_ref="Marketing uses the CRM under its own PICS (Marketing handbook, section 3)",
            review_by=today_in_hong_kong() + dt.timedelta(days=365),
        )
    take_snapshot(officer, refresh=True)
