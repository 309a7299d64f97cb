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

        from harbour.integrations.dingtalk import baseline_rules, robot
        from harbour.integrations.dingtalk.facts import refresh_all_facts_task

        baseline_rules.register()
        robot.connect_hooks()
        # The group robot's outbox: what the 20-a-minute limit, a penalty or a retry held back goes out.
        register_periodic("dingtalk.robot_outbox", "* * * * *", robot.deliver_due_robot_messages_task)
        # What the security baseline reads about DingTalk, read again early each morning.
        register_periodic("dingtalk.refresh_facts", "40 3 * * *", refresh_all_facts_task)
