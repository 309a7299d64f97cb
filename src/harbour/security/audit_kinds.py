"""Audit event kinds written by security actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("security.settings_changed", _("Security settings changed"))
