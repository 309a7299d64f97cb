"""Console pages of members: the list, invitations, editing, the member page, grants and state changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.core.pagination import keyset_page
from harbour.core.permissions import can
from harbour.core.time import now
from harbour.directory import actions
from harbour.directory.forms import (
    ActionForm,
    GrantForm,
    MemberFilterForm,
    MemberForm,
    ReasonForm,
    department_choices,
)
from harbour.directory.models import TRANSITIONS, Member, MemberState, RoleGrant
from harbour.directory.queries import (
    attach_places,
    department_tree,
    get_department_for,
    get_grant_for,
    get_member_for,
    get_role_for,
    grants_visible_to,
    members_visible_to,
    roles_visible_to,
    search_members,
)
from harbour.directory.views.base import (
    INVITATION_SESSION_KEY,
    PAGE_SIZE,
    Confirmation,
    ConsoleRequest,
    confirm,
    is_partial,
    permitted_departments,
    require_some,
)


@dataclass(frozen=True)
class MemberRow:
    member: Member
    show_private: bool


@member_required
def members(request: ConsoleRequest) -> HttpResponse:
    """Search and filter the directory; HTMX swaps only the results (``_member_rows.html``)."""
    actor = request.actor
    require_some(actor, "member.view")
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
        try:
            page = keyset_page(qs, ("name", "id"), cursor, PAGE_SIZE)
        except Invalid:  # a damaged cursor (edited by hand): start again from the first page
            cursor = None
            page = keyset_page(qs, ("name", "id"), None, PAGE_SIZE)
        attach_places(page.items, actor.tenant_id, page.query)
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
    template = "directory/_member_rows.html" if is_partial(request) else "directory/members.html"
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
    require_some(actor, "member.invite")
    access = actor.access()
    departments = permitted_departments(actor, department_tree(actor), "member.invite")
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
    departments = permitted_departments(actor, department_tree(actor), "member.update")
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
    scopes = permitted_departments(actor, department_tree(actor), "role.grant")
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
                _("%(member)s now holds the role %(role)s.")
                % {"member": member.name, "role": role.display_name},
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
        % {"role": grant.role.display_name, "member": member.name},
        consequences=[
            _("%(member)s loses the permissions of %(role)s over %(where)s at once.")
            % {"member": member.name, "role": grant.role.display_name, "where": where},
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
            % {"role": grant.role.display_name, "member": member.name},
        )
        return redirect("directory:member", member.pk)

    return confirm(request, confirmation, ReasonForm, perform)


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

    return confirm(request, confirmation, ReasonForm, perform)


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
