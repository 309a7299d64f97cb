from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "harbour.security"
    label = "security"
    verbose_name = "Security settings"

    def ready(self) -> None:
        import harbour.security.compliance_checks  # noqa: F401  (registers the incident rules' checks)
        from harbour.security import admission, audit_kinds, baseline_rules, permission_codes  # noqa: F401
