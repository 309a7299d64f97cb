"""Shared plumbing of the directory console pages: the request type, page size, permission guards and
the confirm-before-destroying pattern."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from harbour.core.errors import HarbourError
from harbour.core.models import Account, Tenant
from harbour.core.permissions import can
from harbour.core.time import now
from harbour.directory.forms import (
    ActionForm,
)
from harbour.directory.models import Department, Member

PAGE_SIZE = 50
INVITATION_SESSION_KEY = "harbour_invitation_links"


class ConsoleRequest(HttpRequest):
    """What the middleware stack adds to a console request (for type checking)."""

    actor: Member
    tenant: Tenant
    htmx: HtmxDetails
    user: Account


# ----------------------------------------------------------------------------------------------- helpers
def require_some(actor: Member, code: str) -> None:
    """404 unless the actor holds ``code`` somewhere (tenant-wide or over some department)."""
    if actor.access().subtree_prefixes(code) == ():
        raise Http404


def require_tenant_wide(actor: Member, code: str) -> None:
    if not actor.access().tenant_wide(code):
        raise Http404


def permitted_departments(actor: Member, departments: list[Department], code: str) -> list[Department]:
    """The departments among ``departments`` on which the actor may do ``code``."""
    return [d for d in departments if can(actor, code, d)]


def is_partial(request: ConsoleRequest) -> bool:
    """An HTMX swap asks for a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def live_grants() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now())


@dataclass(frozen=True)
class Confirmation:
    """What a destructive action will do, shown before it is done."""

    title: str
    consequences: list[str]
    action_url: str
    button: str
    cancel_url: str


def confirm(
    request: ConsoleRequest,
    confirmation: Confirmation,
    form_class: type[ActionForm],
    perform: Callable[[ActionForm], HttpResponse],
) -> HttpResponse:
    """GET shows the confirmation (a panel for HTMX); POST performs; a refusal re-shows it with the reason."""
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            return perform(form)
        except HarbourError as exc:
            form.add_domain_error(exc)
    template = "directory/_confirm_panel.html" if is_partial(request) else "directory/confirm.html"
    context = {"confirmation": confirmation, "form": form}
    return render(request, template, context, status=400 if form.errors else 200)
