from django.apps import AppConfig


class DingTalkConfig(AppConfig):
    name = "harbour.integrations.dingtalk"
    label = "dingtalk"
    verbose_name = "DingTalk connector"

    def ready(self) -> None:
        from harbour.integrations.dingtalk import audit_kinds, permission_codes  # noqa: F401  (registers)
        from harbour.integrations.dingtalk.sync import leavers as dingtalk_leavers
        from harbour.integrations.dingtalk.tasks import run_sync_cycles_task
        from harbour.jobs.schedule import register_periodic

        dingtalk_leavers.connect()
        # Connections whose sync interval has passed plan and apply a sync (checked every five minutes).
        register_periodic("dingtalk.sync_cycle", "*/5 * * * *", run_sync_cycles_task)
