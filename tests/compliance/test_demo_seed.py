"""The demo seed: one attestation and today's snapshot, and running it again adds nothing."""

from __future__ import annotations

import pytest

from harbour.compliance.models import Attestation, PostureSnapshot
from harbour.demo.compliance_seed import seed_compliance
from tests.factories import Company


@pytest.mark.django_db
def test_seed_records_the_attestation_and_todays_snapshot_once(company: Company) -> None:
    assert company.admin is not None
    seed_compliance(company.admin)
    seed_compliance(company.admin)
    attestation = Attestation.objects.for_tenant(company.tenant).get()
    assert attestation.rule_id == "DM-6A" and attestation.status == "not_applicable"
    snapshot = PostureSnapshot.objects.for_tenant(company.tenant).get()
    assert snapshot.rules and sum(snapshot.counts.values()) == len(snapshot.rules)
