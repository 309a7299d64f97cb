"""Where allauth hands a finished single sign-on back to Harbour.

allauth checks the protocol (OpenID Connect code exchange and ID token, SAML response signature); from
there Harbour decides. ``pre_social_login`` always ends allauth's flow: into Harbour's sign-in pipeline
(``identity.login.begin``: second steps, session, audit) or back to Harbour's login page with the reason.
allauth's own account pages, signup and templates are never reached.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthError
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from harbour.core.errors import HarbourError
from harbour.core.models import Account
from harbour.core.sealing import unseal
from harbour.directory.models import Member
from harbour.identity import login
from harbour.identity.models import LoginMethod, SsoConnection, SsoProtocol
from harbour.identity.sso.actions import record_refusal
from harbour.identity.sso.queries import connection_by_slug
from harbour.identity.sso.signin import Asserted, SignInRefused, oidc_asserted, saml_asserted, vouched
from harbour.identity.views import with_browser_cookie


def back_to_login(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("identity:login")


def _asserted(connection: SsoConnection, sociallogin: SocialLogin) -> Asserted:
    account = sociallogin.account
    if connection.protocol == SsoProtocol.OIDC:
        return oidc_asserted(str(account.uid), dict(account.extra_data or {}))
    user = sociallogin.user
    mapping = connection.social_app.settings.get("attribute_mapping") or {}
    return saml_asserted(
        str(account.uid), getattr(user, "email", "") or "", dict(account.extra_data or {}), mapping
    )


def _next_url(request: HttpRequest, sociallogin: SocialLogin) -> str:
    target = str(sociallogin.state.get("next") or "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _member_of(connection: SsoConnection, account: Account) -> Member | None:
    return Member.objects.for_tenant(connection.tenant_id).filter(account_id=account.pk).first()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        connection = connection_by_slug(str(sociallogin.account.provider))
        if connection is None:
            raise ImmediateHttpResponse(
                back_to_login(request, _("this single sign-on connection no longer exists"))
            )
        asserted = _asserted(connection, sociallogin)
        linked = sociallogin.user if sociallogin.is_existing else None
        try:
            account = vouched(connection, asserted, linked if isinstance(linked, Account) else None)
        except SignInRefused as refused:
            record_refusal(connection, reason=refused.reason, email=asserted.email, member=refused.member)
            raise ImmediateHttpResponse(back_to_login(request, refused.message)) from None
        try:
            target = login.begin(
                request,
                account,
                method=LoginMethod.SSO,
                sso_tenant_id=connection.tenant_id,
                sso_connection=connection.pk,
                next_url=_next_url(request, sociallogin),
            )
        except HarbourError as exc:  # the company's policy (network, …) refuses this sign-in
            record_refusal(
                connection,
                reason="policy",
                email=asserted.email,
                member=_member_of(connection, account),
                detail=exc.message,
            )
            raise ImmediateHttpResponse(back_to_login(request, exc.message)) from None
        raise ImmediateHttpResponse(with_browser_cookie(request, redirect(target)))

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """The provider said no, the answer did not check out, or the person cancelled: back to Harbour's
        login page (the technical reason goes to the company's log, not to the person)."""
        app = getattr(provider, "app", None)
        connection = connection_by_slug(str(app.provider_id or app.client_id)) if app is not None else None
        detail = ""
        if extra_context:
            detail = str(extra_context.get("saml_last_error_reason") or "")
        if exception is not None and not detail:
            detail = f"{type(exception).__name__}: {exception}"[:300]
        if connection is not None:
            record_refusal(connection, reason=f"provider_{error or AuthError.UNKNOWN}", detail=detail)
        if error == AuthError.CANCELLED:
            message = _("Single sign-on was cancelled. Nobody was signed in.")
        else:
            message = _(
                "Your identity provider's answer could not be accepted, so nobody was signed in. Try again, "
                "or ask your administrator."
            )
        raise ImmediateHttpResponse(back_to_login(request, message))

    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> list[SocialApp]:
        """The connections' apps with their client secrets opened (they are sealed in the database)."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            app.secret = unseal(app.secret)
        return apps

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False  # work accounts come from the directory (or just-in-time creation above)

    def can_authenticate_by_email(self, login: SocialLogin, email: str) -> bool:
        return False  # a provider's email alone never signs anyone in to an existing login
