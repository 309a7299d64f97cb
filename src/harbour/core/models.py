"""Tenants (companies) and login accounts: the two tables that are not owned by a tenant."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantManager, TenantOwned, TenantQuerySet

__all__ = ["Account", "Tenant", "TenantManager", "TenantOwned", "TenantQuerySet"]


class RegistrationLocation(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong")
    MAINLAND = "CN", _("Mainland China")
    MACAU = "MO", _("Macau")
    SINGAPORE = "SG", _("Singapore")
    OTHER = "OTHER", _("Elsewhere")


class StorageRegion(models.TextChoices):
    HONG_KONG = "hk", _("Hong Kong")
    MAINLAND = "cn-mainland", _("Mainland China")
    SINGAPORE = "sg", _("Singapore")
    ON_PREMISES = "on-premises", _("Company premises")


class Locale(models.TextChoices):
    ENGLISH = "en", _("English")
    TRADITIONAL_CHINESE = "zh-hant", _("Traditional Chinese (Hong Kong)")


class Tenant(models.Model):
    """A company using Harbour. Its slug is public; its id is the UUID every owned row points at."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=63, unique=True)
    display_name = models.CharField(max_length=200)
    registered_name = models.CharField(max_length=200, blank=True)
    br_number = models.CharField(max_length=20, blank=True, help_text=_("Business Registration number"))
    registration_location = models.CharField(
        max_length=8, choices=RegistrationLocation.choices, default=RegistrationLocation.HONG_KONG
    )
    data_storage_region = models.CharField(
        max_length=16, choices=StorageRegion.choices, default=StorageRegion.HONG_KONG
    )
    contracting_entity = models.CharField(max_length=200, blank=True)
    local_contact_address = models.TextField(blank=True)
    email_domains = models.JSONField(default=list, blank=True)
    locale = models.CharField(max_length=10, choices=Locale.choices, default=Locale.ENGLISH)
    time_zone = models.CharField(max_length=64, default="Asia/Hong_Kong")
    operator = models.ForeignKey(
        "core.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="operated_tenants"
    )
    # Where the company's data lives (core.databases): "default", or a dedicated database's alias
    # (Premium). While a move runs, database_moving_to names the target and writes are paused.
    database = models.CharField(max_length=40, default="default")
    database_moving_to = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The company profile: what the console form, the API and the audit snapshot all cover.
    PROFILE_FIELDS: ClassVar[tuple[str, ...]] = (
        "display_name",
        "registered_name",
        "br_number",
        "registration_location",
        "data_storage_region",
        "contracting_entity",
        "local_contact_address",
        "email_domains",
        "locale",
        "time_zone",
    )
    audit_fields = ("slug", *PROFILE_FIELDS)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def tenant_id(self) -> uuid.UUID:
        """A tenant is the scope of itself (lets audit treat it like an owned object)."""
        return self.id

    def snapshot(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.audit_fields}

    def permission_paths(self) -> tuple[str, ...]:
        return ()

    def owner_id(self) -> uuid.UUID | None:
        return None


class AccountManager(BaseUserManager["Account"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Account:
        account = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            account.set_password(password)
        else:
            account.set_unusable_password()
        account.save(using=self._db)
        return account

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Account:
        extra.setdefault("is_operator", True)
        return self.create_user(email, password, **extra)


class Account(AbstractBaseUser):
    """A login identity (email + password). Work accounts are ``directory.Member`` rows that point here;
    one person may hold memberships in several tenants and switch between them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    is_operator = models.BooleanField(
        default=False, help_text=_("Platform operator (reseller/MSP): may create and run many tenants.")
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email
