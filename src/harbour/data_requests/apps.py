from django.apps import AppConfig


class DataRequestsConfig(AppConfig):
    name = "harbour.data_requests"
    label = "data_requests"
    verbose_name = "Data access and correction requests"

    def ready(self) -> None:
        from harbour.data_requests import (  # noqa: F401  (registers)
            audit_kinds,
            compliance_checks,
            erasure,
            permission_codes,
        )
        from harbour.data_requests.tasks import remind_request_handlers_task
        from harbour.jobs.schedule import register_periodic

        # Day-30 and overdue reminders to the request handlers, hourly (each sent once per request).
        register_periodic("data_requests.remind", "7 * * * *", remind_request_handlers_task)
