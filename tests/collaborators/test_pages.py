"""The Temporary collaborators page: a member asks (field errors next to the field, nothing saved), the
department manager decides from their queue, an extension is asked for and approved, an administrator sees
every active collaborator with the time left and ends one early."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from harbour.collaborators.models import CollaboratorExtension, CollaboratorRequest, RequestState
from harbour.core.time import HONG_KONG
from harbour.directory.models import Member, MemberState
from tests.collaborators.conftest import Ask, Clock
from tests.factories import Company, make_member

PAGE = "/collaborators/"


def _as(member: Member | None) -> Client:
    assert member is not None and member.account is not None
    client = Client()
    client.force_login(member.account)
    return client


def _form(company: Company, **fields: Any) -> dict[str, Any]:
    return {
        "name": "Pat Partner",
        "email": "pat@partner.example",
        "organisation": "Partner Audit Ltd",
        "purpose": "Year-end audit",
        "department": str(company.departments["accounts"].id),
        "days": "5",
        **fields,
    }


def _requests(company: Company) -> list[CollaboratorRequest]:
    return list(CollaboratorRequest.objects.for_tenant(company.tenant))


def test_a_member_asks_on_the_page(company: Company) -> None:
    gary = _as(company.member)
    page = gary.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ask for a collaborator" in text and "Temporary collaborators" in text
    assert 'href="/collaborators/"' in text  # the navigation entry
    assert "Waiting for your decision" not in text and "Active collaborators" not in text  # not an approver

    refused = gary.post(PAGE, _form(company, days="9"))
    assert refused.status_code == 400
    assert "at most 7 days" in refused.content.decode()
    refused = gary.post(PAGE, _form(company, purpose=""))
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    assert _requests(company) == []

    done = gary.post(PAGE, _form(company), follow=True)
    assert done.status_code == 200 and "the approvers are told" in done.content.decode()
    (request,) = _requests(company)
    assert request.sponsor_id == company.member.pk and request.days == 5  # type: ignore[union-attr]
    assert "Pat Partner" in done.content.decode() and "Waiting for approval" in done.content.decode()


def test_the_manager_decides_from_the_queue(company: Company, ask: Ask) -> None:
    first, second = ask(), ask(email="sam@supplier.example")
    fiona = _as(company.manager)
    page = fiona.get(PAGE).content.decode()
    assert "Waiting for your decision" in page and "Year-end audit of accounts payable" in page
    fiona.post(f"/collaborators/{first['id']}/approve/", {"days": "3"})
    refused = fiona.post(f"/collaborators/{second['id']}/reject/", {"reason": ""}, follow=True)
    assert "Reason: This field is required." in refused.content.decode()
    fiona.post(f"/collaborators/{second['id']}/reject/", {"reason": "Not this quarter"})
    states = {r.email: (r.state, r.days) for r in _requests(company)}
    assert states == {"pat@partner.example": ("approved", 3), "sam@supplier.example": ("rejected", 7)}
    page = fiona.get(PAGE).content.decode()
    assert "Waiting for your decision" not in page
    assert "Active collaborators" in page and "left" in page


def test_an_extension_through_the_page(company: Company, clock: Clock, ask: Ask) -> None:
    asked = ask()
    _as(company.manager).post(f"/collaborators/{asked['id']}/approve/")
    clock.move(days=5)  # five days on (a session does not last that long: both sign in again)
    fiona, gary = _as(company.manager), _as(company.member)
    new_end = (clock.at + dt.timedelta(days=6)).astimezone(HONG_KONG).replace(second=0, tzinfo=None)
    too_far = new_end + dt.timedelta(days=2)
    refused = gary.post(
        f"/collaborators/{asked['id']}/extend/",
        {"ends_at": too_far.strftime("%Y-%m-%dT%H:%M"), "reason": "Audit runs late"},
        follow=True,
    )
    assert "at most 7 days from the approval" in refused.content.decode()
    gary.post(
        f"/collaborators/{asked['id']}/extend/",
        {"ends_at": new_end.strftime("%Y-%m-%dT%H:%M"), "reason": "Audit runs late"},
    )
    extension = CollaboratorExtension.objects.for_tenant(company.tenant).get()
    assert extension.ends_at == new_end.replace(tzinfo=HONG_KONG)
    assert "Approve the extension" in fiona.get(PAGE).content.decode()
    fiona.post(f"/collaborators/{asked['id']}/extensions/{extension.pk}/approve/")
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.ends_at == extension.ends_at


def test_the_administrator_ends_access_early(company: Company, ask: Ask, helen_api: Any) -> None:
    asked = ask()
    other = ask(
        client=helen_api, email="hr.guest@partner.example", department_id=str(company.departments["hr"].id)
    )
    admin = _as(company.admin)
    admin.post(f"/collaborators/{asked['id']}/approve/")
    admin.post(f"/collaborators/{other['id']}/approve/")
    page = admin.get(PAGE).content.decode()
    assert "pat@partner.example" in page and "hr.guest@partner.example" in page  # every department
    fiona_page = _as(company.manager).get(PAGE).content.decode()
    assert "pat@partner.example" in fiona_page and "hr.guest@partner.example" not in fiona_page  # her subtree
    assert "End access now" in page
    done = admin.post(f"/collaborators/{asked['id']}/revoke/", {"reason": "Contract cancelled"}, follow=True)
    assert "Access ended" in done.content.decode()
    request = CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])
    assert request.state == RequestState.REVOKED and request.end_reason == "Contract cancelled"
    assert request.member is not None and request.member.state == MemberState.DEACTIVATED


def test_a_sponsor_cannot_approve_through_the_page_either(
    company: Company, ask: Ask, manager_api: Any
) -> None:
    own = ask(client=manager_api, email="fiona.guest@partner.example")
    fiona = _as(company.manager)
    assert "Approve and invite" not in fiona.get(PAGE).content.decode()
    refused = fiona.post(f"/collaborators/{own['id']}/approve/", follow=True)
    assert "another approver decides" in refused.content.decode()
    assert CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=own["id"]).state == "requested"


def test_a_member_with_no_role_has_no_page(company: Company) -> None:
    nobody = make_member(company, name="Nora Nobody", email="nora@acme.example", role=None)
    client = _as(nobody)
    assert client.get(PAGE).status_code == 404
    assert 'href="/collaborators/"' not in client.get("/").content.decode()


def test_the_page_costs_the_same_queries_with_more_rows(company: Company, ask: Ask) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = _as(company.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(PAGE).status_code == 200
        return len(captured)

    for n in range(2):
        ask(email=f"few{n}@partner.example")
    queries()  # the first page of a session also loads what later pages find cached
    few = queries()
    for n in range(6):
        ask(email=f"many{n}@partner.example")
    assert queries() == few
