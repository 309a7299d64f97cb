"""The demo seed builds a believable register through the actions."""

from __future__ import annotations

import pytest

from harbour.core.compliance import Status
from harbour.demo.pdpo_seed import seed_pdpo
from harbour.pdpo.compliance_checks import CHECKS
from harbour.pdpo.models import DataCategory, Notice, Processor, TransferAssessment
from tests.factories import Company


@pytest.mark.django_db
def test_demo_register(company: Company) -> None:
    assert company.admin is not None and company.member is not None
    seed_pdpo(company.system, company.admin, company.member)
    tenant = company.tenant
    assert DataCategory.objects.for_tenant(tenant).count() == 3
    assert Notice.objects.for_tenant(tenant).filter(state="published").count() == 2
    assert Processor.objects.for_tenant(tenant).get().missing_clauses == ["clause_audit"]
    assert TransferAssessment.objects.for_tenant(tenant).get().state == "approved"
    findings = {rule: check(tenant.pk).status for rule, check in CHECKS.items()}
    assert findings["PDPO-DPP4-PROCESSOR"] == Status.GAP
    assert findings["PDPO-DPP5-OPENNESS"] == Status.MET
    assert findings["XB-TIA"] == Status.MET
    assert findings["DT-ENTITY"] == Status.MET
