"""The demo's announcements: one sent to everyone and read by some, one scheduled for the Sales subtree, one
incomplete draft — all made through the actions."""

from __future__ import annotations

from harbour.announcements.models import Announcement, Delivery
from harbour.demo.announcements_seed import seed_announcements
from harbour.directory import actions as directory
from tests.factories import Company, make_member


def test_the_demo_seed_makes_a_sent_a_scheduled_and_an_incomplete_announcement(company: Company) -> None:
    assert company.admin is not None
    sales = directory.create_department(company.system, name="Sales")
    hk_sales = directory.create_department(company.system, name="Hong Kong Sales", parent=sales)
    make_member(company, name="Sally Seller", email="sally@acme.com.hk", departments=[hk_sales])

    seed_announcements(company.system, company.admin)

    rows = {a.state: a for a in Announcement.objects.for_tenant(company.tenant)}
    sent, scheduled, draft = rows["sent"], rows["scheduled"], rows["draft"]
    assert sent.title.startswith("Company devices only from 1 January") and sent.missing_parts() == []
    assert sent.recipient_count == 5
    read = (
        Delivery.objects.for_tenant(company.tenant).filter(announcement=sent, read_at__isnull=False).count()
    )
    assert 0 < read < 5
    assert scheduled.department_names == ["Sales"] and scheduled.scheduled_for is not None
    assert "title_zh" in draft.missing_parts() and "it_contact_en" in draft.missing_parts()
