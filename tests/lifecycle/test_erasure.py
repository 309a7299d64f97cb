"""The personal data HR feeds leave behind is erasable: the items of old imports, and the records kept on the
source links of accounts deactivated long ago."""

from __future__ import annotations

import datetime as dt

from harbour.core.erasure import category
from harbour.core.time import now, today_in_hong_kong
from harbour.directory import actions
from harbour.directory.models import Member
from harbour.lifecycle import actions as lifecycle
from harbour.lifecycle.erasure import IMPORT_HISTORY, LINKS_OF_LEAVERS
from harbour.lifecycle.models import SourceLink, SyncItem, SyncRun
from tests.factories import Company


def _applied(company: Company, domain: str = "acme.com.hk") -> SyncRun:
    data = f"employee number,email,name,department\nN-1,joiner@{domain},Jo Iner,Finance\n".encode()
    run = lifecycle.plan_file_import(company.admin, data, "hr.csv")
    return lifecycle.apply_run(company.admin, run)


def test_old_import_items_are_erased_and_the_run_kept(company: Company, other_company: Company) -> None:
    history = category(IMPORT_HISTORY)
    assert history is not None
    run = _applied(company)
    foreign = _applied(other_company, "globex.com.hk")
    today = today_in_hong_kong()
    assert history.find_due(company.tenant.pk, today, 730) == []  # finished today: not yet
    SyncRun.objects.for_tenant(company.tenant).filter(pk=run.pk).update(
        finished_at=now() - dt.timedelta(days=731)
    )
    due = history.find_due(company.tenant.pk, today, 730)
    assert due == [run.pk]
    assert history.erase(company.tenant.pk, due) == 1
    assert not SyncItem.objects.for_tenant(company.tenant).filter(run=run).exists()
    run.refresh_from_db()
    assert run.counts["outcomes"]["applied"] == 1  # what happened stays
    assert history.find_due(company.tenant.pk, today, 730) == []  # nothing left to erase twice
    assert SyncItem.objects.for_tenant(other_company.tenant).filter(run=foreign).exists()


def test_links_of_long_deactivated_accounts_lose_their_records(company: Company) -> None:
    links = category(LINKS_OF_LEAVERS)
    assert links is not None
    _applied(company)
    joiner = Member.objects.for_tenant(company.tenant).get(email="joiner@acme.com.hk")
    actions.deactivate_member(company.admin, joiner, reason="left")
    today = today_in_hong_kong()
    assert links.find_due(company.tenant.pk, today, links.default_days) == []  # deactivated today
    Member.objects.for_tenant(company.tenant).filter(pk=joiner.pk).update(
        state_changed_at=now() - dt.timedelta(days=links.default_days + 1)
    )
    due = links.find_due(company.tenant.pk, today, links.default_days)
    assert len(due) == 1
    assert links.erase(company.tenant.pk, due) == 1
    link = SourceLink.objects.for_tenant(company.tenant).get(pk=due[0])
    assert link.record == {} and link.fingerprint == "" and link.external_id == f"erased:{link.pk.hex}"
    assert "N-1" not in str(link.record) and link.member_id == joiner.pk
    assert links.find_due(company.tenant.pk, today, links.default_days) == []
