"""Identity tables: API tokens, signed-in sessions, login failures, second factors, company devices,
single sign-on connections and login risk events."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.fields import SealedCharField
from harbour.core.tenancy import TenantOwned
from harbour.core.time import now


class ApiToken(TenantOwned):
    """A personal API token. Only a hash is stored; the token itself is shown once."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("name", "prefix", "expires_at", "revoked_at")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > now()

    def owner_id(self):  # type: ignore[no-untyped-def]
        return self.member_id

    def permission_paths(self) -> tuple[str, ...]:
        return ()


class LoginMethod(models.TextChoices):
    PASSWORD = "password", _("Password")
    SSO = "sso", _("Single sign-on")
    BREAK_GLASS = "break_glass", _("Break-glass password")


class LoginSession(models.Model):
    """A signed-in browser: listed to its holder and their administrators, ended one by one or all at once.

    Kept in the registry (a login spans companies); only a hash of Django's session key is stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey("core.Account", on_delete=models.CASCADE, related_name="login_sessions")
    tenant = models.ForeignKey("core.Tenant", null=True, on_delete=models.SET_NULL, related_name="+")
    session_key_hash = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=12, choices=LoginMethod.choices)
    factors = models.JSONField(default=list, blank=True)  # "totp", "device"
    sso_connection = models.UUIDField(null=True, blank=True)
    device_credential = models.UUIDField(null=True, blank=True)
    browser_id = models.CharField(max_length=64, blank=True)  # the long-lived browser cookie's id
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "ended_at"], name="login_session_live")]

    def __str__(self) -> str:
        return f"{self.method} {self.ip or ''}".strip()

    @property
    def is_live(self) -> bool:
        return self.ended_at is None and self.expires_at > now()


class LoginFailure(models.Model):
    """One refused password: counted per address and per client IP for lockout and burst detection.

    In the database (not a per-process cache) so every app worker sees the same count.
    """

    email_digest = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.email_digest[:8]} {self.ip}"


class TotpAuthenticator(models.Model):
    """A login's time-based one-time password (RFC 6238) second factor, with its recovery codes."""

    account = models.OneToOneField("core.Account", on_delete=models.CASCADE, related_name="totp")
    secret = SealedCharField(max_length=255)  # sealed at rest: a copy of the database cannot make codes
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # refuses a code used twice
    recovery_code_hashes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP for {self.account_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DeviceCredential(TenantOwned):
    """A company-issued device of a member, registered by IT as a WebAuthn credential."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(max_length=80)
    credential_id = models.CharField(max_length=1400)  # base64url, as browsers send it
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    aaguid = models.CharField(max_length=36, blank=True)
    transports = models.JSONField(default=list, blank=True)
    registered_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("name", "aaguid", "revoked_at")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "credential_id"], name="device_credential")]

    def __str__(self) -> str:
        return self.name

    def owner_id(self):  # type: ignore[no-untyped-def]
        return self.member_id


class DeviceEnrolment(TenantOwned):
    """A one-time link IT opens on the company device being registered (expires, used once)."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    device_name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.device_name


class SsoProtocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class SsoPreset(models.TextChoices):
    ENTRA_ID = "entra", _("Microsoft Entra ID")
    GOOGLE = "google", _("Google Workspace")
    GENERIC = "generic", _("Other provider")


class SsoConnection(TenantOwned):
    """A company's identity provider, backed by an allauth SocialApp (which holds the client secret).

    In the registry: the callback names the connection before any company is known.
    """

    lives_with_tenant = False

    name = models.CharField(max_length=80)
    protocol = models.CharField(max_length=8, choices=SsoProtocol.choices)
    preset = models.CharField(max_length=10, choices=SsoPreset.choices, default=SsoPreset.GENERIC)
    slug = models.SlugField(max_length=60, unique=True)  # allauth's provider id / SAML organisation slug
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="harbour_connection"
    )
    enabled = models.BooleanField(default=True)
    just_in_time = models.BooleanField(default=False)  # create unknown members on first sign-in
    settings_summary = models.JSONField(default=dict, blank=True)  # what the admin typed, minus secrets

    audit_fields = ("name", "protocol", "preset", "enabled", "just_in_time", "settings_summary")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RiskRule(models.TextChoices):
    NEW_DEVICE = "new_device", _("New device")
    OUTSIDE_NETWORKS = "outside_networks", _("Address outside the allowed networks")
    OUTSIDE_HOURS = "outside_hours", _("Outside working hours")
    FAILED_BURST = "failed_burst", _("Burst of failed attempts")
    TWO_NETWORKS = "two_networks", _("Sessions from two networks at once")


class RiskEvent(TenantOwned):
    """One rule that fired for one sign-in (or attempt) of a member."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20, choices=RiskRule.choices)
    severity = models.CharField(max_length=10)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    login_session = models.UUIDField(null=True, blank=True)
    incident = models.ForeignKey("security.Incident", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "member", "created_at"], name="risk_by_member")]

    def __str__(self) -> str:
        return self.rule
