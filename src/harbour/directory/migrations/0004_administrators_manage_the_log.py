"""Existing companies' Administrator role gains ``audit.manage`` (retention and legal holds)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(schema_editor.connection.alias).filter(builtin="administrator"):
        if "audit.manage" not in role.permissions:
            role.permissions = [*role.permissions, "audit.manage"]
            role.save(using=schema_editor.connection.alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_member_account_across_databases")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
