"""What the provider knows of a user beyond Django's ``User``: the claims it asserts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idp_profile"
    )
    sub = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True)
    given_name = models.CharField(max_length=255, blank=True)
    family_name = models.CharField(max_length=255, blank=True)
    email_verified = models.BooleanField(default=True)
    claims = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.sub
