"""Console pages of the TOTP second factor: one's own Sign-in security page, and the sign-in steps that
ask for a code (or set an authenticator up when the company requires one and the person has none)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import Conflict, HarbourError, Invalid
from harbour.directory.models import Member
from harbour.directory.queries import get_member_for
from harbour.directory.views.base import ConsoleRequest
from harbour.identity import login, login_sessions, policy, throttle, totp
from harbour.identity.devices import live_devices

ENROLMENT_SESSION_KEY = "harbour_totp_enrolment"


# ------------------------------------------------------------------------------ own security page
def _security_context(actor: Member, **extra: object) -> dict[str, object]:
    authenticator = totp.authenticator_of(actor.account)
    pending_setup = authenticator if authenticator is not None and not authenticator.is_confirmed else None
    context: dict[str, object] = {
        "authenticator": authenticator if authenticator is not None and authenticator.is_confirmed else None,
        "pending_setup": pending_setup,
        "qr_code": totp.qr_code_data_uri(pending_setup) if pending_setup else None,
        "secret": totp.grouped_secret(pending_setup) if pending_setup else None,
        "codes_left": totp.recovery_codes_left(authenticator),
        "required_by": totp.mfa_required_of(actor.account) if actor.account else None,
        "devices": list(live_devices(actor)),
        "errors": {},
        "recovery_codes": None,
    }
    context.update(extra)
    return context


def _render_security(request: ConsoleRequest, status: int = 200, **extra: object) -> HttpResponse:
    return render(request, "identity/security.html", _security_context(request.actor, **extra), status=status)


@member_required
def security_page(request: ConsoleRequest) -> HttpResponse:
    return _render_security(request)


@require_POST
@member_required
def totp_setup(request: ConsoleRequest) -> HttpResponse:
    try:
        totp.start_totp_setup(request.actor)
    except HarbourError as exc:
        return _render_security(request, 409, errors={"setup": exc.message})
    return redirect("identity:security")


@require_POST
@member_required
def totp_confirm(request: ConsoleRequest) -> HttpResponse:
    try:
        codes = totp.confirm_totp(request.actor, request.POST.get("code", ""))
    except Conflict as exc:  # nothing to confirm, or nothing set up: the page shows where things stand
        messages.error(request, exc.message)
        return redirect("identity:security")
    except HarbourError as exc:
        return _render_security(request, 400, errors={"code": exc.message})
    messages.success(request, _("Your authenticator app is set up: sign-ins now ask for its code."))
    return _render_security(request, recovery_codes=codes)


def _with_current_code(
    request: ConsoleRequest, action: Callable[[Member, str], object], error_key: str
) -> HttpResponse | object:
    """Run an action that needs a current code from the app; wrong codes count towards the sign-in
    lockout, so a borrowed session cannot guess its way to switching the second factor off."""
    actor = request.actor
    email = actor.account.email if actor.account else actor.email
    ip = login_sessions.client_ip(request)
    if throttle.is_locked(email, ip):
        return _render_security(request, 400, errors={error_key: login.lockout_message()})
    try:
        return action(actor, request.POST.get("code", ""))
    except Conflict as exc:  # nothing set up: the page shows where things stand
        messages.error(request, exc.message)
        return redirect("identity:security")
    except Invalid as exc:
        throttle.note_failure(email, ip)
        return _render_security(request, 400, errors={error_key: exc.message})
    except HarbourError as exc:
        return _render_security(request, 400, errors={error_key: exc.message})


@require_POST
@member_required
def totp_recovery_codes(request: ConsoleRequest) -> HttpResponse:
    result = _with_current_code(request, totp.regenerate_recovery_codes, "regenerate")
    if isinstance(result, HttpResponse):
        return result
    return _render_security(request, recovery_codes=result)


@require_POST
@member_required
def totp_disable(request: ConsoleRequest) -> HttpResponse:
    result = _with_current_code(request, totp.disable_totp, "disable")
    if isinstance(result, HttpResponse):
        return result
    messages.success(request, _("Your authenticator app is switched off."))
    return redirect("identity:security")


@require_POST
@member_required
def member_totp_reset(request: ConsoleRequest, member_id: str) -> HttpResponse:
    member = get_member_for(request.actor, member_id, "security.manage")
    if totp.reset_totp(request.actor, member, reason=request.POST.get("reason", "")):
        messages.success(
            request, _("%(name)s's authenticator was removed; they set up a new one.") % {"name": member.name}
        )
    else:
        messages.info(request, _("%(name)s has no authenticator.") % {"name": member.name})
    return redirect("identity:member_devices", member_id=member.pk)


# ------------------------------------------------------------------------------------ sign-in steps
def pending_or_restart(request: HttpRequest) -> tuple[login.Pending, Member] | None:
    pending = login.pending_sign_in(request)
    member = login.pending_member(pending) if pending is not None else None
    if pending is None or member is None:
        messages.info(request, _("The sign-in took too long or was interrupted; please sign in again."))
        return None
    return pending, member


def login_totp(request: HttpRequest) -> HttpResponse:
    found = pending_or_restart(request)
    if found is None:
        return redirect("identity:login")
    _pending, member = found
    authenticator = totp.confirmed_authenticator(member.account)
    if authenticator is None:
        return redirect(login.next_step(request))
    error = ""
    if request.method == "POST":
        if login.step_locked(request, member):
            request.session.pop(login.PENDING_KEY, None)
            messages.error(request, login.lockout_message())
            return redirect("identity:login")
        kind = totp.check_code(authenticator, request.POST.get("code", ""), allow_recovery=True)
        if kind is None:
            login.note_step_failure(request, member, "totp")
            error = _("that code is not right (or was already used); enter the current code from your app")
        else:
            totp.record_sign_in_code(member, kind)
            if kind == "recovery":
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(n)d are left. "
                        "Make new ones on Sign-in security."
                    )
                    % {"n": totp.recovery_codes_left(authenticator)},
                )
            try:
                return redirect(login.satisfy(request, policy.FACTOR_TOTP))
            except HarbourError as exc:
                messages.error(request, exc.message)
                return redirect("identity:login")
    return render(request, "identity/login_totp.html", {"error": error}, status=400 if error else 200)


def login_totp_enrol(request: HttpRequest) -> HttpResponse:
    found = pending_or_restart(request)
    if found is None:
        return redirect("identity:login")
    _pending, member = found
    if totp.confirmed_authenticator(member.account) is not None:
        return redirect(login.next_step(request))
    error = ""
    authenticator = totp.authenticator_of(member.account)
    started_here = authenticator is not None and request.session.get(ENROLMENT_SESSION_KEY) == str(
        authenticator.pk
    )
    if request.method == "POST" and authenticator is not None and started_here:
        if login.step_locked(request, member):
            request.session.pop(login.PENDING_KEY, None)
            messages.error(request, login.lockout_message())
            return redirect("identity:login")
        try:
            codes = totp.confirm_totp(member, request.POST.get("code", ""))
        except HarbourError as exc:
            error = exc.message
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            try:
                target = login.satisfy(request, policy.FACTOR_TOTP_ENROLMENT)
            except HarbourError as exc:
                messages.error(request, exc.message)
                return redirect("identity:login")
            return render(request, "identity/login_recovery_codes.html", {"codes": codes, "next": target})
    if authenticator is None or not started_here:
        authenticator = totp.start_totp_setup(member)  # a fresh secret for every new sign-in
        request.session[ENROLMENT_SESSION_KEY] = str(authenticator.pk)
    context = {
        "company": member.tenant.display_name,
        "qr_code": totp.qr_code_data_uri(authenticator),
        "secret": totp.grouped_secret(authenticator),
        "error": error,
    }
    return render(request, "identity/login_totp_enrol.html", context, status=400 if error else 200)
