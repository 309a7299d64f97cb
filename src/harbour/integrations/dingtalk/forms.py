"""Console forms of the DingTalk connector: the connection's settings, the group robot, a decision on an
adoption item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm
from harbour.integrations.dingtalk.actions.connection import QPS_RANGE
from harbour.integrations.dingtalk.models import DEFAULT_API_BASE_URL, DEFAULT_OAPI_BASE_URL, Connection


class ConnectionForm(ActionForm):
    """Setting up (``connected=False``: the AppSecret is required) or changing the connection (an empty
    AppSecret keeps the stored one; it is never shown back)."""

    app_key = forms.CharField(label=_("AppKey (Client ID)"), max_length=64)
    app_secret = forms.CharField(
        label=_("AppSecret (Client Secret)"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    qps_limit = forms.IntegerField(
        label=_("Calls per second per API"),
        min_value=QPS_RANGE[0],
        max_value=QPS_RANGE[1],
        initial=20,
        help_text=_("DingTalk allows 20 on the standard edition; Harbour stays under it."),
    )
    leaver_mode = forms.ChoiceField(label=_("Leavers"), choices=Connection.LeaverMode.choices)
    sync_interval_minutes = forms.IntegerField(
        label=_("Sync cycle (minutes)"),
        min_value=0,
        initial=60,
        help_text=_("0: only when someone plans a sync."),
    )
    oapi_base_url = forms.CharField(
        label=_("Legacy API address (advanced)"), required=False, initial=DEFAULT_OAPI_BASE_URL
    )
    api_base_url = forms.CharField(
        label=_("New API address (advanced)"), required=False, initial=DEFAULT_API_BASE_URL
    )

    def __init__(self, *args: Any, connected: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if connected:
            secret = self.fields["app_secret"]
            secret.required = False
            secret.help_text = _("Leave empty to keep the stored secret.")
            self.fields["paused"] = forms.BooleanField(label=_("Pause the sync cycle"), required=False)

    @property
    def advanced(self) -> list[Any]:
        return [self[name] for name in ("oapi_base_url", "api_base_url")]

    @property
    def basic(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in ("oapi_base_url", "api_base_url")]


class RobotForm(ActionForm):
    token = forms.CharField(
        label=_("Webhook access_token"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The value after access_token= in the robot's webhook address. Empty removes the robot."),
    )
    secret = forms.CharField(
        label=_("Signing secret (SEC…)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored one."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Post to the group"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("incident", _("New security incidents")), ("announcement", _("Sent announcements"))],
    )


class DecideForm(ActionForm):
    """Which Harbour account a DingTalk user is: one of the candidates, an account named by address, or
    none."""

    member = forms.UUIDField(required=False)
    email = forms.EmailField(label=_("or the account's email address"), required=False)
