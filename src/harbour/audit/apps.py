from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "harbour.audit"
    label = "audit"
    verbose_name = "Operation log"

    def ready(self) -> None:
        from harbour.audit import audit_kinds  # noqa: F401  (registers)
