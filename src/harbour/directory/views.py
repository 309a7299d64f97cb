"""Console pages of the directory: org chart, members, roles, the company profile and operators' companies.

Every view parses a form, asks a gate for the object (missing and forbidden both answer 404) and calls
one action. A refused action shows its message next to the field it names, with status 400, and has
changed nothing (actions are atomic). Buttons appear only when the actor may use them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.core.models import Account, Tenant
from harbour.core.pagination import keyset_page
from harbour.core.permissions import PERMISSIONS, can
from harbour.core.time import now
from harbour.directory import actions
from harbour.directory.forms import (
    ActionForm,
    ConfirmForm,
    DepartmentCreateForm,
    DepartmentMoveForm,
    DepartmentRenameForm,
    GrantForm,
    MemberFilterForm,
    MemberForm,
    ReasonForm,
    RoleForm,
    TenantCreateForm,
    TenantProfileForm,
    department_choices,
)
from harbour.directory.models import TRANSITIONS, Department, Member, MemberState, Role, RoleGrant
from harbour.directory.queries import (
    department_tree,
    get_department_for,
    get_grant_for,
    get_member_for,
    get_role_for,
    grants_visible_to,
    member_counts,
    members_visible_to,
    roles_visible_to,
    search_members,
    with_departments,
)

PAGE_SIZE = 50
INVITATION_SESSION_KEY = "harbour_invitation_links"


class ConsoleRequest(HttpRequest):
    """What the middleware stack adds to a console request (for type checking)."""

    actor: Member
    tenant: Tenant
    htmx: HtmxDetails
    user: Account


# ----------------------------------------------------------------------------------------------- helpers
def _require_some(actor: Member, code: str) -> None:
    """404 unless the actor holds ``code`` somewhere (tenant-wide or over some department)."""
    if actor.access().subtree_prefixes(code) == ():
        raise Http404


def _require_tenant_wide(actor: Member, code: str) -> None:
    if not actor.access().tenant_wide(code):
        raise Http404


def _is_partial(request: ConsoleRequest) -> bool:
    """An HTMX swap asks for a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _live_grants() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now())


@dataclass(frozen=True)
class Confirmation:
    """What a destructive action will do, shown before it is done."""

    title: str
    consequences: list[str]
    action_url: str
    button: str
    cancel_url: str


def _confirm(
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
    template = "directory/_confirm_panel.html" if _is_partial(request) else "directory/confirm.html"
    context = {"confirmation": confirmation, "form": form}
    return render(request, template, context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------- org chart
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


def _manageable(actor: Member, departments: list[Department], code: str) -> list[Department]:
    return [d for d in departments if can(actor, code, d)]


@member_required
def org_chart(request: ConsoleRequest) -> HttpResponse:
    """The department tree; managers create departments here (POST)."""
    actor = request.actor
    _require_some(actor, "department.view")
    departments = department_tree(actor)
    manageable = _manageable(actor, departments, "department.manage")
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
    manageable = _manageable(actor, departments, "department.manage")
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
    manageable = _manageable(actor, department_tree(actor), "department.manage")
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

    return _confirm(request, confirmation, ConfirmForm, perform)


# ---------------------------------------------------------------------------------------------- members
@dataclass(frozen=True)
class MemberRow:
    member: Member
    show_private: bool


@member_required
def members(request: ConsoleRequest) -> HttpResponse:
    """Search and filter the directory; HTMX swaps only the results (``_member_rows.html``)."""
    actor = request.actor
    _require_some(actor, "member.view")
    access = actor.access()
    departments = department_tree(actor)
    form = MemberFilterForm(
        request.GET,
        departments=department_choices(departments),
        show_state=access.subtree_prefixes("member.view_private") != (),
    )
    rows: list[MemberRow] = []
    next_cursor: str | None = None
    cursor = request.GET.get("cursor") or None
    if form.is_valid():
        chosen = form.cleaned_data["department"]
        department = next((d for d in departments if str(d.pk) == chosen), None) if chosen else None
        qs = search_members(
            actor,
            q=form.cleaned_data["q"],
            department=department,
            state=form.cleaned_data.get("state") or None,
            is_external=form.is_external(),
        )
        qs = with_departments(qs, actor.tenant_id)
        try:
            page = keyset_page(qs, ("name", "id"), cursor, PAGE_SIZE)
        except Invalid:  # a damaged cursor (edited by hand): start again from the first page
            cursor = None
            page = keyset_page(qs, ("name", "id"), None, PAGE_SIZE)
        rows = [MemberRow(m, can(actor, "member.view_private", m)) for m in page.items]
        next_cursor = page.next_cursor
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "is_later_page": bool(cursor),
        "show_state": "state" in form.fields,
        "may_invite": access.subtree_prefixes("member.invite") != (),
    }
    template = "directory/_member_rows.html" if _is_partial(request) else "directory/members.html"
    response = render(request, template, context, status=200 if form.is_valid() else 400)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _manager_by_email(actor: Member, email: str) -> Member | None:
    """The manager field takes a work email; it must be a member the actor can see."""
    if not email:
        return None
    pk = members_visible_to(actor).filter(email=email).values_list("pk", flat=True).first()
    if pk is None:
        raise Invalid(_("No member with this email is visible to you."), field="manager")
    return get_member_for(actor, pk)


def _manager_options(actor: Member) -> list[Member]:
    return list(
        members_visible_to(actor)
        .exclude(state=MemberState.DEACTIVATED)
        .order_by("name", "id")
        .only("name", "email")[:200]
    )


def _remember_invitation(request: ConsoleRequest, member: Member, url: str) -> None:
    """Keep a fresh invitation link until the member page shows it once."""
    links = request.session.get(INVITATION_SESSION_KEY, {})
    links[str(member.pk)] = url
    request.session[INVITATION_SESSION_KEY] = links


def _pop_invitation(request: ConsoleRequest, member: Member) -> str | None:
    links = request.session.get(INVITATION_SESSION_KEY, {})
    url = links.pop(str(member.pk), None)
    if url is not None:
        request.session[INVITATION_SESSION_KEY] = links
    return url


@member_required
def member_invite(request: ConsoleRequest) -> HttpResponse:
    actor = request.actor
    _require_some(actor, "member.invite")
    access = actor.access()
    departments = _manageable(actor, department_tree(actor), "member.invite")
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        departments=department_choices(departments),
        departments_required=not access.tenant_wide("member.invite"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            spec = actions.MemberSpec(
                email=data["email"],
                name=data["name"],
                name_zh=data["name_zh"],
                mobile=data["mobile"],
                employee_number=data["employee_number"] or None,
                title=data["title"],
                departments=[get_department_for(actor, pk, "member.invite") for pk in data["departments"]],
                manager=_manager_by_email(actor, data["manager"]),
                hire_date=data["hire_date"],
                is_external=data["is_external"],
                access_expires_at=form.access_expires_at(),
            )
            member = actions.invite_member(actor, spec)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            _remember_invitation(request, member, member.invitation_url)  # type: ignore[attr-defined]
            messages.success(request, _("Invited %(name)s.") % {"name": member.name})
            return redirect("directory:member", member.pk)
    context = {"form": form, "manager_options": _manager_options(actor), "member": None}
    return render(request, "directory/member_form.html", context, status=400 if form.errors else 200)


@member_required
def member_edit(request: ConsoleRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    member = get_member_for(actor, member_id, "member.update")
    departments = _manageable(actor, department_tree(actor), "member.update")
    offered = {d.pk for d in departments}
    departments += [m.department for m in member.memberships.all() if m.department_id not in offered]
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        initial=MemberForm.initial_for(member),
        departments=department_choices(departments),
        departments_required=False,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes: dict[str, Any] = {}
            for name in form.changed_data:
                if name == "departments":
                    changes["departments"] = [get_department_for(actor, pk) for pk in data["departments"]]
                elif name == "manager":
                    changes["manager"] = _manager_by_email(actor, data["manager"])
                elif name == "access_expires_on":
                    changes["access_expires_at"] = form.access_expires_at()
                else:
                    changes[name] = data[name]
            actions.update_member(actor, member, **changes)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the changes to %(name)s.") % {"name": member.name})
            return redirect("directory:member", member.pk)
    context = {"form": form, "manager_options": _manager_options(actor), "member": member}
    return render(request, "directory/member_form.html", context, status=400 if form.errors else 200)


def _grant_form(actor: Member, data: Any = None) -> GrantForm:
    scopes = _manageable(actor, department_tree(actor), "role.grant")
    return GrantForm(
        data,
        roles=list(roles_visible_to(actor)),
        scopes=department_choices(scopes),
        allow_tenant_wide=actor.access().tenant_wide("role.grant"),
    )


@dataclass(frozen=True)
class GrantRow:
    grant: RoleGrant
    expired: bool
    may_revoke: bool


def _state_actions(actor: Member, member: Member) -> dict[str, bool]:
    """Which state buttons to show: permitted for the actor and legal from the member's state."""
    legal = TRANSITIONS[member.state]
    is_self = member.pk == actor.pk
    may_suspend = can(actor, "member.suspend", member)
    may_deactivate = can(actor, "member.deactivate", member)
    return {
        "suspend": may_suspend and not is_self and MemberState.SUSPENDED in legal,
        "deactivate": may_deactivate and not is_self and MemberState.DEACTIVATED in legal,
        "reactivate": may_suspend
        and member.state in (MemberState.SUSPENDED, MemberState.DEACTIVATED)
        and (member.state != MemberState.DEACTIVATED or may_deactivate),
        "resend_invitation": member.state == MemberState.INVITED and can(actor, "member.invite", member),
    }


def _member_page(
    request: ConsoleRequest, member: Member, *, grant_form: GrantForm | None = None
) -> HttpResponse:
    actor = request.actor
    may_grant = can(actor, "role.grant", member)
    visible = members_visible_to(actor)
    at = now()
    grants = [
        GrantRow(g, g.expires_at is not None and g.expires_at <= at, may_grant)
        for g in grants_visible_to(actor).filter(member=member).order_by("created_at", "id")
    ]
    if may_grant and grant_form is None:
        grant_form = _grant_form(actor)
    context = {
        "member": member,
        "show_private": can(actor, "member.view_private", member),
        "may_edit": can(actor, "member.update", member),
        "state_actions": _state_actions(actor, member),
        "manager": visible.filter(pk=member.manager_id).first() if member.manager_id else None,
        "reports": list(visible.filter(manager=member).order_by("name", "id")[:PAGE_SIZE]),
        "grants": grants,
        "grant_form": grant_form if may_grant else None,
        "invitation_url": _pop_invitation(request, member),
    }
    failed = grant_form is not None and grant_form.is_bound and bool(grant_form.errors)
    return render(request, "directory/member_detail.html", context, status=400 if failed else 200)


@member_required
def member_detail(request: ConsoleRequest, member_id: uuid.UUID) -> HttpResponse:
    return _member_page(request, get_member_for(request.actor, member_id))


@require_POST
@member_required
def member_grant(request: ConsoleRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    member = get_member_for(actor, member_id, "role.grant")
    form = _grant_form(actor, request.POST)
    if form.is_valid():
        try:
            role = get_role_for(actor, form.cleaned_data["role"])
            scope_id = form.cleaned_data["scope"]
            scope = get_department_for(actor, scope_id, "role.grant") if scope_id else None
            actions.grant_role(
                actor,
                member,
                role,
                scope=scope,
                expires_at=form.expires_at(),
                reason=form.cleaned_data["reason"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("%(member)s now holds the role %(role)s.") % {"member": member.name, "role": role.name},
            )
            return redirect("directory:member", member.pk)
    return _member_page(request, member, grant_form=form)


@member_required
def grant_revoke(request: ConsoleRequest, grant_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    grant = get_grant_for(actor, grant_id)
    member = grant.member
    if not can(actor, "role.grant", member):
        raise Http404
    where = grant.scope.name if grant.scope else _("the whole company")
    confirmation = Confirmation(
        title=_("Revoke the role %(role)s from %(member)s?")
        % {"role": grant.role.name, "member": member.name},
        consequences=[
            _("%(member)s loses the permissions of %(role)s over %(where)s at once.")
            % {"member": member.name, "role": grant.role.name, "where": where},
            _("The role can be granted again later."),
        ],
        action_url=reverse("directory:grant_revoke", args=[grant.pk]),
        button=_("Revoke role"),
        cancel_url=reverse("directory:member", args=[member.pk]),
    )

    def perform(form: ActionForm) -> HttpResponse:
        actions.revoke_grant(actor, grant, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Revoked the role %(role)s from %(member)s.")
            % {"role": grant.role.name, "member": member.name},
        )
        return redirect("directory:member", member.pk)

    return _confirm(request, confirmation, ReasonForm, perform)


@dataclass(frozen=True)
class StateChange:
    permission: str
    perform: Callable[..., Member]
    title: Promise
    consequences: tuple[Promise, ...]
    button: Promise
    done: Promise


STATE_CHANGES: dict[str, StateChange] = {
    "suspend": StateChange(
        "member.suspend",
        actions.suspend_member,
        title=gettext_lazy("Suspend %(name)s?"),
        consequences=(
            gettext_lazy("%(name)s is signed out at once and can no longer sign in or use API tokens."),
            gettext_lazy("Their data, departments and roles stay; the account can be reactivated later."),
        ),
        button=gettext_lazy("Suspend account"),
        done=gettext_lazy("%(name)s is suspended."),
    ),
    "deactivate": StateChange(
        "member.deactivate",
        actions.deactivate_member,
        title=gettext_lazy("Deactivate %(name)s?"),
        consequences=(
            gettext_lazy("The work account ends: %(name)s is signed out at once and can no longer sign in."),
            gettext_lazy(
                "A pending invitation is cancelled. Their data stays, and an administrator can "
                "reactivate the account later."
            ),
        ),
        button=gettext_lazy("Deactivate account"),
        done=gettext_lazy("%(name)s is deactivated."),
    ),
}


@member_required
def member_change_state(request: ConsoleRequest, member_id: uuid.UUID, change: str) -> HttpResponse:
    """Suspend or deactivate, after a confirmation that says what happens."""
    actor = request.actor
    spec = STATE_CHANGES.get(change)
    if spec is None:
        raise Http404
    member = get_member_for(actor, member_id, spec.permission)
    names = {"name": member.name}
    confirmation = Confirmation(
        title=str(spec.title) % names,
        consequences=[str(c) % names for c in spec.consequences],
        action_url=reverse(f"directory:member_{change}", args=[member.pk]),
        button=str(spec.button),
        cancel_url=reverse("directory:member", args=[member.pk]),
    )

    def perform(form: ActionForm) -> HttpResponse:
        spec.perform(actor, member, reason=form.cleaned_data["reason"])
        messages.success(request, str(spec.done) % names)
        return redirect("directory:member", member.pk)

    return _confirm(request, confirmation, ReasonForm, perform)


@require_POST
@member_required
def member_reactivate(request: ConsoleRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    member = get_member_for(actor, member_id, "member.suspend")
    try:
        actions.reactivate_member(actor, member)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": member.name})
    return redirect("directory:member", member.pk)


@require_POST
@member_required
def member_resend_invitation(request: ConsoleRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    member = get_member_for(actor, member_id, "member.invite")
    try:
        url = actions.resend_invitation(actor, member)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        _remember_invitation(request, member, url)
        messages.success(
            request,
            _("Sent a new invitation to %(email)s; the old link no longer works.") % {"email": member.email},
        )
    return redirect("directory:member", member.pk)


# ------------------------------------------------------------------------------------------------ roles
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
    _require_tenant_wide(actor, "role.view")
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
    holders = grants_visible_to(actor).filter(role=role).filter(_live_grants())
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
    _require_tenant_wide(actor, "role.manage")
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
            messages.success(request, _("Created the role %(name)s.") % {"name": role.name})
            return redirect("directory:role", role.pk)
    return render(
        request, "directory/role_form.html", {"form": form, "role": None}, status=400 if form.errors else 200
    )


@member_required
def role_edit(request: ConsoleRequest, role_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    _require_tenant_wide(actor, "role.manage")
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
            messages.success(request, _("Saved the role %(name)s.") % {"name": role.name})
            return redirect("directory:role", role.pk)
    return render(
        request, "directory/role_form.html", {"form": form, "role": role}, status=400 if form.errors else 200
    )


@member_required
def role_delete(request: ConsoleRequest, role_id: uuid.UUID) -> HttpResponse:
    actor = request.actor
    _require_tenant_wide(actor, "role.manage")
    role = get_role_for(actor, role_id)
    if role.builtin:
        raise Http404
    confirmation = Confirmation(
        title=_("Delete the role %(name)s?") % {"name": role.name},
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
        messages.success(request, _("Deleted the role %(name)s.") % {"name": role.name})
        return redirect("directory:roles")

    return _confirm(request, confirmation, ConfirmForm, perform)


# ---------------------------------------------------------------------------------------------- company
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
