"""Sign-in pages, company switching, invitation acceptance and personal API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from harbour.core.decorators import member_required
from harbour.core.entitlements import Feature, has
from harbour.core.errors import HarbourError
from harbour.directory.actions import accept_invitation
from harbour.directory.actions.members import find_invitation
from harbour.identity import login as login_actions
from harbour.identity.tokens import create_api_token, revoke_api_token, tokens_of


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def login_page(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    email = ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            target = login_actions.sign_in(
                request, email, request.POST.get("password", ""), next_url=_safe_next(request)
            )
        except HarbourError as exc:
            errors[exc.field or "__all__"] = exc.message
        else:
            return with_browser_cookie(request, redirect(target))
    status = 400 if errors else 200
    response = render(
        request,
        "identity/login.html",
        {"errors": errors, "email": email, "next": _safe_next(request)},
        status=status,
    )
    return with_browser_cookie(request, response)


def with_browser_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the browser its long-lived random id (login risk: "a new device") if it has none."""
    if not request.COOKIES.get(login_actions.BROWSER_COOKIE):
        response.set_cookie(
            login_actions.BROWSER_COOKIE,
            secrets.token_urlsafe(24),
            max_age=2 * 365 * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def logout_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        login_actions.sign_out(request)
        return redirect("identity:login")
    return render(request, "identity/logout.html")


@require_POST
@login_required
def switch_company(request: HttpRequest) -> HttpResponse:
    member = login_actions.switch_tenant(request, request.POST.get("tenant_id", ""))
    messages.success(
        request, _("You are now working in %(company)s.") % {"company": member.tenant.display_name}
    )
    return redirect("console:dashboard")


def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    errors: dict[str, str] = {}
    try:
        invitation = find_invitation(token)
    except HarbourError as exc:
        return render(request, "identity/invite_invalid.html", {"message": exc.message}, status=404)
    if request.method == "POST":
        password, confirm = request.POST.get("password", ""), request.POST.get("confirm", "")
        if password != confirm:
            errors["confirm"] = _("The two passwords differ.")
        else:
            try:
                member = accept_invitation(token, password)
            except HarbourError as exc:
                errors[exc.field or "__all__"] = exc.message
            else:
                messages.success(
                    request, _("Welcome to %(company)s.") % {"company": member.tenant.display_name}
                )
                try:
                    target = login_actions.sign_in(request, member.email, password)
                except HarbourError as exc:  # the company asks for another way in (SSO only, say)
                    messages.info(request, exc.message)
                    return redirect("identity:login")
                return with_browser_cookie(request, redirect(target))
    return render(
        request,
        "identity/accept_invite.html",
        {"invitation": invitation, "member": invitation.member, "errors": errors},
        status=400 if errors else 200,
    )


@member_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    errors: dict[str, str] = {}
    new_token = None
    if request.method == "POST":
        try:
            days = int(request.POST.get("days") or 90)
        except ValueError:
            errors["days"] = _("Enter a number of days.")
        else:
            try:
                _row, new_token = create_api_token(actor, actor, name=request.POST.get("name", ""), days=days)
            except HarbourError as exc:
                errors[exc.field or "__all__"] = exc.message
    return render(
        request,
        "identity/tokens.html",
        {
            "api_included": has(request.tenant, Feature.API_ACCESS),  # type: ignore[attr-defined]
            "tokens": tokens_of(actor),
            "new_token": new_token,
            "errors": errors,
            "form_error": errors.get("__all__"),
        },
        status=400 if errors else 200,
    )


@require_POST
@member_required
def revoke_token(request: HttpRequest, token_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    token = next((t for t in tokens_of(actor) if str(t.pk) == str(token_id)), None)
    if token is None:
        raise Http404
    revoke_api_token(actor, token)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("identity:tokens")


def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)
