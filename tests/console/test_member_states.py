"""Suspend, deactivate, reactivate and resend invitations from the member page, and granting roles there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory import actions
from harbour.directory.models import BuiltinRole, Invitation, Member, MemberState, RoleGrant
from tests.factories import Company


def page(client: Client, member: Member) -> str:
    response = client.get(reverse("directory:member", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def state_of(member: Member) -> str:
    member.refresh_from_db()
    return member.state


@pytest.mark.django_db
def test_suspend_asks_first_and_says_what_happens(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    url = reverse("directory:member_suspend", args=[gary.pk])
    assert f'href="{url}"' in page(admin_client, gary)
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert b"Suspend Gary General?" in confirm.content
    assert b"signed out at once" in confirm.content
    assert state_of(gary) == MemberState.ACTIVE  # looking at the confirmation changes nothing

    response = admin_client.post(url, {"reason": "laptop stolen"})
    assert response.status_code == 302
    assert state_of(gary) == MemberState.SUSPENDED
    after = page(admin_client, gary)
    assert "Gary General is suspended." in after
    assert reverse("directory:member_reactivate", args=[gary.pk]) in after
    assert f'href="{url}"' not in after  # not legal twice


@pytest.mark.django_db
def test_confirmation_comes_as_a_panel_for_htmx(company: Company, admin_client: Client) -> None:
    assert company.member is not None
    url = reverse("directory:member_deactivate", args=[company.member.pk])
    panel = admin_client.get(url, headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert b"<html" not in panel.content
    assert (
        b"Deactivate Gary General?" in panel.content and b"A pending invitation is cancelled" in panel.content
    )


@pytest.mark.django_db
def test_deactivate_and_reactivate(company: Company, admin_client: Client) -> None:
    helen = company.outsider
    assert helen is not None
    assert admin_client.post(reverse("directory:member_deactivate", args=[helen.pk])).status_code == 302
    assert state_of(helen) == MemberState.DEACTIVATED
    html = page(admin_client, helen)
    assert reverse("directory:member_suspend", args=[helen.pk]) not in html
    assert admin_client.post(reverse("directory:member_reactivate", args=[helen.pk])).status_code == 302
    assert state_of(helen) == MemberState.ACTIVE


@pytest.mark.django_db
def test_reactivate_is_refused_for_an_active_member_with_a_message(
    company: Company, admin_client: Client
) -> None:
    assert company.member is not None
    response = admin_client.post(
        reverse("directory:member_reactivate", args=[company.member.pk]), follow=True
    )
    assert b"cannot become active" in response.content
    assert state_of(company.member) == MemberState.ACTIVE


@pytest.mark.django_db
def test_administrator_cannot_suspend_themselves(company: Company, admin_client: Client) -> None:
    ada = company.admin
    assert ada is not None
    url = reverse("directory:member_suspend", args=[ada.pk])
    assert url not in page(admin_client, ada)
    response = admin_client.post(url)
    assert response.status_code == 400
    assert b"you cannot suspend or deactivate your own account" in response.content
    assert state_of(ada) == MemberState.ACTIVE


@pytest.mark.django_db
def test_manager_may_suspend_in_subtree_but_not_deactivate(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    gary, helen, fiona = company.member, company.outsider, company.manager
    assert gary is not None and helen is not None and fiona is not None
    client = as_member(fiona)
    html = page(client, gary)
    assert reverse("directory:member_suspend", args=[gary.pk]) in html
    assert reverse("directory:member_deactivate", args=[gary.pk]) not in html
    assert client.post(reverse("directory:member_deactivate", args=[gary.pk])).status_code == 404
    assert client.post(reverse("directory:member_suspend", args=[helen.pk])).status_code == 404
    assert state_of(gary) == state_of(helen) == MemberState.ACTIVE
    assert client.post(reverse("directory:member_suspend", args=[gary.pk])).status_code == 302
    assert state_of(gary) == MemberState.SUSPENDED


@pytest.mark.django_db
def test_resend_invitation_replaces_the_link(company: Company, admin_client: Client) -> None:
    invited = actions.invite_member(
        company.system, actions.MemberSpec(email="ivy@acme.com.hk", name="Ivy Invited")
    )
    url = reverse("directory:member_resend_invitation", args=[invited.pk])
    html = page(admin_client, invited)
    assert url in html
    assert reverse("directory:member_reactivate", args=[invited.pk]) not in html
    old = set(
        Invitation.objects.for_tenant(company.tenant).filter(member=invited).values_list("pk", flat=True)
    )
    response = admin_client.post(url, follow=True)
    assert b"the old link no longer works" in response.content
    assert b'id="invitation-link"' in response.content
    new = set(
        Invitation.objects.for_tenant(company.tenant).filter(member=invited).values_list("pk", flat=True)
    )
    assert len(new) == 1 and not new & old


@pytest.mark.django_db
def test_resend_is_not_offered_for_active_members(company: Company, admin_client: Client) -> None:
    assert company.member is not None
    assert reverse("directory:member_resend_invitation", args=[company.member.pk]) not in page(
        admin_client, company.member
    )


# ------------------------------------------------------------------------------------------ grants
@pytest.mark.django_db
def test_grant_a_scoped_role_from_the_member_page(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    manager_role = company.roles[BuiltinRole.DEPARTMENT_MANAGER]
    accounts = company.departments["accounts"]
    url = reverse("directory:member_grant", args=[gary.pk])
    assert url in page(admin_client, gary)
    response = admin_client.post(
        url,
        {
            "role": str(manager_role.pk),
            "scope": str(accounts.pk),
            "expires_on": "2099-06-30",
            "reason": "covering for Fiona",
        },
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.for_tenant(company.tenant).get(member=gary, role=manager_role)
    assert grant.scope == accounts and grant.reason == "covering for Fiona"
    html = page(admin_client, gary)
    assert "Department Manager" in html and "2099-06-30" in html


@pytest.mark.django_db
def test_scoped_role_without_a_department_shows_the_error(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    before = RoleGrant.objects.for_tenant(company.tenant).count()
    response = admin_client.post(
        reverse("directory:member_grant", args=[gary.pk]),
        {"role": str(company.roles[BuiltinRole.DEPARTMENT_MANAGER].pk), "scope": ""},
    )
    assert response.status_code == 400
    assert b"is granted over a department: choose one" in response.content
    assert RoleGrant.objects.for_tenant(company.tenant).count() == before


@pytest.mark.django_db
def test_revoke_a_grant_after_confirmation(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    grant = RoleGrant.objects.for_tenant(company.tenant).get(member=gary)
    url = reverse("directory:grant_revoke", args=[grant.pk])
    assert url in page(admin_client, gary)
    confirm = admin_client.get(url)
    assert b"Revoke the role General Member from Gary General?" in confirm.content
    assert b"loses the permissions of General Member over the whole company" in confirm.content
    assert admin_client.post(url, {"reason": "left the team"}).status_code == 302
    assert not RoleGrant.objects.for_tenant(company.tenant).filter(pk=grant.pk).exists()


@pytest.mark.django_db
def test_revoking_the_last_administrator_is_refused(company: Company, admin_client: Client) -> None:
    ada = company.admin
    assert ada is not None
    grant = RoleGrant.objects.for_tenant(company.tenant).get(member=ada)
    response = admin_client.post(reverse("directory:grant_revoke", args=[grant.pk]))
    assert response.status_code == 400
    assert b"without an active administrator" in response.content
    assert RoleGrant.objects.for_tenant(company.tenant).filter(pk=grant.pk).exists()


@pytest.mark.django_db
def test_manager_cannot_grant_or_revoke(company: Company, as_member: Callable[[Member], Client]) -> None:
    gary, fiona = company.member, company.manager
    assert gary is not None and fiona is not None
    client = as_member(fiona)
    assert "Grant a role" not in page(client, gary)
    response = client.post(
        reverse("directory:member_grant", args=[gary.pk]),
        {"role": str(company.roles[BuiltinRole.ADMINISTRATOR].pk)},
    )
    assert response.status_code == 404
    grant = RoleGrant.objects.for_tenant(company.tenant).get(member=gary)
    assert client.post(reverse("directory:grant_revoke", args=[grant.pk])).status_code == 404
    assert RoleGrant.objects.for_tenant(company.tenant).filter(member=gary).count() == 1
