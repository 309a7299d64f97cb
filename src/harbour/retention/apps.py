from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "harbour.retention"
    label = "retention"
    verbose_name = "Retention and erasure"

    def ready(self) -> None:
        from harbour.core.compliance import register_check
        from harbour.jobs.schedule import register_periodic
        from harbour.retention import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.retention.compliance_checks import (
            applicants_kept_two_years,
            former_employees_erased,
            schedules_enforced,
        )
        from harbour.retention.former_members import register
        from harbour.retention.tasks import erase_due_records_task

        register()
        register_check("PDPO-DPP2-RETENTION", schedules_enforced)
        register_check("HR-FORMER-7Y", former_employees_erased)
        register_check("HR-RECRUIT-2Y", applicants_kept_two_years)
        # Daily, in the small hours Hong Kong time (after downtime, the missed slot runs once).
        register_periodic("retention.erase_due", "15 3 * * *", erase_due_records_task)
