"""Single sign-on pages: signing in through the company's identity provider (public), and the console pages
where administrators connect, change, switch off and remove providers (``/security/sso/``)."""

from __future__ import annotations

import uuid
from typing import Any

import requests
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import build_auth, get_app_or_404
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from onelogin.saml2.errors import OneLogin_Saml2_Error

from harbour.core.decorators import member_required
from harbour.core.entitlements import Feature, has, require
from harbour.core.errors import HarbourError, NotEntitled
from harbour.core.permissions import can
from harbour.directory.forms import ActionForm
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm
from harbour.identity import login as login_actions
from harbour.identity.models import SsoConnection, SsoProtocol
from harbour.identity.sso import actions
from harbour.identity.sso.forms import KINDS, ConnectionForm, StartForm, kind_of
from harbour.identity.sso.presets import current_inputs
from harbour.identity.sso.queries import (
    MANAGE,
    VIEW,
    connection_by_slug,
    connections_for,
    connections_for_address,
    get_connection_for,
    registration_of,
    sign_in_counts,
)


# ------------------------------------------------------------------------------------------ signing in
def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def _to_provider(request: HttpRequest, connection: SsoConnection, *, email: str = "") -> HttpResponse | str:
    """The redirect to the provider, or why there is none (a message for the page)."""
    if not connection.enabled:
        return _("This single sign-on connection is switched off; ask your administrator.")
    if not has(connection.tenant, Feature.SINGLE_SIGN_ON):
        return _("%(company)s's plan does not include single sign-on; sign in with your password.") % {
            "company": connection.tenant.display_name
        }
    request.META.setdefault("HTTP_HOST", request.get_host())  # python3-saml reads the header itself
    provider = connection.social_app.get_provider(request)
    options: dict[str, Any] = {}
    if connection.protocol == SsoProtocol.OIDC and "@" in email:
        options["auth_params"] = {**provider.get_auth_params(), "login_hint": email}
    try:
        response: HttpResponse = provider.redirect(
            request, AuthProcess.LOGIN, next_url=_safe_next(request), **options
        )
    except (
        requests.RequestException,
        OSError,
        ValueError,
        KeyError,
        ImproperlyConfigured,
        OneLogin_Saml2_Error,
    ) as exc:
        actions.record_refusal(connection, reason="provider_unreachable", detail=str(exc)[:300])
        return _(
            "Harbour could not reach your identity provider. Try again later, or ask your administrator."
        )
    if not response.has_header("Location"):
        return response
    return _continue_page(request, connection, response["Location"])


def _continue_page(request: HttpRequest, connection: SsoConnection, url: str) -> HttpResponse:
    """On to the provider by a refresh, not a redirect: a redirect answering a form would be the form's own
    navigation, which the console's CSP (``form-action 'self'``) rightly refuses to send elsewhere."""
    response = render(request, "identity/sso/continue.html", {"connection": connection, "url": url})
    response["Cache-Control"] = "no-store"
    return response


def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with single sign-on: the person names their work email (or company); Harbour finds the
    company by its verified domain and sends them to its identity provider."""
    form = StartForm(request.POST if request.method == "POST" else None)
    choices: list[SsoConnection] = []
    error = ""
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["email"].strip()
        choices = connections_for_address(typed)
        if not choices:
            error = _(
                "No single sign-on is set up for that address. Sign in with your password, or ask your "
                "administrator."
            )
        elif len(choices) == 1:
            outcome = _to_provider(request, choices[0], email=typed)
            if not isinstance(outcome, str):
                return outcome
            error, choices = outcome, []
    context = {"form": form, "choices": choices, "error": error, "next": _safe_next(request)}
    return render(request, "identity/sso/sign_in.html", context, status=400 if error else 200)


def start(request: HttpRequest, slug: str) -> HttpResponse:
    """One connection's way in: GET asks to continue (a link can be bookmarked), POST goes to the provider."""
    connection = connection_by_slug(slug)
    if connection is None:
        raise Http404
    error = ""
    if request.method == "POST":
        outcome = _to_provider(request, connection)
        if not isinstance(outcome, str):
            return outcome
        error = outcome
    context = {"connection": connection, "error": error, "next": _safe_next(request)}
    return render(request, "identity/sso/start.html", context, status=400 if error else 200)


@csrf_exempt
def single_logout(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """SAML single logout from the IdP: ends the Harbour session the way the sign-out button does (the
    listed session is closed and the sign-out logged), then goes where the IdP asks."""
    app = get_app_or_404(request, organization_slug)
    request.META.setdefault("HTTP_HOST", request.get_host())
    auth = build_auth(request, app.get_provider(request))
    signed_in = request.user.is_authenticated
    error = ""
    target = None
    try:
        target = auth.process_slo(
            delete_session_cb=lambda: login_actions.sign_out(request), keep_local_session=not signed_in
        )
    except OneLogin_Saml2_Error as exc:
        error = str(exc)
    if auth.get_errors() or error:
        reason = auth.get_last_error_reason() or error or ", ".join(auth.get_errors())
        return HttpResponse(reason, content_type="text/plain", status=400)
    return redirect(target or "identity:login")


def finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's end of the SAML ACS, where an assertion this browser did not ask for (replayed, or its
    sign-in started elsewhere or long ago) is refused: refused on Harbour's login page, and logged."""
    try:
        response: HttpResponse = saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        connection = connection_by_slug(organization_slug)
        if connection is not None:
            actions.record_refusal(connection, reason="provider_unrequested_response")
        messages.error(
            request,
            _("This sign-in was not started in this browser, or it took too long. Start again."),
        )
        return redirect("identity:login")
    return response


def provider_login(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """allauth's own "log in with this provider" address: Harbour's page for the connection instead."""
    slug = kwargs.get("provider_id") or kwargs.get("organization_slug") or ""
    return redirect("sso:start", slug)


# ------------------------------------------------------------------------------------------ the console
def _summary_rows(connection: SsoConnection) -> list[tuple[str, str]]:
    labels = {
        "directory_id": _("Directory (tenant) id"),
        "domain": _("Workspace domain"),
        "issuer": _("Issuer URL"),
        "client_id": _("Client id"),
        "metadata_url": _("IdP metadata URL"),
        "entity_id": _("IdP entity id"),
        "sso_url": _("IdP single sign-on URL"),
        "certificate_sha256": _("IdP certificate (SHA-256 fingerprint)"),
    }
    return [(str(labels.get(k, k)), str(v)) for k, v in connection.settings_summary.items()]


def _require(request: ConsoleRequest, code: str) -> None:
    if not can(request.actor, code, request.tenant):
        raise Http404


@member_required
def connections(request: ConsoleRequest) -> HttpResponse:
    _require(request, VIEW)
    rows = list(connections_for(request.actor))
    counts = sign_in_counts(request.tenant.pk)
    for row in rows:
        row.sign_ins = counts.get(row.pk, 0)  # type: ignore[attr-defined]
        row.kind = kind_of(row.protocol, row.preset)  # type: ignore[attr-defined]
    context = {
        "connections": rows,
        "entitled": has(request.tenant, Feature.SINGLE_SIGN_ON),
        "may_manage": can(request.actor, MANAGE, request.tenant),
    }
    return render(request, "identity/sso/connections.html", context)


@member_required
def connection_choose(request: ConsoleRequest) -> HttpResponse:
    _require(request, MANAGE)
    context = {"kinds": KINDS.values(), "entitled": has(request.tenant, Feature.SINGLE_SIGN_ON)}
    return render(request, "identity/sso/choose.html", context)


def _entitlement_notice(request: ConsoleRequest) -> str:
    try:
        require(request.tenant, Feature.SINGLE_SIGN_ON)
    except NotEntitled as exc:
        return exc.message
    return ""


@member_required
def connection_create(request: ConsoleRequest, kind: str) -> HttpResponse:
    _require(request, MANAGE)
    chosen = KINDS.get(kind)
    if chosen is None:
        raise Http404
    form = ConnectionForm(request.POST if request.method == "POST" else None, kind=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            connection = actions.create_connection(
                request.actor,
                name=form.cleaned_data["name"],
                protocol=chosen.protocol,
                preset=chosen.preset,
                values=form.values(),
                just_in_time=form.cleaned_data["just_in_time"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _(
                    "Connected %(name)s. Register the addresses below at your identity provider, then "
                    "sign in once."
                )
                % {"name": connection.name},
            )
            return redirect("sso:connection", connection.pk)
    context = {"form": form, "kind": chosen, "notice": _entitlement_notice(request), "connection": None}
    return render(request, "identity/sso/form.html", context, status=400 if form.errors else 200)


@member_required
def connection_detail(request: ConsoleRequest, connection_id: uuid.UUID) -> HttpResponse:
    _require(request, VIEW)
    connection = get_connection_for(request.actor, connection_id)
    context = {
        "connection": connection,
        "kind": kind_of(connection.protocol, connection.preset),
        "registration": registration_of(connection, request.build_absolute_uri("/")),
        "sign_ins": sign_in_counts(request.tenant.pk).get(connection.pk, 0),
        "settings_rows": _summary_rows(connection),
        "may_manage": can(request.actor, MANAGE, request.tenant),
        "notice": _entitlement_notice(request),
    }
    return render(request, "identity/sso/detail.html", context)


@member_required
def connection_edit(request: ConsoleRequest, connection_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    connection = get_connection_for(request.actor, connection_id)
    kind = kind_of(connection.protocol, connection.preset)
    if kind is None:
        raise Http404
    initial = {
        "name": connection.name,
        "just_in_time": connection.just_in_time,
        **current_inputs(
            connection.protocol,
            connection.preset,
            connection.settings_summary,
            connection.social_app.settings,
        ),
    }
    form = ConnectionForm(
        request.POST if request.method == "POST" else None, initial=initial, kind=kind, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_connection(
                request.actor,
                connection,
                name=form.cleaned_data["name"],
                just_in_time=form.cleaned_data["just_in_time"],
                values=form.values(),
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("sso:connection", connection.pk)
    context = {"form": form, "kind": kind, "notice": _entitlement_notice(request), "connection": connection}
    return render(request, "identity/sso/form.html", context, status=400 if form.errors else 200)


@require_POST
@member_required
def connection_enable(request: ConsoleRequest, connection_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    connection = get_connection_for(request.actor, connection_id)
    try:
        actions.set_connection_enabled(request.actor, connection, True)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s signs people in again.") % {"name": connection.name})
    return redirect("sso:connection", connection.pk)


@member_required
def connection_disable(request: ConsoleRequest, connection_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    connection = get_connection_for(request.actor, connection_id)
    back = reverse("sso:connection", args=[connection.pk])

    def perform(_form: ActionForm) -> HttpResponse:
        actions.set_connection_enabled(request.actor, connection, False)
        messages.success(request, _("%(name)s no longer signs anyone in.") % {"name": connection.name})
        return redirect(back)

    confirmation = Confirmation(
        title=_("Disable %(name)s?") % {"name": connection.name},
        consequences=[
            _("Nobody can start or finish a sign-in through this provider until it is enabled again."),
            _("People already signed in stay signed in until their session ends."),
        ],
        action_url=reverse("sso:connection_disable", args=[connection.pk]),
        button=_("Disable"),
        cancel_url=back,
    )
    return confirm(request, confirmation, ActionForm, perform)


@member_required
def connection_delete(request: ConsoleRequest, connection_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    connection = get_connection_for(request.actor, connection_id)

    def perform(_form: ActionForm) -> HttpResponse:
        actions.delete_connection(request.actor, connection)
        messages.success(request, _("Removed %(name)s.") % {"name": connection.name})
        return redirect("sso:connections")

    confirmation = Confirmation(
        title=_("Remove %(name)s?") % {"name": connection.name},
        consequences=[
            _("Its settings and client secret are deleted, and nobody can sign in through it."),
            _("The links between people's logins and their identities at the provider are forgotten."),
            _("Work accounts are not touched."),
        ],
        action_url=reverse("sso:connection_delete", args=[connection.pk]),
        button=_("Remove"),
        cancel_url=reverse("sso:connection", args=[connection.pk]),
    )
    return confirm(request, confirmation, ActionForm, perform)
