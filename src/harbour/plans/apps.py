from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "harbour.plans"
    label = "plans"
    verbose_name = "Plans and entitlements"

    def ready(self) -> None:
        from harbour.core import entitlements
        from harbour.plans import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.plans.source import DatabaseSource

        entitlements.set_source(DatabaseSource())
