"""A Premium company in its own database keeps its procurement records there: the register, partner lists,
quotes and sign-offs move with it, and the checklist still reads the plan catalogue from the registry."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.core.databases import forget_placements
from harbour.directory.actions.placement import move_company_data
from harbour.procurement.models import Quote, Reseller, SignOff
from tests.api.helpers import api_as, body
from tests.factories import make_company, subscribe
from tests.procurement.builders import current_list, signatories, sound_quote

pytestmark = pytest.mark.django_db(databases=["default", "dedicated"], transaction=True)


@pytest.fixture(autouse=True)
def _fresh_placements() -> None:
    forget_placements()


def test_procurement_follows_the_company_to_its_dedicated_database(settings: Any) -> None:
    company = make_company("vault", domains=["vault.hk"])
    subscribe(company.tenant, "premium", seats=500)
    current_list(company)
    quote = sound_quote(company)
    signers = signatories(company)
    move_company_data(company.tenant, "dedicated")
    forget_placements()
    assert Quote._base_manager.using("dedicated").filter(pk=quote.pk).exists()
    assert not Reseller._base_manager.using("default").filter(tenant_id=company.tenant.pk).exists()

    assert company.admin is not None
    admin = api_as(company.admin)
    checklist = body(admin.get(f"/procurement/quotes/{quote.id}/checklist"))
    assert checklist["approvable"] is True and checklist["price"]["catalogue_price"] == "80.00"
    listed = body(admin.get("/procurement/quotes"))["items"]
    assert [q["plan"] for q in listed] == ["professional"]

    url = f"/procurement/quotes/{quote.id}"
    assert (
        admin.post(f"{url}/verdict", {"decision": "approve", "reasons": "all checks pass"}).status_code == 200
    )
    api_as(signers.legal).post(f"{url}/sign-off", {"capacity": "legal"})
    done = body(api_as(signers.infosec).post(f"{url}/sign-off", {"capacity": "infosec"}))
    assert done["status"] == "approved"
    assert SignOff._base_manager.using("dedicated").filter(quote_id=quote.pk).count() == 2
    assert not SignOff._base_manager.using("default").filter(quote_id=quote.pk).exists()
