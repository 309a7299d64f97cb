"""Keeping the log: a retention of at least 90 days, legal holds, the purge in batches of at most 1,000 that
leaves a chain which still verifies — also after being killed mid-way — and the database refusing edits."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from harbour.audit import actions as audit_actions
from harbour.audit.actions import Entry, TargetRef, record_many
from harbour.audit.chain import verify_company
from harbour.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, DeletionPermit
from harbour.audit.retention import purge_expired, set_legal_hold, set_retention, write_checkpoint
from harbour.cli import main
from harbour.core.databases import tenant_transaction
from harbour.core.errors import Forbidden, Invalid
from harbour.core.permissions import SystemActor
from harbour.core.time import now
from tests.child_process import database_env
from tests.factories import Company, make_company


def _write_events(company: Company, count: int, days_ahead: int, monkeypatch: Any) -> None:
    """``count`` entries written ``days_ahead`` days from now (the log writer's clock moved forward, so
    entries stay in time order with the company's earlier ones)."""
    then = now() + dt.timedelta(days=days_ahead)
    monkeypatch.setattr(audit_actions, "now", lambda: then)
    system = SystemActor(company.tenant.id, "tests")
    for start in range(0, count, 500):
        entries = [
            Entry(TargetRef("member", uuid.uuid4(), f"Member {n}"), after={"n": n})
            for n in range(start, min(count, start + 500))
        ]
        with tenant_transaction(company.tenant.id):
            record_many(system, "member.imported", entries)
    monkeypatch.undo()


def _later(days: int) -> dt.datetime:
    return now() + dt.timedelta(days=days)


def _entries(company: Company) -> int:
    return AuditEvent.objects.for_tenant(company.tenant).count()


def test_retention_is_never_below_ninety_days(company: Company) -> None:
    assert company.admin is not None
    with pytest.raises(Invalid) as caught:
        set_retention(company.admin, days=89)
    assert caught.value.field == "retention_days"
    policy = set_retention(company.admin, days=90)
    assert policy.retention_days == 90
    assert (
        AuditEvent.objects.for_tenant(company.tenant).order_by("-seq").first().kind
        == "audit.retention_changed"
    )  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        set_retention(company.member, days=365)  # type: ignore[arg-type]


def test_purge_removes_only_what_is_past_retention_in_batches(company: Company, monkeypatch: Any) -> None:
    _write_events(company, 2_300, days_ahead=0, monkeypatch=monkeypatch)
    old = _entries(company)  # the company's setup and these 2,300: all written today
    _write_events(company, 40, days_ahead=300, monkeypatch=monkeypatch)  # written 300 days from now
    batches: list[int] = []
    # 400 days from now, with 180 days' retention: today's entries are past it, the later 40 are not.
    report = purge_expired(company.tenant.id, at=_later(400), progress=batches.append)
    assert report.removed == old and max(batches) <= 1_000 and report.batches == len(batches) == 3
    kinds = list(AuditEvent.objects.for_tenant(company.tenant).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["member.imported"] * 40 + ["audit.purged"]
    assert verify_company(company.tenant.id).intact
    head = AuditChainHead.objects.for_tenant(company.tenant).get()
    assert head.base_seq == report.through_seq
    assert (
        AuditCheckpoint.objects.for_tenant(company.tenant).filter(reason="purge", seq=head.base_seq).exists()
    )
    assert purge_expired(company.tenant.id).removed == 0  # nothing left to do


def test_legal_hold_keeps_everything(company: Company, monkeypatch: Any) -> None:
    assert company.admin is not None
    with pytest.raises(Invalid) as caught:
        set_legal_hold(company.admin, on=True, reason="  ")
    assert caught.value.field == "legal_hold_reason"
    set_legal_hold(company.admin, on=True, reason="PCPD complaint 2026/117")
    before = _entries(company)
    report = purge_expired(company.tenant.id, at=_later(400))
    assert report.held and report.removed == 0 and _entries(company) == before
    set_legal_hold(company.admin, on=False)
    assert purge_expired(company.tenant.id, at=_later(400)).removed > before


def test_verify_finds_the_newest_entries_removed_and_a_broken_checkpoint(company: Company) -> None:
    assert write_checkpoint(company.tenant.id) is not None
    assert write_checkpoint(company.tenant.id) is None  # nothing new since
    assert verify_company(company.tenant.id).intact
    newest = AuditEvent.objects.for_tenant(company.tenant).order_by("-seq").first()
    assert newest is not None
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        key = newest.id.hex if connection.vendor == "sqlite" else newest.id
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [key])
    verdict = verify_company(company.tenant.id)
    assert not verdict.intact and verdict.broken_seq == newest.seq and "missing" in verdict.reason


def test_cli_verify_reports_intact_or_the_broken_entry(company: Company, capsys: Any) -> None:
    assert main(["audit", "verify", "--tenant", "acme"]) == 0
    assert "acme: intact," in capsys.readouterr().out
    third = AuditEvent.objects.for_tenant(company.tenant).order_by("seq")[2]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        key = third.id.hex if connection.vendor == "sqlite" else third.id
        cursor.execute("UPDATE audit_auditevent SET target_label = 'nobody' WHERE id = %s", [key])
    assert main(["audit", "verify", "--tenant", "acme"]) == 1
    assert f"BROKEN at entry {third.seq}" in capsys.readouterr().out
    assert main(["audit", "verify", "--tenant", "nowhere"]) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL")
def test_postgres_refuses_updates_and_deletes_without_a_permit(company: Company) -> None:
    event = AuditEvent.objects.for_tenant(company.tenant).order_by("seq").first()
    assert event is not None
    for sql in (
        "UPDATE audit_auditevent SET kind = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])
    with transaction.atomic(), connection.cursor() as cursor:
        DeletionPermit.objects.create(tenant=company.tenant, reason="tests")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.id])
        DeletionPermit.objects.for_tenant(company.tenant).delete()
    assert not AuditEvent.objects.for_tenant(company.tenant).filter(id=event.id).exists()


PURGER = """
import sys, django
django.setup()
from harbour.audit.retention import purge_expired
import uuid
def said(n):
    print("batch", n, flush=True)
    import time; time.sleep(0.05)
import datetime as dt
from harbour.core.time import now
purge_expired(uuid.UUID(sys.argv[1]), at=now() + dt.timedelta(days=400), batch_size=100, progress=said)
print("done", flush=True)
"""


@pytest.mark.django_db(transaction=True)
def test_a_purge_killed_mid_way_completes_on_rerun_and_the_chain_verifies(monkeypatch: Any) -> None:
    company = make_company("killed", domains=["killed.hk"])
    _write_events(company, 1_500, days_ahead=0, monkeypatch=monkeypatch)
    env = database_env()
    proc = subprocess.Popen(
        [sys.executable, "-c", PURGER, str(company.tenant.id)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        if line.startswith("batch"):
            seen += 1
        if seen == 4:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert verify_company(company.tenant.id).intact  # whatever the kill interrupted
    left = _entries(company)
    assert 0 < left < 1_500 + 10
    purge_expired(company.tenant.id, at=_later(400))
    assert _entries(company) < left and verify_company(company.tenant.id).intact
    assert not AuditEvent.objects.for_tenant(company.tenant).filter(kind="member.imported").exists()
