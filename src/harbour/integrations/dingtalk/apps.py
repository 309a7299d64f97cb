from django.apps import AppConfig


class DingTalkConfig(AppConfig):
    name = "harbour.integrations.dingtalk"
    label = "dingtalk"
    verbose_name = "DingTalk connector"

    def ready(self) -> None:
        from harbour.integrations.dingtalk import audit_kinds, permission_codes  # noqa: F401  (registers)
