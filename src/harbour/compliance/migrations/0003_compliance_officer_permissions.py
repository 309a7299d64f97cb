"""Give existing companies' built-in Compliance Officer role the compliance permissions (new companies get
them with the role)."""

from django.db import migrations

COMPLIANCE_PERMISSIONS = ["compliance.view", "compliance.manage"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin="compliance_officer"):
        missing = [code for code in COMPLIANCE_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_administrator_compliance_permissions"),
        ("directory", "0006_compliance_officer_role"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
