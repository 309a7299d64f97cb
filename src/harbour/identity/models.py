"""Personal API tokens. Only a hash is stored; the token itself is shown once."""

from __future__ import annotations

from django.db import models

from harbour.core.tenancy import TenantOwned
from harbour.core.time import now


class ApiToken(TenantOwned):
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
