"""A sponsor leaves: the collaborators they sponsored — active ones and requests still waiting — pass to the
successor as sponsor, a waiting extension they asked for becomes the successor's and can still be approved,
the departure lists what was handed over and the operation log has one entry per request. Without a
successor nothing is handed over."""

from __future__ import annotations

import datetime as dt

from harbour.audit.models import AuditEvent
from harbour.collaborators.models import (
    CollaboratorExtension,
    CollaboratorRequest,
    ExtensionState,
    RequestState,
)
from harbour.directory.models import Member, MemberState
from harbour.lifecycle.leavers import freeze_leaver
from tests.api.helpers import ApiClient, body
from tests.collaborators.conftest import Ask, Clock
from tests.factories import Company


def _request(company: Company, asked: dict[str, object]) -> CollaboratorRequest:
    return CollaboratorRequest.objects.for_tenant(company.tenant).get(pk=asked["id"])


def _sponsor_changes(company: Company) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_tenant(company.tenant)
        .filter(kind="collaborator.sponsor_changed")
        .order_by("seq")
    )


def _gary_sponsors(
    company: Company, clock: Clock, ask: Ask, member_api: ApiClient, manager_api: ApiClient
) -> tuple[CollaboratorRequest, CollaboratorExtension, CollaboratorRequest, CollaboratorRequest]:
    """Gary's collaborators: Pat, active, with an extension Gary asked for still waiting; Sam, waiting for
    approval; Quinn, rejected (closed, so not handed over)."""
    pat = ask()
    assert manager_api.post(f"/collaborators/{pat['id']}/approve").status_code == 200
    clock.move(days=2)
    wanted = clock.at + dt.timedelta(days=7)  # the longest term, counted from now: after the current end
    response = member_api.post(
        f"/collaborators/{pat['id']}/extensions", {"ends_at": wanted.isoformat(), "reason": "Audit runs late"}
    )
    assert response.status_code == 201, response.content
    sam = ask(email="sam@partner.example", name="Sam Second")
    quinn = ask(email="quinn@partner.example", name="Quinn Closed")
    assert (
        manager_api.post(f"/collaborators/{quinn['id']}/reject", {"reason": "not needed"}).status_code == 200
    )
    extension = CollaboratorExtension.objects.for_tenant(company.tenant).get(request_id=pat["id"])
    return _request(company, pat), extension, _request(company, sam), _request(company, quinn)


def test_a_leaving_sponsors_collaborators_pass_to_the_named_successor(
    company: Company,
    clock: Clock,
    ask: Ask,
    member_api: ApiClient,
    manager_api: ApiClient,
    helen_api: ApiClient,
) -> None:
    gary, helen, admin = company.member, company.outsider, company.admin
    assert gary is not None and helen is not None and admin is not None
    pat, extension, sam, quinn = _gary_sponsors(company, clock, ask, member_api, manager_api)
    assert pat.state == RequestState.APPROVED and sam.state == RequestState.REQUESTED

    departure = freeze_leaver(admin, gary, successor=helen)

    assert departure.successor_id == helen.pk
    assert departure.handover["collaborators"] == [
        "Pat Partner <pat@partner.example> (active)",
        "Sam Second <sam@partner.example> (waiting for approval)",
    ]
    for request in (pat, sam, quinn):
        request.refresh_from_db()
    assert pat.sponsor_id == helen.pk and sam.sponsor_id == helen.pk
    assert quinn.sponsor_id == gary.pk  # a closed request keeps its history
    assert pat.state == RequestState.APPROVED and sam.state == RequestState.REQUESTED  # nothing else moves
    extension.refresh_from_db()
    assert extension.state == ExtensionState.REQUESTED and extension.requested_by_id == helen.pk

    changes = _sponsor_changes(company)
    assert [e.target_id for e in changes] == [str(pat.pk), str(sam.pk)]
    for event in changes:
        assert event.actor_id == admin.pk
        assert event.before is not None and event.before["sponsor"] == str(gary.pk)
        assert event.after is not None and event.after["sponsor"] == str(helen.pk)
        assert event.data["reason"] == "handed over from Gary General"
    assert changes[0].data["extensions"] == [str(extension.pk)] and changes[1].data["extensions"] == []

    # Helen now finds them among her own, and the waiting extension is decided as usual.
    mine = body(helen_api.get("/collaborators", mine="true"))["items"]
    assert sorted(r["email"] for r in mine) == ["pat@partner.example", "sam@partner.example"]
    approved = manager_api.post(f"/collaborators/{pat.pk}/extensions/{extension.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert body(approved)["extensions"][0]["state"] == "approved"
    assert body(approved)["sponsor"]["name"] == "Helen HR"


def test_without_a_successor_the_sponsorships_stay_and_the_leaver_still_leaves(
    company: Company, clock: Clock, ask: Ask, member_api: ApiClient, manager_api: ApiClient
) -> None:
    gary = company.member
    assert gary is not None and gary.manager_id is None
    pat, extension, sam, _ = _gary_sponsors(company, clock, ask, member_api, manager_api)

    departure = freeze_leaver(company.system, gary)  # no manager, none named, no member acting

    assert departure.successor_id is None and departure.handover == {}
    assert Member.objects.for_tenant(company.tenant).get(pk=gary.pk).state == MemberState.SUSPENDED
    for request in (pat, sam):
        request.refresh_from_db()
        assert request.sponsor_id == gary.pk
    extension.refresh_from_db()
    assert extension.requested_by_id == gary.pk and extension.state == ExtensionState.REQUESTED
    assert _sponsor_changes(company) == []


def test_a_leaver_who_sponsored_nobody_hands_over_an_empty_list(company: Company) -> None:
    helen, admin = company.outsider, company.admin
    assert helen is not None and admin is not None
    departure = freeze_leaver(admin, helen, successor=admin)
    assert departure.handover["collaborators"] == []
    assert _sponsor_changes(company) == []
