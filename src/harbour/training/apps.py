from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "harbour.training"
    label = "training"
    verbose_name = "Security training"

    def ready(self) -> None:
        from harbour.core.compliance import register_check
        from harbour.jobs.schedule import register_periodic
        from harbour.training import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.training.compliance_checks import RULE_ID, quarterly_training_completed
        from harbour.training.erasure import register_training_records
        from harbour.training.tasks import open_quarterly_training_task

        # Daily shortly after midnight, Hong Kong time: the quarter's sessions open on the quarter's first day
        # (or the first run after downtime).
        register_periodic("training.open_quarterly", "15 0 * * *", open_quarterly_training_task)
        register_check(RULE_ID, quarterly_training_completed)
        register_training_records()
