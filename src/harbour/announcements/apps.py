from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "harbour.announcements"
    label = "announcements"
    verbose_name = "Announcements"

    def ready(self) -> None:
        from harbour.announcements import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.announcements.compliance_checks import announcements_read
        from harbour.announcements.erasure import register_receipts
        from harbour.announcements.tasks import send_due_announcements_task
        from harbour.core.compliance import register_check
        from harbour.jobs.schedule import register_periodic

        # Scheduled announcements go out in the minute they are due; a missed minute is caught up next run.
        register_periodic("announcements.send_due", "* * * * *", send_due_announcements_task)
        register_check("HB-GOV-ANNOUNCE", announcements_read)
        register_receipts()
