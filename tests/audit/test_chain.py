"""Every action leaves a hash-chained audit entry; tampering is detected."""

from __future__ import annotations

from django.db import connection

from harbour.audit.chain import verify
from harbour.audit.models import AuditEvent
from harbour.directory import actions


def _events(tenant):
    return list(AuditEvent.objects.for_tenant(tenant).order_by("seq"))


def test_actions_write_a_verifiable_chain(company):
    actions.suspend_member(company.admin, company.member, reason="lost laptop")
    events = _events(company.tenant)
    last = events[-1]
    assert last.kind == "member.suspended"
    assert last.actor_id == company.admin.id
    assert last.target_id == str(company.member.id)
    assert last.before["state"] == "active" and last.after["state"] == "suspended"
    assert last.data == {"reason": "lost laptop"}
    verdict = verify(events)
    assert verdict.intact and verdict.entries == len(events)


def test_chains_are_per_tenant(company, other_company):
    actions.create_department(other_company.system, name="Legal")
    assert verify(_events(company.tenant)).intact
    assert verify(_events(other_company.tenant)).intact
    assert _events(other_company.tenant)[0].seq == 1


def _raw_update(event_id, column, value):
    """What an intruder with database access does (on PostgreSQL, with the append-only trigger bypassed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s",
            [value, event_id.hex if connection.vendor == "sqlite" else event_id],
        )


def test_edited_entry_is_detected(company):
    events = _events(company.tenant)
    _raw_update(events[2].id, "target_label", "someone else")
    verdict = verify(_events(company.tenant))
    assert not verdict.intact and verdict.broken_seq == events[2].seq


def test_removed_entry_is_detected(company):
    events = _events(company.tenant)
    remaining = [e for e in events if e.seq != events[3].seq]
    verdict = verify(remaining)
    assert not verdict.intact and verdict.broken_seq == events[4].seq


def test_reordered_entries_are_detected(company):
    events = _events(company.tenant)
    events[1], events[2] = events[2], events[1]
    assert not verify(events).intact


def test_audit_rows_refuse_update_and_delete(company):
    import pytest

    event = _events(company.tenant)[0]
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
