"""On PostgreSQL, the database itself refuses to change or remove log entries: updates always, deletes unless
the same transaction holds a deletion permit for the company (the retention purge and a move between databases
write one). SQLite relies on the model, which refuses both (a trigger there would also block test flushes)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION harbour_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events are append-only: an update was refused';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_deletionpermit WHERE tenant_id = OLD.tenant_id) THEN
        RAISE EXCEPTION 'audit events are append-only: only the retention purge removes them';
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION harbour_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS harbour_audit_append_only();
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_retention_checkpoints_permits")]

    operations = [migrations.RunPython(create, drop)]
