"""The claims the provider puts in ID tokens and userinfo answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Profile


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        profile = Profile.objects.get(user=user)
        return {
            "sub": profile.sub,
            "email": user.email,
            "email_verified": profile.email_verified,
            "name": profile.name,
            "given_name": profile.given_name,
            "family_name": profile.family_name,
        }

    def get_oidc_claims(self, token: Any, token_handler: Any, request: Any) -> dict[str, Any]:
        # The standard claims go by scope; the extra claims (``tid`` …) and the user's own go always.
        claims: dict[str, Any] = super().get_oidc_claims(token, token_handler, request)
        claims.update(settings.OIDC_IDP_EXTRA_CLAIMS)
        claims.update(Profile.objects.get(user=request.user).claims)
        return claims
