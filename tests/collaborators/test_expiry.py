"""The end of a collaborator's access, with the clock moved: refused at sign-in and on the next request the
moment it passes (job or no job); the expiry job suspends, signs out and marks the request expired — once,
and everything overdue at once after downtime; reminders two days and one day before, each once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.collaborators.expiry import expire_overdue, send_due_reminders
from harbour.collaborators.models import CollaboratorReminder, CollaboratorRequest, RequestState
from harbour.collaborators.tasks import expire_collaborators_task, remind_collaborators_task
from harbour.directory.models import Member, MemberState
from harbour.identity.tokens import create_api_token
from harbour.security.models import Notice
from tests.api.helpers import ApiClient, assert_problem, body
from tests.collaborators.conftest import Ask, Clock, join
from tests.factories import PASSWORD, Company, make_company

SECOND = dt.timedelta(seconds=1)


def _approve(manager_api: ApiClient, asked: dict[str, Any], **fields: Any) -> CollaboratorRequest:
    response = manager_api.post(f"/collaborators/{asked['id']}/approve", fields or None)
    assert response.status_code == 200, response.content
    return CollaboratorRequest.objects.across_tenants().get(pk=asked["id"])


def _active_collaborator(
    ask: Ask, manager_api: ApiClient, capture: Any, email: str = "pat@partner.example", **fields: Any
) -> tuple[CollaboratorRequest, Member]:
    """Asked for, approved, and joined (password set): an active external account."""
    with capture(execute=True):
        request = _approve(manager_api, ask(email=email, **fields))
    return request, join(email)


def _signed_in(member: Member) -> Client:
    client = Client()
    response = client.post("/login/", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302 and "/login" not in response["Location"], response.content[:300]
    return client


def test_access_is_refused_the_moment_it_ends_even_before_the_job(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    request, member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    assert request.ends_at is not None
    clock.set(request.ends_at - dt.timedelta(minutes=10))  # the last minutes of the term: signed in, working
    browser = _signed_in(member)
    _, token = create_api_token(company.system, member, name="collaborator", days=30)
    api = ApiClient(token)
    assert browser.get("/").status_code == 200
    assert api.get("/me").status_code == 200

    clock.set(request.ends_at - SECOND)  # one second before the end: still in
    assert browser.get("/").status_code == 200
    assert api.get("/me").status_code == 200
    assert _signed_in(member) is not None

    clock.set(request.ends_at)  # the end: out, though the expiry job has not run
    for path in (
        "/",
        reverse("incidents:notices"),
        reverse("directory:my_profile"),
    ):  # the next request is turned away to sign out
        page = browser.get(path)
        assert page.status_code == 302 and page["Location"].startswith(("/logout/", "/login/")), path
    assert_problem(api.get("/me"), 401)
    stranger = Client()
    refused = stranger.post("/login/", {"email": member.email, "password": PASSWORD})
    assert refused.status_code in (400, 403) and b"no active work account" in refused.content
    assert "_auth_user_id" not in stranger.session
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE  # the job has not run yet: the time alone refuses them
    assert CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=request.pk).state == "approved"


def test_the_expiry_job_at_the_boundary(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    request, member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    assert request.ends_at is not None
    clock.set(request.ends_at - SECOND)
    assert expire_overdue(company.tenant.pk) == 0
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE and member.can_sign_in

    clock.set(request.ends_at)
    assert expire_overdue(company.tenant.pk) == 1
    member.refresh_from_db()
    request.refresh_from_db()
    assert member.state == MemberState.SUSPENDED and member.sessions_revoked_at == request.ends_at
    assert request.state == RequestState.EXPIRED and request.ended_at == request.ends_at
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="collaborator.expired")
    assert event.actor_type == "system" and event.target_id == str(request.pk)
    assert event.data["member_state"] == MemberState.SUSPENDED
    assert (
        Notice.objects.for_tenant(company.tenant)
        .filter(member=company.member, title__contains="ended")
        .exists()
    )

    clock.move(minutes=5)
    assert expire_overdue(company.tenant.pk) == 0  # idempotent: a second run finds nothing
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="collaborator.expired").count() == 1


def test_after_downtime_the_first_run_revokes_everything_overdue_at_once(
    company: Company,
    other_company: Company,
    clock: Clock,
    ask: Ask,
    manager_api: ApiClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks, "a@partner.example")
    with django_capture_on_commit_callbacks(execute=True):
        _approve(manager_api, ask(email="b@partner.example", days=2))  # never accepts the invitation
    clock.move(days=3)
    _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks, "c@partner.example", days=1)
    _approve(manager_api, ask(email="d@partner.example"))  # ends 7 days from now
    # a collaborator of another company, overdue too
    other = make_company("globex-two")
    other_api = _api_of(other)
    asked = other_api["sponsor"].post("/collaborators", _payload("e@partner.example"))
    assert (
        other_api["admin"].post(f"/collaborators/{body(asked)['id']}/approve", {"days": 2}).status_code == 200
    )

    clock.move(days=6)  # the worker was down: three of acme's and globex's one are overdue
    result = expire_collaborators_task.call()
    assert result == {"companies": 2, "expired": 4}
    states = dict(CollaboratorRequest.objects.for_tenant(company.tenant).values_list("email", "state"))
    assert states == {
        "a@partner.example": "expired",
        "b@partner.example": "expired",
        "c@partner.example": "expired",
        "d@partner.example": "approved",
    }
    members = dict(
        Member.objects.for_tenant(company.tenant).filter(is_external=True).values_list("email", "state")
    )
    assert members["a@partner.example"] == MemberState.SUSPENDED
    assert members["b@partner.example"] == MemberState.DEACTIVATED  # invited, never joined
    assert members["c@partner.example"] == MemberState.SUSPENDED
    assert members["d@partner.example"] == MemberState.INVITED
    assert CollaboratorRequest.objects.for_tenant(other.tenant).get().state == "expired"
    assert expire_collaborators_task.call() == {"companies": 0, "expired": 0}


def _payload(email: str) -> dict[str, Any]:
    return {"email": email, "name": "Eve External", "organisation": "Outside Ltd", "purpose": "Consulting"}


def _api_of(company: Company) -> dict[str, ApiClient]:
    from tests.api.helpers import api_as

    assert company.member is not None and company.admin is not None
    return {"sponsor": api_as(company.member), "admin": api_as(company.admin)}


def test_an_extended_collaborator_is_not_expired_at_the_old_end(
    company: Company,
    clock: Clock,
    ask: Ask,
    member_api: ApiClient,
    manager_api: ApiClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request, member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    old_end = request.ends_at
    assert old_end is not None
    clock.move(days=5)
    new_end = old_end + dt.timedelta(days=3)
    asked = body(
        member_api.post(
            f"/collaborators/{request.pk}/extensions", {"ends_at": new_end.isoformat(), "reason": "More work"}
        )
    )
    manager_api.post(f"/collaborators/{request.pk}/extensions/{asked['extensions'][0]['id']}/approve")
    clock.set(old_end)
    assert expire_overdue(company.tenant.pk) == 0
    assert _signed_in(member) is not None
    clock.set(new_end)
    assert expire_overdue(company.tenant.pk) == 1


def test_an_earlier_end_set_on_the_account_is_honoured(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    """An administrator shortened the account's access in the directory: the job follows the account."""
    from harbour.directory.actions import update_member

    request, member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    sooner = clock.at + dt.timedelta(days=2)
    update_member(company.admin, member, access_expires_at=sooner)  # type: ignore[arg-type]
    clock.set(sooner)
    assert expire_overdue(company.tenant.pk) == 1
    request.refresh_from_db()
    assert request.state == RequestState.EXPIRED


# ------------------------------------------------------------------------------------------------ reminders
def _reminders(request: CollaboratorRequest) -> list[int]:
    return list(
        CollaboratorReminder.objects.for_tenant(request.tenant_id)
        .filter(request=request)
        .order_by("sent_at")
        .values_list("days_before", flat=True)
    )


def test_reminders_two_days_and_one_day_before_each_once(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    request, member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    assert request.ends_at is not None
    mail.outbox.clear()
    clock.set(request.ends_at - dt.timedelta(days=2) - SECOND)
    assert send_due_reminders(company.tenant.pk) == 0
    clock.set(request.ends_at - dt.timedelta(days=2))
    assert remind_collaborators_task.call() == {"companies": 1, "reminders": 1}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([company.member.email, member.email])  # type: ignore[union-attr]
    assert all("ends in 2 days" in m.subject for m in mail.outbox)
    for person in (company.member, member):
        assert (
            Notice.objects.for_tenant(company.tenant).filter(member=person, title__contains="2 days").exists()
        )
    clock.move(hours=12)
    assert send_due_reminders(company.tenant.pk) == 0  # once
    clock.set(request.ends_at - dt.timedelta(days=1))
    assert send_due_reminders(company.tenant.pk) == 1
    assert send_due_reminders(company.tenant.pk) == 0
    assert _reminders(request) == [2, 1]
    reminder = CollaboratorReminder.objects.for_tenant(company.tenant).get(request=request, days_before=1)
    assert sorted(reminder.recipients) == sorted([company.member.email, member.email])  # type: ignore[union-attr]
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="collaborator.reminded").count() == 2
    clock.set(request.ends_at)
    assert send_due_reminders(company.tenant.pk) == 0  # the end is no time for a reminder: the job expires it


def test_after_downtime_only_the_most_urgent_reminder_is_sent(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    request, _member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    assert request.ends_at is not None
    clock.set(request.ends_at - dt.timedelta(hours=20))  # both moments passed while the worker was down
    assert send_due_reminders(company.tenant.pk) == 1
    assert _reminders(request) == [1]
    assert send_due_reminders(company.tenant.pk) == 0


def test_a_short_term_gets_only_the_reminders_after_it_began(
    company: Company, clock: Clock, ask: Ask, manager_api: ApiClient
) -> None:
    one_day = _approve(manager_api, ask(email="one@partner.example", days=1))
    two_days = _approve(manager_api, ask(email="two@partner.example", days=2))
    for hours in (0, 1, 23):
        clock.set(one_day.decided_at + dt.timedelta(hours=hours))  # type: ignore[operator]
        send_due_reminders(company.tenant.pk)
    assert _reminders(one_day) == []  # a one-day term starts inside the one-day window: no reminder
    clock.set(two_days.decided_at + dt.timedelta(days=1))  # type: ignore[operator]
    send_due_reminders(company.tenant.pk)
    assert _reminders(two_days) == [1]


def test_an_extension_is_reminded_afresh(
    company: Company,
    clock: Clock,
    ask: Ask,
    member_api: ApiClient,
    manager_api: ApiClient,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request, _member = _active_collaborator(ask, manager_api, django_capture_on_commit_callbacks)
    assert request.ends_at is not None
    clock.set(request.ends_at - dt.timedelta(days=1))
    assert send_due_reminders(company.tenant.pk) == 1
    new_end = request.ends_at + dt.timedelta(days=4)
    asked = body(
        member_api.post(
            f"/collaborators/{request.pk}/extensions", {"ends_at": new_end.isoformat(), "reason": "r"}
        )
    )
    manager_api.post(f"/collaborators/{request.pk}/extensions/{asked['extensions'][0]['id']}/approve")
    clock.set(new_end - dt.timedelta(days=2))
    assert send_due_reminders(company.tenant.pk) == 1
    ends = list(
        CollaboratorReminder.objects.for_tenant(company.tenant)
        .order_by("sent_at")
        .values_list("ends_at", flat=True)
    )
    assert ends == [request.ends_at, new_end]
