"""Give existing companies' built-in roles the temporary collaborator permissions (new companies get them with
the roles): every member may sponsor one, Department Managers and Administrators approve."""

from django.db import migrations

PERMISSIONS = {
    "administrator": ["collaborator.request", "collaborator.approve"],
    "department_manager": ["collaborator.request", "collaborator.approve"],
    "general_member": ["collaborator.request"],
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin__in=list(PERMISSIONS)):
        missing = [code for code in PERMISSIONS[role.builtin] if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("collaborators", "0001_initial"),
        ("directory", "0005_member_sessions_revoked_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
