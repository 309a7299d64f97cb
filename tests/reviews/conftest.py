"""Access review fixtures: the test company with a second administrator, and Fiona (the Finance manager)
reporting to Helen, a general member with no administrative rights at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from harbour.core.time import now
from harbour.directory import actions as directory
from harbour.directory.models import BuiltinRole, Member
from harbour.reviews import actions
from harbour.reviews.models import ReviewCampaign, ReviewItem
from tests.factories import Company, make_member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@dataclass
class People:
    company: Company
    admin: Member  # Ada, who runs the reviews
    backup: Member  # Bob, the second administrator
    manager: Member  # Fiona, Department Manager of Finance, reporting to Helen
    helen: Member  # Helen, a general member: Fiona's manager, no administrative right
    gary: Member  # Gary, a general member with nothing to do with any of it

    def item_of(self, campaign: ReviewCampaign, member: Member) -> ReviewItem:
        return ReviewItem.objects.for_tenant(campaign.tenant_id).get(campaign=campaign, member=member)


@pytest.fixture
def people(company: Company) -> People:
    assert company.admin and company.manager and company.member and company.outsider
    backup = make_member(
        company,
        name="Bob Backup",
        email="bob@acme.com.hk",
        departments=[company.departments["hr"]],
        role=BuiltinRole.ADMINISTRATOR,
    )
    directory.update_member(company.system, company.manager, manager=company.outsider)
    return People(company, company.admin, backup, company.manager, company.outsider, company.member)


def open_review(people: People, *, days: int = 21, **kwargs: object) -> ReviewCampaign:
    """A campaign over the default roles, created and opened by Ada."""
    campaign = actions.create_campaign(
        people.admin, name="Q4 admin review", due_at=now() + dt.timedelta(days=days), **kwargs
    )
    return actions.open_campaign(people.admin, campaign)
