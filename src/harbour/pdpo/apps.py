from django.apps import AppConfig


class PdpoConfig(AppConfig):
    name = "harbour.pdpo"
    label = "pdpo"
    verbose_name = "PDPO register and requests"

    def ready(self) -> None:
        from harbour.pdpo import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.pdpo.compliance_checks import register_all
        from harbour.pdpo.erasure import register

        register_all()
        register()
