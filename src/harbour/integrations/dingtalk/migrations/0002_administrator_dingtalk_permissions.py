"""Give existing companies' Administrator role the DingTalk connector permissions (new companies get them
with the role)."""

from django.db import migrations

DINGTALK_PERMISSIONS = ["dingtalk.view", "dingtalk.manage"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin="administrator"):
        missing = [code for code in DINGTALK_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("dingtalk", "0001_initial"),
        ("directory", "0005_member_sessions_revoked_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
