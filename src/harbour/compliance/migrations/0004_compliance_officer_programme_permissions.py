"""Give existing companies' built-in Compliance Officer role the codes of the whole compliance programme:
policies, training, announcements, the PDPO register, data requests, retention and incidents (new companies
get them with the role)."""

from django.db import migrations

PROGRAMME_PERMISSIONS = [
    "policy.view",
    "policy.manage",
    "training.view",
    "training.manage",
    "announcement.view",
    "announcement.manage",
    "pdpo.view",
    "pdpo.manage",
    "pdpo.approve",
    "datarequest.view",
    "datarequest.manage",
    "retention.view",
    "retention.manage",
    "incident.view",
    "incident.manage",
    "incident.breach",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias  # every company database carries roles: write where they were read
    role_model = apps.get_model("directory", "Role")
    for role in role_model.objects.using(alias).filter(builtin="compliance_officer"):
        missing = [code for code in PROGRAMME_PERMISSIONS if code not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(using=alias, update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_compliance_officer_permissions"),
        ("policies", "0002_administrator_policy_permissions"),
        ("training", "0002_administrator_training_permissions"),
        ("announcements", "0002_administrator_announcement_permissions"),
        ("pdpo", "0002_administrator_pdpo_permissions"),
        ("data_requests", "0002_administrator_data_request_permissions"),
        ("retention", "0002_administrator_retention_permissions"),
        ("security", "0006_administrator_breach_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
