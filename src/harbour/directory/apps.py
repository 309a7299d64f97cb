from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "harbour.directory"
    label = "directory"
    verbose_name = "Organisation directory"

    def ready(self) -> None:
        from harbour.directory import audit_kinds, permission_codes  # noqa: F401  (registers)
