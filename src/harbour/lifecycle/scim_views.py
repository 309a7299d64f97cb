"""Console page "SCIM provisioning": the company's SCIM tokens (mint — shown once with the address to give
the identity provider —, revoke) and the latest changes SCIM made."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import Actor, can
from harbour.lifecycle.models import SyncRun
from harbour.lifecycle.queries import runs_for
from harbour.lifecycle.scim.tokens import (
    DEFAULT_NAME,
    get_scim_token_for,
    mint_scim_token,
    revoke_scim_token,
    scim_base_url,
    scim_tokens_of,
)

MINTED_KEY = "scim_token_minted"
RUNS_SHOWN = 20


def _actor(request: HttpRequest, permission: str) -> Actor:
    actor, tenant = request.actor, request.tenant  # type: ignore[attr-defined]
    if not can(actor, permission, tenant):
        raise Http404
    return actor


@member_required
def scim_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "lifecycle.view")
    may_manage = can(actor, "lifecycle.manage", request.tenant)  # type: ignore[attr-defined]
    error = ""
    if request.method == "POST":
        if not may_manage:
            raise Http404
        try:
            token, text = mint_scim_token(actor, name=request.POST.get("name", "").strip() or DEFAULT_NAME)
        except HarbourError as exc:
            error = exc.message
        else:
            request.session[MINTED_KEY] = {"name": token.name, "token": text}
            return redirect("lifecycle:scim")
    context = {
        "tokens": list(scim_tokens_of(actor)[:100]),
        "minted": request.session.pop(MINTED_KEY, None),
        "base_url": scim_base_url(),
        "may_manage": may_manage,
        "error": error,
        "default_name": DEFAULT_NAME,
        "runs": list(runs_for(actor).filter(source=SyncRun.Source.SCIM)[:RUNS_SHOWN]),
    }
    return render(request, "lifecycle/scim.html", context, status=400 if error else 200)


@require_POST
@member_required
def scim_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    actor = _actor(request, "lifecycle.manage")
    token = get_scim_token_for(actor, token_id)
    revoke_scim_token(actor, token)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("lifecycle:scim")
