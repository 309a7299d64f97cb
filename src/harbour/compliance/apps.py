from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "harbour.compliance"
    label = "compliance"
    verbose_name = "Compliance dashboard and report"

    def ready(self) -> None:
        from harbour.compliance import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.compliance.tasks import snapshot_posture_task
        from harbour.jobs.schedule import register_periodic

        # Late evening, Hong Kong time: the day's posture for the chart (a rerun the same day adds nothing).
        register_periodic("compliance.snapshot", "50 23 * * *", snapshot_posture_task)
