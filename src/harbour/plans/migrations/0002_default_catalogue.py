"""Seed the default plan catalogue, and give existing companies' Administrator role the plan permissions."""

from django.db import migrations

PLAN_PERMISSIONS = ["plan.view", "plan.manage"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from harbour.plans.catalogue import ensure_default_catalogue

    ensure_default_catalogue(apps.get_model("plans", "Plan"))
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(schema_editor.connection.alias).filter(builtin="administrator"):
        missing = [code for code in PLAN_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=schema_editor.connection.alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("directory", "0002_membership_by_member"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
