"""Where allauth hands a finished single sign-on back to Harbour (filled in with the SSO flow)."""

from __future__ import annotations

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
