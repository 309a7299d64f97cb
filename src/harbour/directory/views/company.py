"""Console pages of the company profile and, for platform operators, the companies they run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.models import Tenant
from harbour.core.permissions import can
from harbour.directory import actions
from harbour.directory.forms import (
    TenantCreateForm,
    TenantProfileForm,
)
from harbour.directory.views.base import (
    PAGE_SIZE,
    ConsoleRequest,
)


@member_required
def company(request: ConsoleRequest) -> HttpResponse:
    actor, tenant = request.actor, request.tenant
    if not can(actor, "tenant.view", tenant):
        raise Http404
    context = {"tenant": tenant, "may_edit": can(actor, "tenant.update", tenant)}
    return render(request, "directory/company.html", context)


@member_required
def company_edit(request: ConsoleRequest) -> HttpResponse:
    actor, tenant = request.actor, request.tenant
    if not can(actor, "tenant.update", tenant):
        raise Http404
    form = TenantProfileForm(
        request.POST if request.method == "POST" else None, initial=TenantProfileForm.initial_for(tenant)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_tenant(actor, tenant, **form.profile())
        except HarbourError as exc:
            form.add_domain_error(exc)
            tenant.refresh_from_db()
        else:
            messages.success(request, _("Saved the company profile."))
            return redirect("directory:company")
    return render(request, "directory/company_form.html", {"form": form}, status=400 if form.errors else 200)


def tenants(request: ConsoleRequest) -> HttpResponse:
    """Platform operators: the companies they run, and creating another one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_operator:
        raise Http404
    form = TenantCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant = actions.create_tenant(request.user, slug=form.cleaned_data["slug"], **form.profile())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Created %(company)s. You are its administrator.") % {"company": tenant.display_name},
            )
            return redirect(f"{reverse('directory:tenants')}?created={tenant.pk}")
    operated = Tenant.objects.filter(operator=request.user).order_by("display_name", "id")
    page = Paginator(operated, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "created": request.GET.get("created", "")}
    return render(request, "directory/tenants.html", context, status=400 if form.errors else 200)
