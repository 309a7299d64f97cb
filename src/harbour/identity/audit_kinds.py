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
register("login.risk", _("Login risk detected"))
register("apitoken.created", _("API token created"))
register("apitoken.revoked", _("API token revoked"))
register("totp.enabled", _("Authenticator app set up"))
register("totp.disabled", _("Authenticator app switched off"))
register("totp.reset", _("Authenticator app reset by an administrator"))
register("totp.recovery_codes_regenerated", _("New recovery codes made"))
register("totp.recovery_code_used", _("Signed in with a recovery code"))
register("device.enrolment_created", _("Company device registration link created"))
register("device.registered", _("Company device registered"))
register("device.revoked", _("Company device revoked"))
register("device.clone_suspected", _("Sign-in refused: a device's counter went backwards (copied key?)"))
register("sso.connection_created", _("Single sign-on connection added"))
register("sso.connection_updated", _("Single sign-on connection changed"))
register("sso.connection_enabled", _("Single sign-on connection enabled"))
register("sso.connection_disabled", _("Single sign-on connection disabled"))
register("sso.connection_deleted", _("Single sign-on connection deleted"))
register("sso.login_linked", _("Login linked through single sign-on"))
register("sso.member_provisioned", _("Work account created at first single sign-on"))
