"""Give existing companies' Administrator role the procurement permissions (new companies get them with
the role). The sign-off permissions are left to custom roles."""

from django.db import migrations

PROCUREMENT_PERMISSIONS = ["procurement.view", "procurement.manage"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(schema_editor.connection.alias).filter(builtin="administrator"):
        missing = [code for code in PROCUREMENT_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=schema_editor.connection.alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
        ("directory", "0002_membership_by_member"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
