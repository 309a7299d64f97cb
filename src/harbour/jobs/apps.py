from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "harbour.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from harbour.jobs import audit_kinds, permission_codes, receivers  # noqa: F401  (registers)
        from harbour.jobs.schedule import check, periodic_jobs

        check(periodic_jobs())  # a bad cron expression stops the start-up, naming the job
