"""HB-GOV-ANNOUNCE from real data: not applicable without announcements; a gap when one sent more than 14
days ago was read by under 90%; met when every settled announcement reached 90%."""

from __future__ import annotations

import datetime as dt

from harbour.announcements import actions
from harbour.announcements.compliance_checks import announcements_read
from harbour.announcements.models import Announcement, Delivery
from harbour.core.compliance import Status, checks_for
from harbour.core.time import now
from tests.announcements.builders import complete
from tests.factories import Company


def _sent(company: Company, *, days_ago: int, readers: int) -> Announcement:
    draft = actions.create_announcement(company.system, title=f"Sent {days_ago} days ago", **complete())
    sent = actions.send_announcement(company.system, draft)
    Announcement.objects.for_tenant(company.tenant).filter(pk=sent.pk).update(
        sent_at=now() - dt.timedelta(days=days_ago)
    )
    for delivery in (
        Delivery.objects.for_tenant(company.tenant)
        .filter(announcement=sent)
        .order_by("member_name")[:readers]
    ):
        assert delivery.member is not None
        actions.mark_read(delivery.member, delivery)
    return sent


def test_registered_for_the_rule() -> None:
    assert announcements_read in checks_for("HB-GOV-ANNOUNCE")


def test_not_applicable_when_nothing_was_sent(company: Company) -> None:
    actions.create_announcement(company.system, title="Only a draft")
    finding = announcements_read(company.tenant.pk)
    assert finding.status == Status.NOT_APPLICABLE
    assert finding.evidence[0].count == 0 and finding.evidence[0].path == "/announcements/manage/"


def test_gap_when_a_settled_announcement_is_read_by_under_90_percent(company: Company) -> None:
    _sent(company, days_ago=20, readers=3)  # 3 of 4 = 75%
    finding = announcements_read(company.tenant.pk)
    assert finding.status == Status.GAP
    assert "1 of 1" in finding.summary
    counts = {str(e.label): e.count for e in finding.evidence}
    assert counts["Sent more than 14 days ago and read by under 90%"] == 1
    assert counts["Recipients who read their announcement"] == 3
    assert counts["Recipients in all"] == 4


def test_met_when_settled_ones_are_read_and_recent_ones_still_have_time(company: Company) -> None:
    _sent(company, days_ago=20, readers=4)
    _sent(company, days_ago=3, readers=0)  # not 14 days old yet
    finding = announcements_read(company.tenant.pk)
    assert finding.status == Status.MET
    assert {str(e.label): e.count for e in finding.evidence}["Announcements sent in the last 12 months"] == 2


def test_announcements_older_than_a_year_are_not_counted(company: Company) -> None:
    _sent(company, days_ago=400, readers=0)
    assert announcements_read(company.tenant.pk).status == Status.NOT_APPLICABLE


def test_another_company_does_not_count(company: Company, other_company: Company) -> None:
    _sent(company, days_ago=20, readers=0)
    assert announcements_read(other_company.tenant.pk).status == Status.NOT_APPLICABLE
