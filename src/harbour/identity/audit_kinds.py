"""Audit event kinds written by identity actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("login.succeeded", _("Signed in"))
register("login.failed", _("Sign-in refused"))
register("login.break_glass", _("Signed in through the break-glass path"))
register("login.unlocked", _("Sign-in lockout lifted"))
register("logout", _("Signed out"))
register("session.tenant_switched", _("Switched company"))
register("session.ended", _("Signed-in session ended"))
register("apitoken.created", _("API token created"))
register("apitoken.revoked", _("API token revoked"))
