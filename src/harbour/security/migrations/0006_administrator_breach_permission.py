"""Give existing companies' Administrator role the personal-data breach permission (new companies get it
with the role)."""

from django.db import migrations

BREACH_PERMISSIONS = ["incident.breach"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin="administrator"):
        missing = [code for code in BREACH_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0005_incident_breaches_ci"),
        ("directory", "0005_member_sessions_revoked_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
