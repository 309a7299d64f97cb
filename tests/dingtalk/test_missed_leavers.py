"""A leaver whose push never arrived: DingTalk's leave record tells the next plan, which freezes the account
as the push would have, once, and does not add the person back to DingTalk."""

from __future__ import annotations

import pytest

from harbour.directory.models import MemberState
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, MemberLink, SyncItem
from harbour.lifecycle.models import Departure
from tests.dingtalk.sync_support import adopt_gary_in_finance, give_mobiles, refreshed
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(company: Company, dingtalk_emulator: Emulator) -> Connection:
    """Harbour adopted DingTalk's Finance with Gary; no callback is set up."""
    give_mobiles(company)
    return adopt_gary_in_finance(company, dingtalk_emulator)


def test_a_leave_record_freezes_the_account_and_the_plan_does_not_add_them_back(
    company: Company, adopted: Connection, dingtalk_emulator: Emulator
) -> None:
    gary = company.member
    assert gary is not None and company.admin is not None
    assert MemberLink.objects.for_tenant(company.tenant).get(userid="gary").member_id == gary.pk
    dingtalk_emulator.leave("gary")  # left in DingTalk; Harbour hears nothing

    run = sync_actions.plan_sync(company.admin, adopted)

    gary.refresh_from_db()
    assert gary.state == MemberState.SUSPENDED
    assert Departure.objects.for_tenant(company.tenant).filter(member=gary).count() == 1
    event = CallbackEvent.objects.for_tenant(company.tenant).get()
    assert event.event_type == "user_leave_org" and event.payload["Source"] == "leave_record"
    items = SyncItem.objects.for_tenant(company.tenant).filter(run=run)
    assert not items.filter(member_id=gary.pk).exists()

    sync_actions.plan_sync(company.admin, refreshed(adopted))  # the record is read again: nothing twice
    assert CallbackEvent.objects.for_tenant(company.tenant).count() == 1
    assert Departure.objects.for_tenant(company.tenant).filter(member=gary).count() == 1
