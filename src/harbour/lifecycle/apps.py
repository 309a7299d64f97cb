from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "harbour.lifecycle"
    label = "lifecycle"
    verbose_name = "Account lifecycle"

    def ready(self) -> None:
        from harbour.jobs.schedule import register_periodic
        from harbour.lifecycle import audit_kinds, handover, permission_codes  # noqa: F401  (registers)
        from harbour.lifecycle.erasure import register_categories
        from harbour.lifecycle.scim import audit_kinds as scim_audit_kinds  # noqa: F401  (registers)
        from harbour.lifecycle.tasks import deactivate_departed_task

        register_categories()

        # Leavers past their grace period are deactivated early in the morning, Hong Kong time.
        register_periodic("lifecycle.deactivate_departed", "20 1 * * *", deactivate_departed_task)
