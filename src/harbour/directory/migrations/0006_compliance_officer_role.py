"""The built-in Compliance Officer role: existing companies get it too (new ones get it with the others).

Permissions are the directory's part; the governance apps' own migrations add theirs to the role. A company
that already made a custom role of that name keeps it, and the built-in one is named apart."""

from django.db import migrations, models

BASE_PERMISSIONS = [
    "audit.view",
    "department.view",
    "member.view",
    "member.view_private",
    "own:apitoken.manage",
    "own:member.update_profile",
    "role.view",
    "tenant.view",
]
DESCRIPTION = (
    "Runs the compliance programme: policies, training, PDPO register, requests, breaches, reports."
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    roles = role_model.objects.using(alias)
    tenants = set(roles.filter(builtin="administrator").values_list("tenant_id", flat=True))
    have = set(roles.filter(builtin="compliance_officer").values_list("tenant_id", flat=True))
    for tenant_id in tenants - have:
        taken = roles.filter(tenant_id=tenant_id, name="Compliance Officer").exists()
        roles.create(
            tenant_id=tenant_id,
            name="Compliance Officer (built-in)" if taken else "Compliance Officer",
            builtin="compliance_officer",
            description=DESCRIPTION,
            permissions=BASE_PERMISSIONS,
            requires_scope=False,
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_member_sessions_revoked_at")]

    operations = [
        migrations.AlterField(
            model_name="role",
            name="builtin",
            field=models.CharField(
                blank=True,
                choices=[
                    ("administrator", "Administrator"),
                    ("department_manager", "Department Manager"),
                    ("general_member", "General Member"),
                    ("compliance_officer", "Compliance Officer"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
