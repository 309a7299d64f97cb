from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "harbour.identity"
    label = "identity"
    verbose_name = "Sign-in and tokens"

    def ready(self) -> None:
        from harbour.identity import audit_kinds, receivers  # noqa: F401  (registers)
