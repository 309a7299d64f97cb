"""Reconciliation: each HR record against the accounts — linked, unlinked, unmatched, disputed, deleted —
with disputed records waiting for a person, whose decision later runs follow."""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.directory import actions
from harbour.directory.models import Member, MemberState
from harbour.lifecycle import actions as lifecycle
from harbour.lifecycle.links import counts_by_situation
from harbour.lifecycle.models import SourceLink, SyncItem, SyncRun
from tests.factories import Company


def _file(*rows: str) -> bytes:
    return ("employee number,email,name,department,title,status\n" + "\n".join(rows) + "\n").encode()


def _run(company: Company, data: bytes, *, full_export: bool = False) -> SyncRun:
    run = lifecycle.plan_file_import(company.admin, data, "hr.csv", full_export=full_export)
    return lifecycle.apply_run(company.admin, run)


def _link(company: Company, external_id: str) -> SourceLink:
    return SourceLink.objects.for_tenant(company.tenant).get(source="file", external_id=external_id)


def _item(run: SyncRun, kind: str) -> SyncItem:
    return SyncItem.objects.for_tenant(run.tenant_id).get(run=run, kind=kind)


def test_each_situation_is_planned_and_kept(company: Company) -> None:
    member, manager, outsider = company.member, company.manager, company.outsider
    assert member is not None and manager is not None and outsider is not None
    actions.update_member(company.admin, member, employee_number="")  # matched by address only
    data = _file(
        "N-1,joiner@acme.com.hk,Jo Iner,Finance,,",  # no account: unmatched → created → linked
        f"N-2,{member.email},{member.name},,,",  # found by address: unlinked → linked (number recorded)
        f"{manager.employee_number},{outsider.email},Someone,,,",  # number and address disagree: disputed
        "N-4,,No Address,,,",  # no account, nothing to make one with: unmatched, waiting
    )
    run = lifecycle.plan_file_import(company.admin, data, "hr.csv")
    assert run.counts["situations"] == {"unmatched": 2, "unlinked": 1, "disputed": 1}
    assert _item(run, "disputed").candidates == [str(manager.pk), str(outsider.pk)]
    run = lifecycle.apply_run(company.admin, run)
    joiner = Member.objects.for_tenant(company.tenant).get(email="joiner@acme.com.hk")
    assert _link(company, "N-1").situation == "linked" and _link(company, "N-1").member_id == joiner.pk
    assert _link(company, "N-2").situation == "linked" and _link(company, "N-2").member_id == member.pk
    assert _link(company, manager.employee_number or "").situation == "disputed"
    assert _link(company, "N-4").situation == "unmatched" and _link(company, "N-4").member_id is None
    assert counts_by_situation(company.tenant.pk, "file") == {
        "linked": 2,
        "unlinked": 0,
        "unmatched": 1,
        "disputed": 1,
        "deleted": 0,
    }

    # the next run matches linked records through their links
    again = lifecycle.plan_file_import(company.admin, _file(f"N-2,{member.email},Gary Renamed,,,"), "hr.csv")
    assert again.counts["situations"] == {"linked": 1}
    assert _item(again, "update").fields == {"name": [member.name, "Gary Renamed"]}


def test_a_linked_record_gone_from_a_full_export_is_deleted_and_its_account_frozen(company: Company) -> None:
    _run(company, _file("N-1,joiner@acme.com.hk,Jo Iner,Finance,,"))
    everyone_else = [
        f"{m.employee_number},{m.email},{m.name},,,"
        for m in Member.objects.for_tenant(company.tenant).exclude(email="joiner@acme.com.hk")
    ]
    run = lifecycle.plan_file_import(company.admin, _file(*everyone_else), "hr.csv", full_export=True)
    assert run.counts["situations"]["deleted"] == 1 and run.counts["leave"] == 1
    lifecycle.apply_run(company.admin, run)
    assert _link(company, "N-1").situation == "deleted"
    joiner = Member.objects.for_tenant(company.tenant).get(email="joiner@acme.com.hk")
    assert joiner.state == MemberState.DEACTIVATED  # invited and never joined: a leaver is closed at once


def test_a_person_links_a_disputed_record_and_later_runs_follow(company: Company) -> None:
    manager, outsider = company.manager, company.outsider
    assert manager is not None and outsider is not None
    number = manager.employee_number or ""
    run = _run(company, _file(f"{number},{outsider.email},Helen Renamed,,Officer,"))
    item = _item(run, "disputed")
    assert item.outcome == "waiting"
    with pytest.raises(Invalid):  # not one of the candidates
        lifecycle.decide_disputed(company.admin, item, company.admin)
    lifecycle.decide_disputed(company.admin, item, outsider)
    item.refresh_from_db()
    outsider.refresh_from_db()
    assert item.outcome == "applied" and item.member_id == outsider.pk
    assert outsider.name == "Helen Renamed" and outsider.title == "Officer"
    assert outsider.employee_number != number  # the manager keeps the number; the message says so
    assert "not changed" in item.message
    link = _link(company, number)
    assert link.situation == "linked" and link.member_id == outsider.pk and link.decided_by == company.admin
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="hr.dispute_decided").exists()
    with pytest.raises(Conflict):
        lifecycle.decide_disputed(company.admin, item, outsider)  # decided once

    later = lifecycle.plan_file_import(
        company.admin, _file(f"{number},{outsider.email},Helen Renamed,,,"), "x"
    )
    assert later.counts["disputed"] == 0 and later.counts["situations"] == {"linked": 1}


def test_an_ignored_record_stays_ignored(company: Company) -> None:
    manager, outsider = company.manager, company.outsider
    assert manager is not None and outsider is not None
    number = manager.employee_number or ""
    run = _run(company, _file(f"{number},{outsider.email},Someone,,,"))
    lifecycle.decide_disputed(company.admin, _item(run, "disputed"), None)
    assert _item(run, "disputed").outcome == "skipped"
    assert _link(company, number).situation == "unmatched"
    later = lifecycle.plan_file_import(company.admin, _file(f"{number},{outsider.email},Someone,,,"), "x")
    assert later.counts["disputed"] == 0 and later.counts["unchanged"] == 1
    outsider.refresh_from_db()
    assert outsider.name == "Helen HR"


def test_deciding_needs_the_lifecycle_permission(company: Company) -> None:
    manager, outsider, member = company.manager, company.outsider, company.member
    assert manager is not None and outsider is not None and member is not None
    run = _run(company, _file(f"{manager.employee_number},{outsider.email},Someone,,,"))
    with pytest.raises(Forbidden):
        lifecycle.decide_disputed(member, _item(run, "disputed"), outsider)
    assert _item(run, "disputed").outcome == "waiting"


def test_records_hr_has_not_changed_are_compared_again_only_when_reconciling(company: Company) -> None:
    row = "N-1,joiner@acme.com.hk,Jo Iner,Finance,Clerk,"
    _run(company, _file(row))
    joiner = Member.objects.for_tenant(company.tenant).get(email="joiner@acme.com.hk")
    actions.update_member(company.admin, joiner, title="Changed in Harbour")
    again = lifecycle.plan_file_import(company.admin, _file(row), "hr.csv")
    assert again.counts["unchanged"] == 1 and again.counts["update"] == 0
    assert (
        not SyncItem.objects.for_tenant(company.tenant).filter(run=again, kind="unchanged").exists()
    )  # counted
    full = lifecycle.plan_file_import(company.admin, _file(row), "hr.csv", reconcile=True)
    assert full.counts["update"] == 1
    assert _item(full, "update").fields == {"title": ["Changed in Harbour", "Clerk"]}
    hr_changed = lifecycle.plan_file_import(company.admin, _file(row.replace("Clerk", "Officer")), "hr.csv")
    assert hr_changed.counts["update"] == 1  # HR's own change is always compared
