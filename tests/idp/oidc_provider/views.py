"""The sign-in form and the admin endpoints of the test OpenID Connect provider."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import accounts

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in – test identity provider</title></head>
<body>
<h1>Sign in</h1>
{error}
<form method="post" action="/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label>Email <input type="email" name="email" value="{email}" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
"""


def _login_page(request: HttpRequest, next_url: str, email: str = "", error: str = "") -> HttpResponse:
    html = format_html(
        _PAGE,
        error=format_html('<p class="error" role="alert">{}</p>', error) if error else "",
        csrf=get_token(request),
        next=next_url,
        email=email,
    )
    return HttpResponse(html)


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method != "POST":
        return _login_page(request, next_url)
    email = request.POST.get("email", "").strip()
    user = authenticate(request, username=email.lower(), password=request.POST.get("password", ""))
    if user is None:
        return _login_page(request, next_url, email, "Wrong email or password.")
    login(request, user)
    return HttpResponseRedirect(next_url)


def _authorised(request: HttpRequest) -> bool:
    token = settings.OIDC_IDP_ADMIN_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(token) and hmac.compare_digest(offered.encode(), token.encode())


def _json_body(request: HttpRequest) -> dict[str, Any]:
    body = json.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise ValueError("a JSON object is expected")
    return body


@csrf_exempt
@require_POST
def admin_users(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return HttpResponse(status=404)
    try:
        profile = accounts.upsert_user(_json_body(request))
    except (ValueError, KeyError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"sub": profile.sub})


@csrf_exempt
@require_POST
def admin_redirect_uris(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return HttpResponse(status=404)
    try:
        uri = str(_json_body(request)["redirect_uri"])
    except (ValueError, KeyError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"redirect_uris": accounts.allow_redirect_uri(uri)})
