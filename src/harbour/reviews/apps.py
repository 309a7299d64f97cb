from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "harbour.reviews"
    label = "reviews"
    verbose_name = "Access reviews"

    def ready(self) -> None:
        from harbour.jobs.schedule import register_periodic
        from harbour.reviews import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.reviews.tasks import advance_reviews_task, open_quarterly_reviews_task

        # Escalations, reminders and closing at the due date, four times an hour.
        register_periodic("reviews.advance", "*/15 * * * *", advance_reviews_task)
        # The first minutes of each quarter, Hong Kong time (after downtime, the missed slot runs once).
        register_periodic("reviews.open_quarterly", "5 0 1 1,4,7,10 *", open_quarterly_reviews_task)
