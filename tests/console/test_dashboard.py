"""The dashboard: counts, the department chart and recent activity, within what the actor may see."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from harbour.directory import actions
from harbour.directory.models import Member
from tests.factories import Company

DASHBOARD = reverse("console:dashboard")


@pytest.mark.django_db
def test_administrator_dashboard(company: Company, admin_client: Client) -> None:
    assert company.outsider is not None
    actions.suspend_member(company.system, company.outsider)
    html = admin_client.get(DASHBOARD).content.decode()
    assert "<h1>Acme Trading Ltd</h1>" in html
    assert '<div class="stat warn">1</div>' in html  # one suspended
    assert "Members by department" in html and "<svg" in html
    assert "member.suspended" in html  # recent activity


@pytest.mark.django_db
def test_general_member_sees_no_state_breakdown_or_activity(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    html = as_member(company.member).get(DASHBOARD).content.decode()
    assert "work accounts" in html
    assert "suspended" not in html and "Recent activity" not in html


@pytest.mark.django_db
def test_manager_dashboard_covers_their_subtree(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.manager is not None
    html = as_member(company.manager).get(DASHBOARD).content.decode()
    assert '<div class="stat">2</div>' in html  # Fiona and Gary
    assert "suspended" in html  # managers see states within their subtree
    assert ">Finance</text>" in html and "Human Resources" not in html
