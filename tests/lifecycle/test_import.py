"""HR file imports end to end: planned (nothing changes), applied (joiners invited, movers moved, leavers
frozen at once), resumed after a crash without duplicates, refused whole when the file is bad."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.cli import main
from harbour.core.errors import Invalid
from harbour.directory import actions
from harbour.directory.models import Member, MemberState
from harbour.identity.models import DeviceCredential, LoginSession
from harbour.jobs.worker import run_until_idle
from harbour.lifecycle import actions as lifecycle
from harbour.lifecycle.models import SyncItem, SyncRun
from tests.factories import PASSWORD, Company


def _file(company: Company, *rows: str) -> bytes:
    return ("employee number,email,name,department,title,status\n" + "\n".join(rows) + "\n").encode()


def _members(company: Company) -> int:
    return Member.objects.for_tenant(company.tenant).count()


def test_plan_changes_nothing_and_apply_does_it_all(
    company: Company, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    member, manager = company.member, company.manager
    assert member is not None and manager is not None
    actions.update_member(company.admin, member, employee_number="E-2")
    actions.update_member(company.admin, manager, employee_number="E-3")
    client = Client()
    assert client.post("/login/", {"email": manager.email, "password": PASSWORD}).status_code == 302
    DeviceCredential.objects.create(
        tenant=company.tenant, member=manager, name="Laptop", credential_id="c-1", public_key=b"k"
    )
    data = _file(
        company,
        "E-1,joiner@acme.com.hk,Jo Iner,Finance,Clerk,",
        f"E-2,{member.email},{member.name},Human Resources,Officer,",
        f"E-3,{manager.email},{manager.name},,,leaver",
    )
    before = _members(company)
    run = lifecycle.plan_file_import(company.admin, data, "hr.csv")
    assert run.state == SyncRun.State.PLANNED and run.counts["create"] == 1 and run.counts["leave"] == 1
    assert _members(company) == before and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        run = lifecycle.apply_run(company.admin, run)
    assert run.state == SyncRun.State.APPLIED and run.counts["outcomes"].get("failed") is None
    joiner = Member.objects.for_tenant(company.tenant).get(email="joiner@acme.com.hk")
    assert joiner.state == MemberState.INVITED and joiner.employee_number == "E-1"
    assert mail.outbox == []  # the worker mails the invitation, with a link minted as it sends
    run_until_idle()
    assert [m.to for m in mail.outbox] == [["joiner@acme.com.hk"]]
    link = mail.outbox[0].body.split("/invite/")[1].split("/")[0]
    assert Client().get(f"/invite/{link}/").status_code == 200  # the link works
    member.refresh_from_db()
    assert member.title == "Officer"
    assert set(member.departments.values_list("name", flat=True)) == {"Human Resources"}
    manager.refresh_from_db()
    assert manager.state == MemberState.SUSPENDED
    assert client.get("/").status_code == 302  # the leaver's open session is gone at once
    assert not LoginSession.objects.filter(account=manager.account, ended_at__isnull=True).exists()
    assert (
        not DeviceCredential.objects.for_tenant(company.tenant)
        .filter(member=manager, revoked_at=None)
        .exists()
    )
    kinds = set(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))
    assert {"hr.import_planned", "hr.import_applied", "member.left", "member.suspended"} <= kinds
    with pytest.raises(Exception, match="applied already"):
        lifecycle.apply_run(company.admin, run)


def test_a_run_stopped_midway_resumes_without_duplicates(company: Company) -> None:
    data = _file(company, *(f"N-{n},new{n}@acme.com.hk,New {n},Finance,," for n in range(12)))
    run = lifecycle.plan_file_import(company.admin, data, "hr.csv")
    # a crash after the first batch: the first 5 joiners exist and their items say so
    first = list(
        SyncItem.objects.for_tenant(company.tenant).filter(run=run, kind="create").order_by("position")[:5]
    )
    lifecycle._apply_creates(company.admin, company.tenant, run, first, [])
    before = _members(company)
    lifecycle.apply_run(company.admin, run)
    assert _members(company) == before + 7
    assert Member.objects.for_tenant(company.tenant).filter(email__startswith="new").count() == 12
    items = SyncItem.objects.for_tenant(company.tenant).filter(run=run)
    assert set(items.filter(kind="create").values_list("outcome", flat=True)) == {"applied"}
    assert set(items.filter(kind="absent").values_list("outcome", flat=True)) == {"skipped"}


def test_a_joiner_created_meanwhile_is_skipped_not_duplicated(company: Company) -> None:
    run = lifecycle.plan_file_import(
        company.admin, _file(company, "E-9,late@acme.com.hk,Late Comer,,,"), "hr.csv"
    )
    actions.invite_member(company.admin, actions.MemberSpec(email="late@acme.com.hk", name="Late Comer"))
    lifecycle.apply_run(company.admin, run)
    item = SyncItem.objects.for_tenant(company.tenant).get(run=run, kind="create")
    assert (
        item.outcome == "skipped"
        and Member.objects.for_tenant(company.tenant).filter(email="late@acme.com.hk").count() == 1
    )


def test_a_bad_file_changes_nothing(company: Company) -> None:
    data = _file(company, "E-1,ok@acme.com.hk,Fine,Finance,,", "E-2,outside@gmail.com,Outside,Finance,,")
    before = (_members(company), SyncRun.objects.for_tenant(company.tenant).count())
    with pytest.raises(Invalid) as refused:
        lifecycle.plan_file_import(company.admin, data, "hr.csv")
    assert "row 3 (email)" in refused.value.message and refused.value.field == "file"
    assert (_members(company), SyncRun.objects.for_tenant(company.tenant).count()) == before


def test_only_lifecycle_managers_import(company: Company) -> None:
    with pytest.raises(Exception):  # noqa: B017 - Forbidden or NotFound, either refuses
        lifecycle.plan_file_import(company.member, _file(company, "E-1,a@acme.com.hk,A,,,"), "hr.csv")


def test_the_cli_dry_run_and_apply(company: Company, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hr.csv"
    path.write_bytes(_file(company, "E-1,cli.joiner@acme.com.hk,Cli Joiner,Finance,,"))
    assert main(["import", "hr", str(path), "--tenant", "acme"]) == 0
    assert "Nothing was changed" in capsys.readouterr().out
    assert not Member.objects.for_tenant(company.tenant).filter(email="cli.joiner@acme.com.hk").exists()
    assert main(["import", "hr", str(path), "--tenant", "acme", "--apply"]) == 0
    assert "Applied: applied 1" in capsys.readouterr().out
    assert Member.objects.for_tenant(company.tenant).filter(email="cli.joiner@acme.com.hk").exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"colour,shape\nred,round\n")
    assert main(["import", "hr", str(bad), "--tenant", "acme"]) == 2
    assert "needs a column" in capsys.readouterr().err
    assert main(["import", "hr", str(tmp_path / "missing.csv"), "--tenant", "acme"]) == 2
