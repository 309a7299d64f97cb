from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "harbour.procurement"
    label = "procurement"
    verbose_name = "Procurement due diligence"

    def ready(self) -> None:
        from harbour.procurement import audit_kinds, permission_codes  # noqa: F401  (registers)
