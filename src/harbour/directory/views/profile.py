"""The member's own profile page: self-service for names and mobile number."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.directory import actions
from harbour.directory.forms import ProfileForm
from harbour.directory.queries import active_grants, get_member_for
from harbour.directory.views.base import ConsoleRequest


@member_required
def my_profile(request: ConsoleRequest) -> HttpResponse:
    actor = request.actor
    me = get_member_for(actor, actor.pk)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=ProfileForm.initial_for(me)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_own_profile(actor, me, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
            me.refresh_from_db()
        else:
            messages.success(request, _("Saved your profile."))
            return redirect("directory:my_profile")
    context = {"me": me, "form": form, "grants": list(active_grants(me))}
    return render(request, "directory/profile.html", context, status=400 if form.errors else 200)
