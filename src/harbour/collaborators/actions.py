"""Writes of temporary collaborators: ask, decide, extend, end early (and, from the jobs, expire and remind).

A sponsor asks for an external person's access for a purpose and a number of days (7 by default, never more
than the company's longest term). An approver of the request's department — a holder of
``collaborator.approve`` over it, never the sponsor — decides. Approving invites the external account with
its end (``access_expires_at``); an extension sets a new end, capped at the longest term counted from the
moment it is approved; at the end, or earlier when ended by the sponsor or an approver, the account is
suspended (an invitation never accepted is withdrawn and the account deactivated) and signed out everywhere.

The account changes that follow from a decision (the invitation, a new end, the suspension) are made by the
workflow itself, as the system acting on the decision (actor "temporary collaborators"): a sponsor who may not
suspend members can still end their own collaborator's access. The operation log keeps both: the decision by
the person, the account change by the workflow.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.collaborators import notifications
from harbour.collaborators.models import (
    OPEN_STATES,
    CollaboratorExtension,
    CollaboratorReminder,
    CollaboratorRequest,
    ExtensionState,
    RequestState,
)
from harbour.collaborators.permission_codes import APPROVE, REQUEST
from harbour.collaborators.queries import approvers_of
from harbour.core.admission import temporary_term_days
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, can, require_permission
from harbour.core.time import local, now
from harbour.directory.actions import (
    MemberSpec,
    deactivate_member,
    invite_member,
    suspend_member,
    update_member,
)
from harbour.directory.models import Department, Member, MemberState
from harbour.directory.validation import clean_email, clean_text
from harbour.identity.session_actions import sign_member_out_everywhere

WORKFLOW = "temporary collaborators"
DEFAULT_DAYS = 7
MAX_TEXT = 2000
# A requested end may overrun the longest term by this much (a form's "now" is a moment before the action's).
TERM_TOLERANCE = dt.timedelta(minutes=1)


def _workflow(actor: Actor) -> SystemActor:
    return SystemActor(actor.tenant_id, WORKFLOW)


def _member_or_none(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def default_days(tenant_id: uuid.UUID) -> int:
    """7 days, or the company's longest term when that is shorter."""
    limit = temporary_term_days(tenant_id)
    return min(DEFAULT_DAYS, limit) if limit is not None else DEFAULT_DAYS


def _clean_days(tenant_id: uuid.UUID, days: int | None, *, at_most: int | None = None) -> int:
    if days is None:
        days = default_days(tenant_id)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise Invalid(_("the term is a whole number of days, at least 1"), field="days")
    limit = temporary_term_days(tenant_id)
    if limit is not None and days > limit:
        raise Invalid(
            _("a temporary collaborator's access runs at most %(n)d days here") % {"n": limit}, field="days"
        )
    if at_most is not None and days > at_most:
        raise Invalid(_("at most the %(n)d days asked for") % {"n": at_most}, field="days")
    return days


def _clean_reason(value: str, *, field: str = "reason", required: bool = True) -> str:
    return clean_text(value, field=field, max_length=MAX_TEXT, required=required)


def _locked(request: CollaboratorRequest) -> CollaboratorRequest:
    """The request re-read under a row lock, so two decisions cannot both pass the state check."""
    return CollaboratorRequest.objects.for_tenant(request.tenant_id).select_for_update().get(pk=request.pk)


def _require_decider(actor: Actor, request: CollaboratorRequest, *, asked_by: object = None) -> None:
    """An approver of the request's department, who is neither its sponsor nor whoever asked."""
    require_permission(actor, APPROVE, request)
    if actor.actor_id is not None and actor.actor_id in (request.sponsor_id, asked_by):
        raise Forbidden(
            _("you cannot decide on a collaborator you asked for: another approver decides"),
            field="request_id",
        )


def _require_sponsor_or_approver(actor: Actor, request: CollaboratorRequest) -> None:
    if actor.actor_id is not None and actor.actor_id == request.sponsor_id:
        return
    require_permission(actor, APPROVE, request)


def _others(members: list[Member], *exclude: object) -> list[Member]:
    return [m for m in members if m.pk not in exclude]


# ------------------------------------------------------------------------------------------------ asking
@tenant_atomic
def request_collaborator(
    actor: Actor,
    *,
    email: str,
    name: str,
    organisation: str,
    purpose: str,
    department: Department | None = None,
    days: int | None = None,
) -> CollaboratorRequest:
    """Ask for an external person's access; the approvers of the department are told at once."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    if department is not None and department.tenant_id != tenant.pk:
        raise NotFound(_("no such department"), field="department_id")
    require_permission(actor, REQUEST, department if department is not None else tenant)
    values = {
        "email": clean_email(email or "", tenant),
        "name": clean_text(name, field="name", max_length=150, required=True),
        "organisation": clean_text(organisation, field="organisation", max_length=200, required=True),
        "purpose": clean_text(purpose, field="purpose", max_length=MAX_TEXT, required=True),
        "days": _clean_days(tenant.pk, days),
    }
    if Member.objects.for_tenant(tenant).filter(email=values["email"]).exists():
        raise Conflict(
            _("%(email)s already has a work account in this company") % {"email": values["email"]},
            field="email",
        )
    if (
        CollaboratorRequest.objects.for_tenant(tenant)
        .filter(email=values["email"], state__in=OPEN_STATES)
        .exists()
    ):
        raise Conflict(
            _("%(email)s already has an open collaborator request") % {"email": values["email"]},
            field="email",
        )
    request = CollaboratorRequest.objects.create(
        tenant_id=tenant.pk, sponsor=_member_or_none(actor), department=department, **values
    )
    record(actor, "collaborator.requested", target=request, after=request.snapshot())
    notifications.request_made(request, _others(approvers_of(tenant.pk, department), actor.actor_id))
    return request


# ------------------------------------------------------------------------------------------- deciding
@tenant_atomic
def approve_request(
    actor: Actor, request: CollaboratorRequest, *, days: int | None = None
) -> CollaboratorRequest:
    """Invite the external account, its access ending ``days`` (as asked, or fewer) from now."""
    request = _locked(request)
    _require_decider(actor, request)
    if request.state != RequestState.REQUESTED:
        raise Conflict(_("this request was decided already"), field="state")
    days = _clean_days(request.tenant_id, request.days if days is None else days, at_most=request.days)
    before = request.snapshot()
    at = now()
    ends = at + dt.timedelta(days=days)
    spec = MemberSpec(
        email=request.email,
        name=request.name,
        title=request.organisation[:120],
        departments=[request.department] if request.department is not None else [],
        is_external=True,
        access_expires_at=ends,
    )
    member = invite_member(_workflow(actor), spec)
    request.state = RequestState.APPROVED
    request.days = days
    request.decided_by = _member_or_none(actor)
    request.decided_at = at
    request.member = member
    request.term_started_at = at
    request.ends_at = ends
    request.save()
    record(
        actor,
        "collaborator.approved",
        target=request,
        before=before,
        after=request.snapshot(),
        member=str(member.pk),
    )
    notifications.request_decided(request)
    return request


@tenant_atomic
def reject_request(actor: Actor, request: CollaboratorRequest, *, reason: str) -> CollaboratorRequest:
    request = _locked(request)
    _require_decider(actor, request)
    if request.state != RequestState.REQUESTED:
        raise Conflict(_("this request was decided already"), field="state")
    reason = _clean_reason(reason)
    before = request.snapshot()
    request.state = RequestState.REJECTED
    request.decided_by = _member_or_none(actor)
    request.decided_at = now()
    request.decision_reason = reason
    request.save()
    record(
        actor, "collaborator.rejected", target=request, before=before, after=request.snapshot(), reason=reason
    )
    notifications.request_decided(request)
    return request


# ------------------------------------------------------------------------------------------ extensions
@tenant_atomic
def request_extension(
    actor: Actor, request: CollaboratorRequest, *, ends_at: dt.datetime, reason: str
) -> CollaboratorExtension:
    """Ask for a later end (the sponsor, or an approver); it takes effect once another approver agrees."""
    request = _locked(request)
    _require_sponsor_or_approver(actor, request)
    if request.state != RequestState.APPROVED or request.ends_at is None:
        raise Conflict(_("only an active collaborator's access can be extended"), field="state")
    if (
        CollaboratorExtension.objects.for_tenant(request.tenant_id)
        .filter(request=request, state=ExtensionState.REQUESTED)
        .exists()
    ):
        raise Conflict(_("an extension is already waiting for a decision"), field="ends_at")
    reason = _clean_reason(reason)
    _check_new_end(request, ends_at, at=now())
    extension = CollaboratorExtension.objects.create(
        tenant_id=request.tenant_id,
        request=request,
        requested_by=_member_or_none(actor),
        ends_at=ends_at,
        reason=reason,
    )
    record(
        actor,
        "collaborator.extension_requested",
        target=request,
        after=extension.snapshot(),
        extension=str(extension.pk),
    )
    deciders = _others(
        approvers_of(request.tenant_id, request.department), actor.actor_id, request.sponsor_id
    )
    notifications.extension_asked(extension, deciders)
    return extension


def _check_new_end(request: CollaboratorRequest, ends_at: dt.datetime, *, at: dt.datetime) -> None:
    if ends_at.tzinfo is None:
        raise Invalid(_("give the new end with its time zone"), field="ends_at")
    if request.ends_at is not None and ends_at <= request.ends_at:
        raise Invalid(
            _("the new end must be after the current one (%(ends)s)")
            % {"ends": local(request.ends_at).strftime("%Y-%m-%d %H:%M")},
            field="ends_at",
        )
    limit = temporary_term_days(request.tenant_id)
    if limit is not None and ends_at > at + dt.timedelta(days=limit) + TERM_TOLERANCE:
        raise Invalid(
            _("access runs at most %(n)d days from the approval here: until %(latest)s at the latest")
            % {"n": limit, "latest": local(at + dt.timedelta(days=limit)).strftime("%Y-%m-%d %H:%M")},
            field="ends_at",
        )


@tenant_atomic
def approve_extension(actor: Actor, extension: CollaboratorExtension) -> CollaboratorExtension:
    """The new end takes effect now, still capped at the longest term counted from this moment."""
    request = _locked(extension.request)
    _require_decider(actor, request, asked_by=extension.requested_by_id)
    extension = _open_extension(extension, request)
    if request.state != RequestState.APPROVED or request.member_id is None:
        raise Conflict(_("the collaborator's access has ended: it cannot be extended"), field="state")
    at = now()
    if extension.ends_at <= at:
        raise Conflict(_("the end asked for has passed"), field="ends_at")
    _check_new_end(request, extension.ends_at, at=at)
    before = request.snapshot()
    member = Member.objects.for_tenant(request.tenant_id).get(pk=request.member_id)
    update_member(_workflow(actor), member, access_expires_at=extension.ends_at)
    extension.state = ExtensionState.APPROVED
    extension.previous_ends_at = request.ends_at
    extension.decided_by = _member_or_none(actor)
    extension.decided_at = at
    extension.save()
    request.ends_at = extension.ends_at
    request.term_started_at = at
    request.save(update_fields=["ends_at", "term_started_at", "updated_at"])
    record(
        actor,
        "collaborator.extension_approved",
        target=request,
        before=before,
        after=request.snapshot(),
        extension=str(extension.pk),
    )
    notifications.extension_decided(extension, approved=True)
    return extension


@tenant_atomic
def reject_extension(actor: Actor, extension: CollaboratorExtension, *, reason: str) -> CollaboratorExtension:
    request = _locked(extension.request)
    _require_decider(actor, request, asked_by=extension.requested_by_id)
    extension = _open_extension(extension, request)
    reason = _clean_reason(reason)
    extension.state = ExtensionState.REJECTED
    extension.decided_by = _member_or_none(actor)
    extension.decided_at = now()
    extension.decision_reason = reason
    extension.save()
    record(
        actor,
        "collaborator.extension_rejected",
        target=request,
        after=extension.snapshot(),
        extension=str(extension.pk),
        reason=reason,
    )
    notifications.extension_decided(extension, approved=False)
    return extension


def _open_extension(extension: CollaboratorExtension, request: CollaboratorRequest) -> CollaboratorExtension:
    fresh = (
        CollaboratorExtension.objects.for_tenant(request.tenant_id).select_for_update().get(pk=extension.pk)
    )
    if fresh.state != ExtensionState.REQUESTED:
        raise Conflict(_("this extension was decided already"), field="state")
    fresh.request = request
    fresh.requested_by = extension.requested_by
    return fresh


# ----------------------------------------------------------------------------------------- ending early
@tenant_atomic
def end_early(actor: Actor, request: CollaboratorRequest, *, reason: str = "") -> CollaboratorRequest:
    """The sponsor or an approver withdraws a waiting request, or ends an active collaborator's access now."""
    request = _locked(request)
    _require_sponsor_or_approver(actor, request)
    reason = _clean_reason(reason, required=False)
    if request.state == RequestState.REQUESTED:
        before = request.snapshot()
        request.state = RequestState.WITHDRAWN
        request.ended_at = now()
        request.ended_by = _member_or_none(actor)
        request.end_reason = reason
        request.save()
        record(
            actor,
            "collaborator.withdrawn",
            target=request,
            before=before,
            after=request.snapshot(),
            reason=reason,
        )
        return request
    if request.state != RequestState.APPROVED:
        raise Conflict(_("this collaborator's access has ended already"), field="state")
    return end_access(actor, request, state=RequestState.REVOKED, reason=reason)


def end_access(
    actor: Actor, request: CollaboratorRequest, *, state: str, reason: str, at: dt.datetime | None = None
) -> CollaboratorRequest:
    """Suspend the account (or withdraw an unaccepted invitation), end its sessions, close a waiting
    extension, and mark the request ``state`` (revoked or expired). Inside the caller's transaction, on a
    locked request."""
    at = at or now()
    before = request.snapshot()
    system = _workflow(actor)
    sessions = 0
    member = Member.objects.for_tenant(request.tenant_id).filter(pk=request.member_id).first()
    if member is not None:
        why = _("temporary access ended") if state == RequestState.EXPIRED else _("temporary access revoked")
        if member.state == MemberState.INVITED:
            deactivate_member(system, member, reason=why)
        elif member.state == MemberState.ACTIVE:
            suspend_member(system, member, reason=why)
        sessions = sign_member_out_everywhere(system, member, reason=why)
    CollaboratorExtension.objects.for_tenant(request.tenant_id).filter(
        request=request, state=ExtensionState.REQUESTED
    ).update(state=ExtensionState.CANCELLED, decided_at=at)
    request.state = state
    request.ended_at = at
    request.ended_by = _member_or_none(actor)
    request.end_reason = reason
    request.save()
    kind = "collaborator.expired" if state == RequestState.EXPIRED else "collaborator.revoked"
    record(
        actor,
        kind,
        target=request,
        before=before,
        after=request.snapshot(),
        reason=reason,
        member_state=member.state if member is not None else "",
        sessions=sessions,
    )
    notifications.access_ended(request, expired=state == RequestState.EXPIRED)
    return request


# ------------------------------------------------------------------------------------------- a leaver
_HANDED_STATE = {RequestState.REQUESTED: "waiting for approval", RequestState.APPROVED: "active"}


@tenant_atomic
def hand_over_sponsorships(actor: Actor, leaver: Member, successor: Member) -> list[str]:
    """The leaver's handover hook (registered in ``core.handover``): every open request the leaver sponsored
    — waiting for approval, or an active collaborator — gets the successor as its sponsor, and a waiting
    extension the leaver asked for on it becomes the successor's (still waiting: an approver other than
    the successor decides it). Whoever may suspend the leaver may do this; answers what was handed over."""
    require_permission(actor, "member.suspend", leaver)
    if successor.tenant_id != leaver.tenant_id:
        raise NotFound(_("no such member"), field="successor_id")
    if successor.pk == leaver.pk:
        return []
    sponsored = (
        CollaboratorRequest.objects.for_tenant(leaver.tenant_id)
        .select_for_update()
        .filter(sponsor_id=leaver.pk, state__in=OPEN_STATES)
        .order_by("created_at", "pk")
    )
    reason = f"handed over from {leaver.name}"
    handed: list[str] = []
    for request in sponsored:
        before = request.snapshot()
        request.sponsor = successor
        request.save(update_fields=["sponsor", "updated_at"])
        extensions = [
            str(pk)
            for pk in CollaboratorExtension.objects.for_tenant(leaver.tenant_id)
            .filter(request=request, state=ExtensionState.REQUESTED, requested_by_id=leaver.pk)
            .values_list("pk", flat=True)
        ]
        if extensions:
            CollaboratorExtension.objects.for_tenant(leaver.tenant_id).filter(pk__in=extensions).update(
                requested_by=successor, updated_at=now()
            )
        record(
            actor,
            "collaborator.sponsor_changed",
            target=request,
            before=before,
            after=request.snapshot(),
            reason=reason,
            extensions=extensions,
        )
        handed.append(f"{request.name} <{request.email}> ({_HANDED_STATE[RequestState(request.state)]})")
    return handed


# -------------------------------------------------------------------------------------------- the jobs
@tenant_atomic
def expire_one(actor: SystemActor, request: CollaboratorRequest, *, at: dt.datetime) -> bool:
    """Expire one overdue collaborator (the expiry job). False when it was no longer due: another run, an
    extension or an early end got there first."""
    request = _locked(request)
    if request.state != RequestState.APPROVED:
        return False
    member_end = (
        Member.objects.for_tenant(request.tenant_id)
        .filter(pk=request.member_id)
        .values_list("access_expires_at", flat=True)
        .first()
    )
    ends = [e for e in (request.ends_at, member_end) if e is not None]
    if not ends or min(ends) > at:
        return False
    end_access(actor, request, state=RequestState.EXPIRED, reason=_("the term ended"), at=at)
    return True


@tenant_atomic
def send_reminder(
    actor: SystemActor, request: CollaboratorRequest, *, days_before: int, at: dt.datetime
) -> bool:
    """Tell the sponsor and the collaborator that the access ends in ``days_before`` days — once per end."""
    request = _locked(request)
    if request.state != RequestState.APPROVED or request.ends_at is None:
        return False
    reminders = CollaboratorReminder.objects.for_tenant(request.tenant_id)
    if reminders.filter(request=request, ends_at=request.ends_at, days_before=days_before).exists():
        return False
    request.sponsor = Member.objects.for_tenant(request.tenant_id).filter(pk=request.sponsor_id).first()
    request.member = Member.objects.for_tenant(request.tenant_id).filter(pk=request.member_id).first()
    addresses = notifications.reminder(request, days_before)
    reminder = CollaboratorReminder.objects.create(
        tenant_id=request.tenant_id,
        request=request,
        ends_at=request.ends_at,
        days_before=days_before,
        sent_at=at,
        recipients=addresses,
    )
    record(
        actor,
        "collaborator.reminded",
        target=request,
        days_before=days_before,
        ends_at=request.ends_at.isoformat(),
        recipients=addresses,
        reminder=str(reminder.pk),
    )
    return True


def may_decide(actor: Actor, request: CollaboratorRequest, *, asked_by: object = None) -> bool:
    """For pages: would ``_require_decider`` let the actor decide?"""
    if actor.actor_id is not None and actor.actor_id in (request.sponsor_id, asked_by):
        return False
    return can(actor, APPROVE, request)


def may_end(actor: Actor, request: CollaboratorRequest) -> bool:
    return (actor.actor_id is not None and actor.actor_id == request.sponsor_id) or can(
        actor, APPROVE, request
    )
