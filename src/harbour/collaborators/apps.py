from django.apps import AppConfig


class CollaboratorsConfig(AppConfig):
    name = "harbour.collaborators"
    label = "collaborators"
    verbose_name = "Temporary collaborators"

    def ready(self) -> None:
        from harbour.collaborators import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.collaborators.actions import hand_over_sponsorships
        from harbour.collaborators.tasks import expire_collaborators_task, remind_collaborators_task
        from harbour.core.handover import register_handover
        from harbour.jobs.schedule import register_periodic

        # Access ends on time: overdue collaborators are revoked every 5 minutes (the scheduler also runs the
        # latest missed slot as soon as a worker starts, so downtime is caught up at once).
        register_periodic("collaborators.expire", "*/5 * * * *", expire_collaborators_task)
        register_periodic("collaborators.remind", "*/15 * * * *", remind_collaborators_task)
        # A leaver's open requests and active collaborators pass to their successor as sponsor.
        register_handover("collaborators", hand_over_sponsorships)
