"""Telling people about temporary collaborators: a console notice and an email to each person concerned.

Called inside the action's transaction: notices are written with it; emails leave after the commit (a mail
server that is down never undoes a decision), except reminders, which the job sends inside its transaction so
that a refused email is tried again on the next run rather than marked as sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.collaborators.models import CollaboratorExtension, CollaboratorRequest, RequestState
from harbour.core.databases import database_for
from harbour.core.time import local
from harbour.directory.models import Member
from harbour.security.notices import post_notice


def page_url() -> str:
    return reverse("collaborators:list")


def _when(value: dt.datetime | None) -> str:
    return local(value).strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _link() -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}{page_url()}"


def _tell(
    members: Iterable[Member], title: str, body: str, *, tenant_id: object, send_now: bool = False
) -> list[str]:
    """A notice for each member; the same text by email. Answers the addresses written to."""
    people = [m for m in members if m is not None]
    post_notice(people, title=title, body=body, url=page_url())
    addresses = sorted({m.email for m in people if m.email})
    if not addresses:
        return []
    text = f"{body}\n\n{_link()}\n"

    def send(fail_silently: bool) -> None:  # one email per person: no one sees who else was written to
        for address in addresses:
            send_mail(title[:200], text, None, [address], fail_silently=fail_silently)

    if send_now:
        send(fail_silently=False)
    else:
        transaction.on_commit(lambda: send(fail_silently=True), using=database_for(tenant_id))
    return addresses


def _summary(request: CollaboratorRequest) -> dict[str, str]:
    return {
        "name": request.name,
        "email": request.email,
        "organisation": request.organisation,
        "purpose": request.purpose,
        "sponsor": request.sponsor.name if request.sponsor else _("the system"),
        "department": request.department.name if request.department else _("the whole company"),
        "days": str(request.days),
    }


def request_made(request: CollaboratorRequest, approvers: list[Member]) -> None:
    title = _("Approve a temporary collaborator: %(name)s (%(organisation)s)") % _summary(request)
    body = _(
        "%(sponsor)s asks for %(name)s <%(email)s> of %(organisation)s to have access for %(days)s days "
        "in %(department)s. Purpose: %(purpose)s"
    ) % _summary(request)
    _tell(approvers, title, body, tenant_id=request.tenant_id)


def request_decided(request: CollaboratorRequest) -> None:
    if request.sponsor is None:
        return
    facts = {**_summary(request), "ends": _when(request.ends_at), "reason": request.decision_reason}
    if request.state == RequestState.APPROVED:
        title = _("Approved: %(name)s has access until %(ends)s") % facts
        body = (
            _(
                "%(name)s <%(email)s> is invited and may work with you until %(ends)s (Hong Kong time). "
                "Their access ends on its own then; ask for an extension before it does if needed."
            )
            % facts
        )
    else:
        title = _("Rejected: temporary access for %(name)s") % facts
        body = _("Your request for %(name)s <%(email)s> was rejected: %(reason)s") % facts
    _tell([request.sponsor], title, body, tenant_id=request.tenant_id)


def access_ended(request: CollaboratorRequest, *, expired: bool) -> None:
    """The sponsor learns that the access ended (unless they ended it themselves)."""
    if request.sponsor is None or request.sponsor_id == request.ended_by_id:
        return
    facts = {**_summary(request), "reason": request.end_reason}
    if expired:
        title = _("%(name)s's temporary access has ended") % facts
        body = (
            _("The access of %(name)s <%(email)s> (%(organisation)s) reached its end and was revoked.")
            % facts
        )
    else:
        title = _("%(name)s's temporary access was ended early") % facts
        body = _("The access of %(name)s <%(email)s> was ended early: %(reason)s") % facts
    _tell([request.sponsor], title, body, tenant_id=request.tenant_id)


def extension_asked(extension: CollaboratorExtension, approvers: list[Member]) -> None:
    request = extension.request
    facts = {
        **_summary(request),
        "ends": _when(request.ends_at),
        "new_end": _when(extension.ends_at),
        "reason": extension.reason,
    }
    title = _("Approve more time for %(name)s (until %(new_end)s)") % facts
    body = (
        _(
            "%(name)s <%(email)s> of %(organisation)s has access until %(ends)s; an extension until "
            "%(new_end)s (Hong Kong time) is asked for: %(reason)s"
        )
        % facts
    )
    _tell(approvers, title, body, tenant_id=request.tenant_id)


def extension_decided(extension: CollaboratorExtension, *, approved: bool) -> None:
    """Whoever asked for the extension, and the sponsor, learn the decision."""
    request = extension.request
    people = {m.pk: m for m in (extension.requested_by, request.sponsor) if m is not None}
    facts = {**_summary(request), "new_end": _when(extension.ends_at), "reason": extension.decision_reason}
    if not approved:
        title = _("Extension rejected for %(name)s") % facts
        body = _("More time for %(name)s <%(email)s> was refused: %(reason)s") % facts
    else:
        title = _("Extension approved: %(name)s has access until %(new_end)s") % facts
        body = _("%(name)s <%(email)s> may now work with you until %(new_end)s (Hong Kong time).") % facts
    _tell(people.values(), title, body, tenant_id=request.tenant_id)


def reminder(request: CollaboratorRequest, days_before: int) -> list[str]:
    """Sent now (inside the job's transaction): the sponsor and the collaborator are told of the end."""
    facts = {**_summary(request), "ends": _when(request.ends_at), "n": days_before}
    if days_before == 1:
        title = _("Temporary access of %(name)s ends in 1 day") % facts
    else:
        title = _("Temporary access of %(name)s ends in %(n)d days") % facts
    body = (
        _(
            "The access of %(name)s <%(email)s> (%(organisation)s) ends at %(ends)s (Hong Kong time) and "
            "will be revoked then. The sponsor may ask for an extension, which needs approval."
        )
        % facts
    )
    people = [m for m in (request.sponsor, request.member) if m is not None]
    return _tell(people, title, body, tenant_id=request.tenant_id, send_now=True)
