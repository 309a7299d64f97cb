"""Console pages of signed-in sessions (one's own, and a member's for administrators) and the break-glass
sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory.queries import get_member_for
from harbour.identity import login as login_actions
from harbour.identity import login_sessions
from harbour.identity.session_actions import (
    end_own_session,
    lockout_failures,
    own_sessions,
    sessions_of_member,
    sign_member_out_everywhere,
    sign_out_everywhere,
    unlock_sign_in,
)
from harbour.identity.views import _safe_next, with_browser_cookie

SHOWN = 30


@member_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    current = login_sessions.current(request)
    sessions = list(own_sessions(request.user).select_related("tenant")[:SHOWN])  # type: ignore[arg-type]
    return render(
        request,
        "identity/sessions.html",
        {"sessions": sessions, "current_id": current.pk if current else None, "member": actor, "own": True},
    )


@require_POST
@member_required
def end_my_session(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        end_own_session(request.actor, session_id)  # type: ignore[attr-defined]
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("That session is signed out."))
    return redirect("identity:sessions")


@require_POST
@member_required
def end_all_my_sessions(request: HttpRequest) -> HttpResponse:
    ended = sign_out_everywhere(request.actor)  # type: ignore[attr-defined]
    login_actions.sign_out(request)
    messages.success(request, _("Signed out everywhere (%(n)d sessions).") % {"n": ended})
    return redirect("identity:login")


@member_required
def member_sessions(request: HttpRequest, member_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    member = get_member_for(actor, member_id, "session.manage")
    if not can(actor, "session.manage", member):
        raise Http404
    sessions = list(sessions_of_member(actor, member).select_related("tenant")[:SHOWN])
    context = {
        "sessions": sessions,
        "member": member,
        "own": False,
        "failures": lockout_failures(member),
        "current_id": None,
    }
    return render(request, "identity/sessions.html", context)


@require_POST
@member_required
def end_member_sessions(request: HttpRequest, member_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    member = get_member_for(actor, member_id, "session.manage")
    ended = sign_member_out_everywhere(actor, member, reason=request.POST.get("reason", "")[:300])
    messages.success(
        request, _("%(name)s is signed out everywhere (%(n)d sessions).") % {"name": member.name, "n": ended}
    )
    return redirect("identity:member_sessions", member_id=member.pk)


@require_POST
@member_required
def unlock_member(request: HttpRequest, member_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    member = get_member_for(actor, member_id, "session.manage")
    unlock_sign_in(actor, member)
    messages.success(request, _("%(name)s may try signing in again.") % {"name": member.name})
    return redirect("identity:member_sessions", member_id=member.pk)


def break_glass_page(request: HttpRequest) -> HttpResponse:
    """The one password way into a company that signs people in only through its identity provider: for its
    designated break-glass administrator, with an authenticator code, logged and raised as an incident."""
    errors: dict[str, str] = {}
    email = ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            target = login_actions.sign_in(
                request,
                email,
                request.POST.get("password", ""),
                break_glass=True,
                next_url=_safe_next(request),
            )
        except HarbourError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            return with_browser_cookie(request, redirect(target))
    response = render(
        request,
        "identity/break_glass.html",
        {"errors": errors, "email": email, "next": _safe_next(request)},
        status=400 if errors else 200,
    )
    return with_browser_cookie(request, response)
