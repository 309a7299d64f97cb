"""Directory actions: the rules every path (console, API, CLI, imports) shares."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.core.errors import Conflict, Invalid, NotFound
from harbour.core.permissions import can
from harbour.core.time import now
from harbour.directory import actions
from harbour.directory.models import Department, Member, MemberState
from harbour.identity.tokens import create_api_token, member_for_token


def test_moving_a_subtree_rewrites_every_path(company):
    finance, accounts, hr = (company.departments[k] for k in ("finance", "accounts", "hr"))
    payroll = actions.create_department(company.admin, name="Payroll", parent=accounts)
    actions.move_department(company.admin, finance, parent=hr)
    payroll = Department.objects.for_tenant(company.tenant).get(pk=payroll.pk)
    assert payroll.path.startswith(hr.path)
    assert payroll.depth == 3
    # The manager of Finance still manages the moved subtree, and nothing else.
    company.manager.forget_access()
    assert can(company.manager, "member.suspend", company.member)
    assert not can(company.manager, "member.suspend", company.outsider)


def test_department_cannot_move_under_its_own_subtree(company):
    with pytest.raises(Invalid) as caught:
        actions.move_department(
            company.admin, company.departments["finance"], parent=company.departments["accounts"]
        )
    assert caught.value.field == "parent_id"


def test_reordering_siblings(company):
    legal = actions.create_department(company.admin, name="Legal")
    actions.move_department(company.admin, legal, parent=None, position=0)
    top = Department.objects.for_tenant(company.tenant).filter(parent=None).order_by("position")
    assert [d.name for d in top] == ["Legal", "Finance", "Human Resources"]


def test_non_empty_department_cannot_be_deleted(company):
    with pytest.raises(Conflict):
        actions.delete_department(company.admin, company.departments["finance"])
    empty = actions.create_department(company.admin, name="Empty")
    actions.delete_department(company.admin, empty)
    assert not Department.objects.for_tenant(company.tenant).filter(pk=empty.pk).exists()


def test_manager_cannot_create_top_level_departments(company):
    from harbour.core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.create_department(company.manager, name="Shadow IT")
    actions.create_department(company.manager, name="Tax", parent=company.departments["finance"])


def test_state_machine_allows_only_legal_moves(company):
    member = company.member
    with pytest.raises(Conflict):
        actions.reactivate_member(company.admin, member)  # already active
    actions.suspend_member(company.admin, member)
    actions.reactivate_member(company.admin, member)
    actions.deactivate_member(company.admin, member)
    with pytest.raises(Conflict):
        actions.suspend_member(company.admin, member)
    actions.reactivate_member(company.admin, member)
    assert Member.objects.for_tenant(company.tenant).get(pk=member.pk).state == MemberState.ACTIVE


def test_last_administrator_is_protected(company):
    with pytest.raises(Conflict):
        actions.suspend_member(company.admin, company.admin)
    grant = company.admin.grants.get()
    with pytest.raises(Conflict):
        actions.revoke_grant(company.admin, grant)


def test_suspension_revokes_tokens(company):
    _row, token = create_api_token(company.member, company.member, name="cli", days=10)
    assert member_for_token(token) == company.member
    actions.suspend_member(company.admin, company.member)
    assert member_for_token(token) is None
    actions.reactivate_member(company.admin, company.member)
    assert member_for_token(token) is None  # revoked for good, not merely paused


def test_domain_binding_refuses_foreign_addresses(company):
    with pytest.raises(Invalid) as caught:
        actions.invite_member(company.admin, actions.MemberSpec(email="someone@gmail.com", name="Someone"))
    assert caught.value.field == "email"


def test_mobile_is_stored_in_e164_with_hong_kong_default(company):
    member = actions.invite_member(
        company.admin, actions.MemberSpec(email="new@acme.com.hk", name="New Person", mobile="9123 4567")
    )
    assert member.mobile == "+85291234567"


def test_bulk_create_refuses_the_whole_batch_on_one_bad_row(company):
    before = Member.objects.for_tenant(company.tenant).count()
    specs = [
        actions.MemberSpec(email=f"bulk{i}@acme.com.hk", name=f"Bulk {i}", state="active") for i in range(5)
    ] + [actions.MemberSpec(email="bulk0@acme.com.hk", name="Duplicate")]
    with pytest.raises(Conflict) as caught:
        actions.bulk_create_members(company.admin, specs)
    assert caught.value.field == "email"
    assert Member.objects.for_tenant(company.tenant).count() == before
    assert len(actions.bulk_create_members(company.admin, specs[:5])) == 5


def test_grant_with_expiry_stops_counting_after_it(company):
    role = company.roles["administrator"]
    grant = actions.grant_role(company.admin, company.member, role, expires_at=now() + dt.timedelta(days=1))
    company.member.forget_access()
    assert can(company.member, "member.suspend", company.outsider)
    grant.expires_at = now() - dt.timedelta(seconds=1)
    grant.save()
    company.member.forget_access()
    assert not can(company.member, "member.suspend", company.outsider)


def test_manager_cycle_is_refused(company):
    actions.update_member(company.admin, company.member, manager=company.manager)
    with pytest.raises(Invalid) as caught:
        actions.update_member(company.admin, company.manager, manager=company.member)
    assert caught.value.field == "manager_id"


def test_invitation_acceptance_activates_and_sets_password(company):
    member = actions.invite_member(
        company.admin, actions.MemberSpec(email="joiner@acme.com.hk", name="Joiner")
    )
    token = member.invitation_url.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(Invalid):
        actions.accept_invitation(token, "short")
    member = actions.accept_invitation(token, "a-long-enough-passphrase")
    assert member.state == MemberState.ACTIVE and member.account.check_password("a-long-enough-passphrase")
    with pytest.raises(NotFound):
        actions.accept_invitation(token, "a-long-enough-passphrase")


def test_external_collaborator_token_stops_at_access_end(company):
    external = actions.invite_member(
        company.admin,
        actions.MemberSpec(email="guest@acme.com.hk", name="Guest", is_external=True, state="active"),
    )
    assert external.access_expires_at is not None
    guest_token = create_api_token(company.system, external, name="guest", days=30)[1]
    assert member_for_token(guest_token) == external
    Member.objects.for_tenant(company.tenant).filter(pk=external.pk).update(access_expires_at=now())
    assert member_for_token(guest_token) is None


def test_employee_numbers_are_searchable_only_where_visible(company):
    from harbour.directory.queries import search_members

    number = company.outsider.employee_number
    assert list(search_members(company.admin, q=number)) == [company.outsider]
    assert list(search_members(company.member, q=number)) == []
    assert list(search_members(company.member, q=company.member.employee_number)) == [company.member]
