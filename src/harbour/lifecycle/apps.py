from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "harbour.lifecycle"
    label = "lifecycle"
    verbose_name = "Account lifecycle"

    def ready(self) -> None:
        from harbour.lifecycle import audit_kinds, permission_codes  # noqa: F401  (registers)
