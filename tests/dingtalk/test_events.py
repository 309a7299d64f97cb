"""DingTalk's events reflected in Harbour: a leaver suspended, a newcomer adopted, a former employee left
suspended, departments created, renamed, moved and removed; each event once, a replay ignored."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.directory.models import Department, Member, MemberState
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, DepartmentLink, MemberLink
from harbour.integrations.dingtalk.sync.clients import client_for
from harbour.lifecycle.leavers import freeze_leaver
from harbour.lifecycle.models import Departure
from tests.dingtalk.sync_support import adopt_gary_in_finance, department, refreshed
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

Outcome = CallbackEvent.Outcome
pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(company: Company, dingtalk_emulator: Emulator) -> Connection:
    """DingTalk holds Finance with Gary; Harbour adopted it."""
    return adopt_gary_in_finance(company, dingtalk_emulator)


def _event(event_type: str, **fields: Any) -> dict[str, Any]:
    return {"EventType": event_type, "CorpId": "dingcorp", "TimeStamp": "1764460800000", **fields}


def test_someone_leaving_in_dingtalk_is_suspended_in_harbour_once(
    company: Company, adopted: Connection
) -> None:
    gary = company.member
    assert gary is not None

    event = sync_actions.handle_event(adopted, _event("user_leave_org", UserId=["gary"]), digest="a" * 64)

    assert event.outcome == Outcome.APPLIED and "Gary General" in event.message
    gary.refresh_from_db()
    assert gary.state == MemberState.SUSPENDED
    assert Departure.objects.for_tenant(company.tenant).get(member=gary).member_id == gary.pk
    assert MemberLink.objects.for_tenant(company.tenant).get(userid="gary").removed_at is not None
    assert refreshed(adopted).corp_id == "dingcorp"

    replay = sync_actions.handle_event(adopted, _event("user_leave_org", UserId=["gary"]), digest="a" * 64)
    assert replay.pk == event.pk
    assert CallbackEvent.objects.for_tenant(company.tenant).count() == 1
    assert Departure.objects.for_tenant(company.tenant).filter(member=gary).count() == 1


def test_someone_added_in_dingtalk_is_adopted(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    finance_id = next(d for d, dept in dingtalk_emulator.departments.items() if dept["name"] == "Finance")
    dingtalk_emulator.add_user(
        name="Nina New",
        mobile="+852-91000020",
        dept_ids=[finance_id],
        email="nina@acme.com.hk",
        userid="nina",
    )
    dingtalk_emulator.add_user(
        name="Helen Again", mobile="+852-91000021", email="helen@acme.com.hk", userid="h2"
    )

    event = sync_actions.handle_event(adopted, _event("user_add_org", UserId=["nina", "h2"]), digest="b" * 64)

    assert event.outcome == Outcome.APPLIED, event.message
    nina = Member.objects.for_tenant(company.tenant).get(email="nina@acme.com.hk")
    assert [d.name for d in nina.departments.all()] == ["Finance"]
    assert MemberLink.objects.for_tenant(company.tenant).get(userid="nina").member_id == nina.pk
    assert MemberLink.objects.for_tenant(company.tenant).get(userid="h2").member_id == company.outsider.pk  # type: ignore[union-attr]


def test_a_former_employee_added_again_in_dingtalk_stays_suspended(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    helen = company.outsider
    assert helen is not None
    freeze_leaver(company.system, helen)
    dingtalk_emulator.add_user(name="Helen", mobile="+852-91000021", email="helen@acme.com.hk", userid="back")

    event = sync_actions.handle_event(adopted, _event("user_add_org", UserId=["back"]), digest="c" * 64)

    assert event.outcome == Outcome.IGNORED
    assert "stays suspended until HR rehires" in event.message
    helen.refresh_from_db()
    assert helen.state == MemberState.SUSPENDED
    link = MemberLink.objects.for_tenant(company.tenant).get(userid="back")
    assert link.situation == MemberLink.Situation.UNLINKED and link.member_id == helen.pk


def test_a_change_in_dingtalk_is_drift_the_next_plan_shows(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    event = sync_actions.handle_event(adopted, _event("user_modify_org", UserId=["gary"]), digest="d" * 64)
    assert event.outcome == Outcome.IGNORED and "Harbour is the source" in event.message


def test_departments_made_renamed_moved_and_removed_in_dingtalk_follow_in_harbour(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    client = client_for(adopted)
    finance_id = next(d for d, dept in dingtalk_emulator.departments.items() if dept["name"] == "Finance")
    legal_id = client.create_department(name="Legal", parent_id=1)
    contracts_id = client.create_department(name="Contracts", parent_id=legal_id)

    created = sync_actions.handle_event(
        adopted, _event("org_dept_create", DeptId=[legal_id, contracts_id]), digest="e" * 64
    )
    assert created.outcome == Outcome.APPLIED, created.message
    legal = department(company, "Legal")
    contracts = department(company, "Contracts", legal)
    assert (
        DepartmentLink.objects.for_tenant(company.tenant).get(dept_id=contracts_id).department_id
        == contracts.pk
    )

    client.update_department(contracts_id, name="Agreements", parent_id=finance_id)
    modified = sync_actions.handle_event(
        adopted, _event("org_dept_modify", DeptId=[contracts_id]), digest="f" * 64
    )
    assert modified.outcome == Outcome.APPLIED, modified.message
    contracts.refresh_from_db()
    assert contracts.name == "Agreements" and contracts.parent_id == department(company, "Finance").pk

    client.delete_department(contracts_id)
    removed = sync_actions.handle_event(
        adopted, _event("org_dept_remove", DeptId=[contracts_id]), digest="1" * 64
    )
    assert removed.outcome == Outcome.APPLIED
    assert not Department.objects.for_tenant(company.tenant).filter(pk=contracts.pk).exists()


def test_a_department_removed_in_dingtalk_that_still_has_members_in_harbour_stays_and_says_why(
    company: Company, dingtalk_emulator: Emulator, adopted: Connection
) -> None:
    finance_id = next(d for d, dept in dingtalk_emulator.departments.items() if dept["name"] == "Finance")

    event = sync_actions.handle_event(
        adopted, _event("org_dept_remove", DeptId=[finance_id]), digest="2" * 64
    )

    assert event.outcome == Outcome.FAILED
    assert "stays in Harbour" in event.message
    assert Department.objects.for_tenant(company.tenant).filter(name="Finance").exists()


def test_events_harbour_does_not_act_on_are_recorded_and_ignored(
    company: Company, adopted: Connection
) -> None:
    check = sync_actions.handle_event(adopted, _event("check_url"), digest="3" * 64)
    other = sync_actions.handle_event(adopted, _event("label_conf_add"), digest="4" * 64)
    assert check.outcome == Outcome.IGNORED and other.outcome == Outcome.IGNORED
