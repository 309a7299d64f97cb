"""Console page where a member reports their own account as compromised."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.directory.forms import ActionForm
from harbour.directory.views.base import ConsoleRequest
from harbour.identity.self_report import report_compromise


class SelfReportForm(ActionForm):
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
        help_text=gettext_lazy(
            "For example: you typed your password into a page that was not Harbour, or you see sign-ins you "
            "did not make."
        ),
    )


@member_required
def report_compromise_page(request: ConsoleRequest) -> HttpResponse:
    form = SelfReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = report_compromise(
                request.actor, description=form.cleaned_data["description"], request=request
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _(
                    "Reported as %(reference)s. Your other sessions (%(n)d) were signed out; change your "
                    "password now."
                )
                % {"reference": done.incident.reference, "n": done.sessions_ended},
            )
            return redirect("console:dashboard")
    return render(request, "identity/self_report.html", {"form": form}, status=400 if form.errors else 200)
