"""Console pages of roles: built-in and custom roles, their permissions and holders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.core.pagination import keyset_page
from harbour.core.permissions import PERMISSIONS
from harbour.core.time import now
from harbour.directory import actions
from harbour.directory.forms import (
    ActionForm,
    ConfirmForm,
    RoleForm,
)
from harbour.directory.models import Role
from harbour.directory.queries import (
    get_role_for,
    grants_visible_to,
    roles_visible_to,
)
from harbour.directory.views.base import (
    PAGE_SIZE,
    Confirmation,
    ConsoleRequest,
    confirm,
    live_grants,
    require_tenant_wide,
)


@dataclass(frozen=True)
class PermissionLine:
    code: str
    description: str | Promise
    own_only: bool


def _permission_lines(role: Role) -> list[PermissionLine]:
    lines = []
    for code in role.permissions:
        bare = code.removeprefix("own:")
        lines.append(PermissionLine(bare, PERMISSIONS.get(bare, bare), code.startswith("own:")))
    return sorted(lines, key=lambda line: (line.own_only, line.code))


@member_required
def roles(request: ConsoleRequest) -> HttpResponse:
    actor = request.actor
    require_tenant_wide(actor, "role.view")
    live = Q(grants__expires_at__isnull=True) | Q(grants__expires_at__gt=now())
    rows = roles_visible_to(actor).annotate(holders=Count("grants__member", filter=live, distinct=True))
    ordered = sorted(rows, key=lambda r: (not r.builtin, r.name.lower()))
    context = {
        "roles": [(r, _permission_lines(r)) for r in ordered],
        "may_manage": actor.access().tenant_wide("role.manage"),
    }
    return render(request, "directory/roles.html", context)


@member_required
def role_detail(request: ConsoleRequest, role_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    role = get_role_for(actor, role_id)
    holders = grants_visible_to(actor).filter(role=role).filter(live_grants())
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(holders, ("created_at", "id"), cursor, PAGE_SIZE)
    except Invalid:
        cursor, page = None, keyset_page(holders, ("created_at", "id"), None, PAGE_SIZE)
    context = {
        "role": role,
        "permissions": _permission_lines(role),
        "grants": page.items,
        "next_cursor": page.next_cursor,
        "is_later_page": bool(cursor),
        "may_manage": actor.access().tenant_wide("role.manage"),
    }
    return render(request, "directory/role_detail.html", context)


@member_required
def role_create(request: ConsoleRequest) -> HttpResponse:
    actor = request.actor
    require_tenant_wide(actor, "role.manage")
    form = RoleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = actions.create_role(
                actor,
                name=data["name"],
                description=data["description"],
                permissions=data["permissions"],
                requires_scope=data["requires_scope"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Created the role %(name)s.") % {"name": role.display_name})
            return redirect("directory:role", role.pk)
    return render(
        request, "directory/role_form.html", {"form": form, "role": None}, status=400 if form.errors else 200
    )


@member_required
def role_edit(request: ConsoleRequest, role_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    require_tenant_wide(actor, "role.manage")
    role = get_role_for(actor, role_id)
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        initial=RoleForm.initial_for(role),
        builtin=bool(role.builtin),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if role.builtin:
                actions.update_role(actor, role, description=data["description"])
            else:
                actions.update_role(
                    actor,
                    role,
                    name=data["name"],
                    description=data["description"],
                    permissions=data["permissions"],
                    requires_scope=data["requires_scope"],
                )
        except HarbourError as exc:
            form.add_domain_error(exc)
            role.refresh_from_db()
        else:
            messages.success(request, _("Saved the role %(name)s.") % {"name": role.display_name})
            return redirect("directory:role", role.pk)
    return render(
        request, "directory/role_form.html", {"form": form, "role": role}, status=400 if form.errors else 200
    )


@member_required
def role_delete(request: ConsoleRequest, role_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    require_tenant_wide(actor, "role.manage")
    role = get_role_for(actor, role_id)
    if role.builtin:
        raise Http404
    confirmation = Confirmation(
        title=_("Delete the role %(name)s?") % {"name": role.display_name},
        consequences=[
            _("The role and its list of permissions are removed. This cannot be undone."),
            _("Only a role nobody holds can be deleted: revoke its grants first."),
        ],
        action_url=reverse("directory:role_delete", args=[role.pk]),
        button=_("Delete role"),
        cancel_url=reverse("directory:role", args=[role.pk]),
    )

    def perform(form: ActionForm) -> HttpResponse:
        actions.delete_role(actor, role)
        messages.success(request, _("Deleted the role %(name)s.") % {"name": role.display_name})
        return redirect("directory:roles")

    return confirm(request, confirmation, ConfirmForm, perform)
