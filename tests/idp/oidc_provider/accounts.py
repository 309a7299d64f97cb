"""Users and the client's redirect URIs: seeded at start, changed through the admin endpoints."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from oauth2_provider.models import get_application_model

from .models import Profile

SUB_NAMESPACE = uuid.UUID("0d6f3c1e-5c1a-4e59-9f0e-2f4a1b7f4c11")


def default_sub(email: str) -> str:
    """A stable opaque subject for an email address (the same on every run)."""
    return str(uuid.uuid5(SUB_NAMESPACE, email.lower()))


def split_name(name: str) -> tuple[str, str]:
    given, _space, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


@transaction.atomic
def upsert_user(entry: dict[str, Any]) -> Profile:
    """Add the user of a users.json entry, or update the one with that email."""
    email = str(entry["email"]).strip()
    password = str(entry["password"])
    name = str(entry.get("name") or "")
    given, family = split_name(name)
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=email.lower(), defaults={"email": email})
    user.email = email
    user.set_password(password)
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(user=user, sub=default_sub(email))
    if entry.get("sub"):
        profile.sub = str(entry["sub"])
    profile.name = name
    profile.given_name = str(entry.get("given_name", given))
    profile.family_name = str(entry.get("family_name", family))
    profile.email_verified = bool(entry.get("email_verified", True))
    profile.claims = dict(entry.get("claims") or {})
    profile.save()
    return profile


def register_client(client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
    application = get_application_model()
    application.objects.create(
        name="Test client",
        client_id=client_id,
        client_secret=client_secret,
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        algorithm=application.RS256_ALGORITHM,
        skip_authorization=True,
    )


@transaction.atomic
def allow_redirect_uri(uri: str) -> list[str]:
    """Register one more redirect URI for the (only) client; returns all of them."""
    application = get_application_model().objects.select_for_update().get()
    uris = application.redirect_uris.split()
    if uri not in uris:
        uris.append(uri)
        application.redirect_uris = " ".join(uris)
        application.save(update_fields=["redirect_uris"])
    return uris
