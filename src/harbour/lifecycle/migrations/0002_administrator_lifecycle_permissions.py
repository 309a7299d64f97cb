"""Give existing companies' Administrator role the lifecycle permissions (new companies get them with the
role)."""

from django.db import migrations

LIFECYCLE_PERMISSIONS = ["lifecycle.view", "lifecycle.manage"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin="administrator"):
        missing = [code for code in LIFECYCLE_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0001_initial"),
        ("directory", "0004_administrators_manage_the_log"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
