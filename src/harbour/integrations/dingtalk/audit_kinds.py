"""Audit event kinds written by the DingTalk connector's actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("dingtalk.connected", _("DingTalk connected"))
register("dingtalk.connection_changed", _("DingTalk connection settings changed"))
register("dingtalk.connection_tested", _("DingTalk connection tested"))
register("dingtalk.disconnected", _("DingTalk disconnected"))
register("dingtalk.callback_configured", _("DingTalk event callback credentials set"))
register("dingtalk.robot_configured", _("DingTalk group robot set up"))
register("dingtalk.adoption_planned", _("DingTalk directory adoption planned"))
register("dingtalk.adoption_decided", _("DingTalk adoption: a person decided a disputed account"))
register("dingtalk.sync_planned", _("DingTalk sync planned (dry run)"))
register("dingtalk.item_confirmed", _("DingTalk sync: an irreversible change confirmed"))
register("dingtalk.item_skipped", _("DingTalk sync: a change set aside"))
register("dingtalk.sync_applied", _("DingTalk sync applied"))
register("dingtalk.leaver_removed", _("Leaver removed from DingTalk"))
register("dingtalk.event_received", _("DingTalk event received and reflected in Harbour"))
register("dingtalk.robot_message_sent", _("Message posted to a DingTalk group"))
