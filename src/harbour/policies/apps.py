from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "harbour.policies"
    label = "policies"
    verbose_name = "Policies and acknowledgements"

    def ready(self) -> None:
        from harbour.core.compliance import register_check
        from harbour.core.erasure import register_category
        from harbour.jobs.schedule import register_periodic
        from harbour.policies import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.policies.compliance_checks import (
            conduct_policy_acknowledged,
            monitoring_policy_acknowledged,
        )
        from harbour.policies.erasure import ACKNOWLEDGEMENT_NETWORK_DATA
        from harbour.policies.tasks import remind_acknowledgements_task

        # Reminders go out within the hour a stage falls due (the latest missed slot runs after downtime).
        register_periodic("policies.remind", "20 * * * *", remind_acknowledgements_task)
        register_check("HB-GOV-CONDUCT", conduct_policy_acknowledged)
        register_check("MON-3C", monitoring_policy_acknowledged)
        register_category(ACKNOWLEDGEMENT_NETWORK_DATA)
