"""Console pages of the organisation chart: the department tree and each department's page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.permissions import can
from harbour.directory import actions
from harbour.directory.forms import (
    ActionForm,
    ConfirmForm,
    DepartmentCreateForm,
    DepartmentMoveForm,
    DepartmentRenameForm,
    department_choices,
)
from harbour.directory.models import Department, Member
from harbour.directory.queries import (
    department_tree,
    get_department_for,
    member_counts,
)
from harbour.directory.views.base import (
    Confirmation,
    ConsoleRequest,
    confirm,
    permitted_departments,
    require_some,
)


@dataclass
class DepartmentNode:
    department: Department
    members: int
    can_manage: bool
    can_reorder: bool = False
    index: int = 0  # 0-based among its siblings
    is_last: bool = True
    children: list[DepartmentNode] = field(default_factory=list)

    @property
    def up_position(self) -> int:  # 1-based positions, as the move form takes them
        return self.index

    @property
    def down_position(self) -> int:
        return self.index + 2


def _org_tree(
    actor: Member, departments: list[Department], counts: dict[uuid.UUID, int]
) -> list[DepartmentNode]:
    top_level_manager = actor.access().tenant_wide("department.manage")
    nodes = {
        d.pk: DepartmentNode(d, counts.get(d.pk, 0), can(actor, "department.manage", d)) for d in departments
    }
    roots: list[DepartmentNode] = []
    for d in departments:  # tree order: parents come before their children
        node, parent = nodes[d.pk], nodes.get(d.parent_id) if d.parent_id else None
        siblings = parent.children if parent else roots
        node.index = len(siblings)
        if d.parent_id is None:
            node.can_reorder = top_level_manager
        else:
            node.can_reorder = parent is not None and parent.can_manage
        if siblings:
            siblings[-1].is_last = False
        siblings.append(node)
    return roots


@member_required
def org_chart(request: ConsoleRequest) -> HttpResponse:
    """The department tree; managers create departments here (POST)."""
    actor = request.actor
    require_some(actor, "department.view")
    departments = department_tree(actor)
    manageable = permitted_departments(actor, departments, "department.manage")
    top_level = actor.access().tenant_wide("department.manage")
    form: DepartmentCreateForm | None = None
    if manageable or top_level:
        form = DepartmentCreateForm(
            request.POST if request.method == "POST" else None,
            parents=department_choices(manageable),
            allow_top_level=top_level,
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                parent_id = form.cleaned_data["parent"]
                parent = get_department_for(actor, parent_id, "department.manage") if parent_id else None
                department = actions.create_department(
                    actor, name=form.cleaned_data["name"], name_zh=form.cleaned_data["name_zh"], parent=parent
                )
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Created the department %(name)s.") % {"name": department.name})
                return redirect("directory:org_chart")
    context = {
        "tree": _org_tree(actor, departments, member_counts(actor)),
        "form": form,
        "department_count": len(departments),
    }
    return render(request, "directory/org_chart.html", context, status=400 if form and form.errors else 200)


def _department_page(
    request: ConsoleRequest,
    department: Department,
    *,
    rename_form: DepartmentRenameForm | None = None,
    move_form: DepartmentMoveForm | None = None,
) -> HttpResponse:
    actor = request.actor
    departments = department_tree(actor)
    manageable = permitted_departments(actor, departments, "department.manage")
    by_id = {d.pk: d for d in departments}
    trail: list[Department] = []
    cursor = by_id.get(department.parent_id) if department.parent_id else None
    while cursor is not None:
        trail.insert(0, cursor)
        cursor = by_id.get(cursor.parent_id) if cursor.parent_id else None
    rename_form = rename_form or DepartmentRenameForm(
        initial={"name": department.name, "name_zh": department.name_zh}
    )
    move_form = move_form or DepartmentMoveForm(
        initial={"parent": str(department.parent_id or "")},
        parents=department_choices(manageable),
        allow_top_level=actor.access().tenant_wide("department.manage"),
    )
    parent = by_id.get(department.parent_id) if department.parent_id else None
    top_level = actor.access().tenant_wide("department.manage")
    context = {
        "department": department,
        "trail": trail,
        # deleting (like reordering) also needs the right over the parent, or over the top level
        "may_delete": top_level
        if department.parent_id is None
        else parent is not None and can(actor, "department.manage", parent),
        "member_count": member_counts(actor).get(department.pk, 0),
        "child_count": sum(1 for d in departments if d.parent_id == department.pk),
        "rename_form": rename_form,
        "move_form": move_form,
    }
    failed = (rename_form.is_bound and rename_form.errors) or (move_form.is_bound and move_form.errors)
    return render(request, "directory/department.html", context, status=400 if failed else 200)


@member_required
def department_detail(request: ConsoleRequest, department_id: uuid.UUID) -> HttpResponse:
    department = get_department_for(request.actor, department_id, "department.manage")
    return _department_page(request, department)


@require_POST
@member_required
def department_rename(request: ConsoleRequest, department_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    department = get_department_for(actor, department_id, "department.manage")
    form = DepartmentRenameForm(request.POST)
    if form.is_valid():
        try:
            actions.rename_department(
                actor, department, name=form.cleaned_data["name"], name_zh=form.cleaned_data["name_zh"]
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Renamed the department to %(name)s.") % {"name": department.name})
            return redirect("directory:org_chart")
    department.refresh_from_db()  # show the stored name, not the refused one
    return _department_page(request, department, rename_form=form)


@require_POST
@member_required
def department_move(request: ConsoleRequest, department_id: uuid.UUID) -> HttpResponse:
    """Move under a new parent, or (same parent, new position) reorder among siblings."""
    actor = request.actor
    department = get_department_for(actor, department_id, "department.manage")
    manageable = permitted_departments(actor, department_tree(actor), "department.manage")
    form = DepartmentMoveForm(
        request.POST,
        parents=department_choices(manageable),
        allow_top_level=actor.access().tenant_wide("department.manage"),
    )
    if form.is_valid():
        try:
            parent_id = form.cleaned_data["parent"]
            parent = get_department_for(actor, parent_id, "department.manage") if parent_id else None
            actions.move_department(actor, department, parent=parent, position=form.zero_based_position())
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Moved the department %(name)s.") % {"name": department.name})
            return redirect("directory:org_chart")
    department.refresh_from_db()
    return _department_page(request, department, move_form=form)


@member_required
def department_delete(request: ConsoleRequest, department_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    department = get_department_for(actor, department_id, "department.manage")
    confirmation = Confirmation(
        title=_("Delete the department %(name)s?") % {"name": department.name},
        consequences=[
            _("The department disappears from the organisation chart. This cannot be undone."),
            _(
                "Only an empty department can be deleted: it must have no sub-departments, no members "
                "and no roles granted over it."
            ),
        ],
        action_url=reverse("directory:department_delete", args=[department.pk]),
        button=_("Delete department"),
        cancel_url=reverse("directory:org_chart"),
    )

    def perform(form: ActionForm) -> HttpResponse:
        actions.delete_department(actor, department)
        messages.success(request, _("Deleted the department %(name)s.") % {"name": department.name})
        return redirect("directory:org_chart")

    return confirm(request, confirmation, ConfirmForm, perform)
