"""Companies that listed email domains before verification existed keep their binding: each listed
domain is recorded as verified (an override, with the reason) and domain binding is switched on."""

from django.db import migrations
from django.utils import timezone

REASON = "carried over: the company listed this domain before DNS verification existed"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias
    tenant_model = apps.get_model("core", "Tenant")
    domain_model = apps.get_model("security", "TenantDomain")
    settings_model = apps.get_model("security", "SecuritySettings")
    registry = tenant_model.objects.using("default")
    for tenant in registry.exclude(email_domains=[]):
        if alias == "default":
            for name in tenant.email_domains:
                if not domain_model.objects.using(alias).filter(name=name, verified_at__isnull=False).exists():
                    domain_model.objects.using(alias).get_or_create(
                        tenant_id=tenant.pk,
                        name=name,
                        defaults={"verified_at": timezone.now(), "method": "override", "override_reason": REASON},
                    )
        if tenant.database == alias:
            settings_model.objects.using(alias).update_or_create(
                tenant_id=tenant.pk, defaults={"domain_binding": True}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0003_notice"),
        ("core", "0002_tenant_database"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
