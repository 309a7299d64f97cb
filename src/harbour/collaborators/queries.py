"""Reads of temporary collaborators: what an actor may see, the one gate per object, who approves."""

from __future__ import annotations

import uuid
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from harbour.collaborators.models import (
    CollaboratorExtension,
    CollaboratorRequest,
    ExtensionState,
    RequestState,
)
from harbour.collaborators.permission_codes import APPROVE, REQUEST
from harbour.core.errors import Forbidden, NotFound
from harbour.core.permissions import Actor, can
from harbour.core.time import now
from harbour.directory.models import Department, Member, MemberState, Role, RoleGrant


def may_request_somewhere(actor: Actor) -> bool:
    return actor.access().subtree_prefixes(REQUEST) != ()


def may_approve_somewhere(actor: Actor) -> bool:
    return actor.access().subtree_prefixes(APPROVE) != ()


def require_any_access(actor: Actor) -> None:
    """The collaborator lists are refused (403) to whoever may neither sponsor nor approve anywhere."""
    if not (may_request_somewhere(actor) or may_approve_somewhere(actor)):
        raise Forbidden(_("you do not have the permission %(action)r") % {"action": REQUEST})


def _with_related(qs: QuerySet[CollaboratorRequest], tenant_id: uuid.UUID) -> QuerySet[CollaboratorRequest]:
    extensions = (
        CollaboratorExtension.objects.for_tenant(tenant_id)
        .select_related("requested_by", "decided_by")
        .order_by("created_at")
    )
    return qs.select_related("department", "sponsor", "member", "decided_by", "ended_by").prefetch_related(
        Prefetch("extensions", queryset=extensions)
    )


def requests_visible_to(actor: Actor) -> QuerySet[CollaboratorRequest]:
    """The requests the actor sponsored, and those of the departments where they approve (all of them with a
    company-wide approval right)."""
    qs = CollaboratorRequest.objects.for_tenant(actor.tenant_id)
    prefixes = actor.access().subtree_prefixes(APPROVE)
    if prefixes is None:
        return _with_related(qs, actor.tenant_id)
    visible = Q(pk__in=[])
    if actor.actor_id is not None:
        visible |= Q(sponsor_id=actor.actor_id)
    if prefixes:
        visible |= reduce(or_, (Q(department__path__startswith=p) for p in prefixes))
    return _with_related(qs.filter(visible), actor.tenant_id)


def get_request_for(actor: Actor, request_id: uuid.UUID | str) -> CollaboratorRequest:
    try:
        return requests_visible_to(actor).get(pk=request_id)
    except (CollaboratorRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such collaborator request"), field="request_id") from None


def get_extension_for(
    actor: Actor, request: CollaboratorRequest, extension_id: uuid.UUID | str
) -> CollaboratorExtension:
    """An extension of a request the actor already reached through ``get_request_for``."""
    try:
        extension = (
            CollaboratorExtension.objects.for_tenant(actor.tenant_id)
            .select_related("requested_by")
            .get(pk=extension_id, request=request)
        )
    except (CollaboratorExtension.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such extension"), field="extension_id") from None
    extension.request = request
    return extension


def waiting_for(actor: Actor) -> list[CollaboratorRequest]:
    """Requests and extensions the actor may decide now: in their approval scope, not their own."""
    if not may_approve_somewhere(actor):
        return []
    open_extension = CollaboratorExtension.objects.for_tenant(actor.tenant_id).filter(
        state=ExtensionState.REQUESTED
    )
    qs = requests_visible_to(actor).filter(
        Q(state=RequestState.REQUESTED)
        | Q(state=RequestState.APPROVED, pk__in=open_extension.values("request_id"))
    )
    found = []
    for request in qs.order_by("created_at"):
        if request.sponsor_id == actor.actor_id or not can(actor, APPROVE, request):
            continue
        pending = pending_extension(request)
        if request.state == RequestState.APPROVED and (
            pending is None or pending.requested_by_id == actor.actor_id
        ):
            continue
        found.append(request)
    return found


def pending_extension(request: CollaboratorRequest) -> CollaboratorExtension | None:
    """The extension waiting for a decision, if any (read from the prefetched extensions)."""
    return next((e for e in request.extensions.all() if e.state == ExtensionState.REQUESTED), None)


def approvers_of(tenant_id: uuid.UUID, department: Department | None) -> list[Member]:
    """Active members who may approve a request for ``department`` (company-wide approvers for a request
    without one): holders of a live grant of a role with ``collaborator.approve`` whose scope covers it."""
    roles = {
        r.pk: r
        for r in Role.objects.for_tenant(tenant_id).only("permissions", "requires_scope")
        if APPROVE in r.permissions
    }
    if not roles:
        return []
    grants = (
        RoleGrant.objects.for_tenant(tenant_id)
        .filter(role_id__in=list(roles))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
        .select_related("scope")
    )
    member_ids = set()
    for grant in grants:
        if grant.scope is None:
            if not roles[grant.role_id].requires_scope:
                member_ids.add(grant.member_id)
        elif department is not None and department.path.startswith(grant.scope.path):
            member_ids.add(grant.member_id)
    members = Member.objects.for_tenant(tenant_id).filter(pk__in=member_ids, state=MemberState.ACTIVE)
    return [m for m in members.order_by("name") if m.can_sign_in]
