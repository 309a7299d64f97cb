"""The compliance checks answer from real data (HB-GOV-CONDUCT, MON-3C), the network details of old
acknowledgements can be erased, and the demo seed leaves a published, partly acknowledged conduct policy."""

from __future__ import annotations

import datetime as dt

from harbour.core.compliance import Status, checks_for
from harbour.core.erasure import category
from harbour.demo.policies_seed import seed_policies
from harbour.policies import actions
from harbour.policies.models import Acknowledgement, PolicyKind, PolicyVersion, VersionState
from harbour.policies.queries import progress_of
from tests.factories import Company
from tests.policies.conftest import TEXT, Clock, published_conduct


def _conduct(company: Company) -> tuple[Status, str, list[tuple[str, int | None, str]]]:
    [check] = [c for c in checks_for("HB-GOV-CONDUCT") if c.__module__.startswith("harbour.policies")]
    finding = check(company.tenant.pk)
    return finding.status, finding.summary, [(str(e.label), e.count, e.path) for e in finding.evidence]


def _monitoring(company: Company) -> Status:
    [check] = [c for c in checks_for("MON-3C") if c.__module__.startswith("harbour.policies")]
    return check(company.tenant.pk).status


def test_conduct_check_is_a_gap_without_a_published_policy_and_when_members_are_overdue(
    company: Company, clock: Clock
) -> None:
    status, summary, _evidence = _conduct(company)
    assert status == Status.GAP and "No Employee Conduct Policy" in summary

    version = published_conduct(company, deadline_days=7)
    assert company.admin is not None and company.member is not None
    actions.acknowledge(company.admin, version)
    status, summary, evidence = _conduct(company)
    assert status == Status.MET  # three still have time
    assert summary == "Conduct policy version 1: 1 of 4 members acknowledged; nobody is past their deadline."
    path = f"/policies/versions/{version.pk}/"
    assert evidence == [
        ("Members who must acknowledge the current version", 4, path),
        ("Acknowledged", 1, path),
        ("Not acknowledged yet", 3, path),
        ("Past their deadline without acknowledging", 0, path),
    ]

    clock.move(days=7, seconds=1)
    status, summary, evidence = _conduct(company)
    assert status == Status.GAP and "3 are past their deadline" in summary


def test_conduct_check_is_met_when_everyone_in_scope_acknowledged(company: Company, clock: Clock) -> None:
    version = published_conduct(company)
    for member in (company.admin, company.manager, company.member, company.outsider):
        assert member is not None
        actions.acknowledge(member, version)
    clock.move(days=30)
    status, summary, _evidence = _conduct(company)
    assert status == Status.MET and "4 of 4" in summary


def test_monitoring_check_needs_a_published_and_acknowledged_monitoring_policy(company: Company) -> None:
    assert company.admin is not None and company.member is not None
    assert _monitoring(company) == Status.GAP
    document = actions.create_document(company.admin, kind=PolicyKind.MONITORING, name="Monitoring")
    draft = actions.draft_version(company.admin, document, **TEXT)
    assert _monitoring(company) == Status.GAP  # a draft tells nobody
    version = actions.publish_version(company.admin, draft, deadline_days=14)
    assert _monitoring(company) == Status.GAP  # nobody has acknowledged yet
    actions.acknowledge(company.member, version)
    assert _monitoring(company) == Status.MET


def test_network_details_of_old_acknowledgements_can_be_erased(company: Company, clock: Clock) -> None:
    from harbour.core import context

    version = published_conduct(company)
    assert company.member is not None
    token = context.bind(context.RequestFacts(ip="203.0.113.9", user_agent="Old browser"))
    try:
        actions.acknowledge(company.member, version)
    finally:
        context.reset(token)
    erasable = category("policy_acknowledgement_network")
    assert erasable is not None
    today = clock.at.date()
    assert list(erasable.find_due(company.tenant.pk, today, 30)) == []
    due = erasable.find_due(company.tenant.pk, today + dt.timedelta(days=40), 30)
    assert len(due) == 1
    assert erasable.erase(company.tenant.pk, due) == 1
    ack = Acknowledgement.objects.for_tenant(company.tenant).get()
    assert (ack.ip_address, ack.user_agent, ack.member_name) == (None, "", "Gary General")


def test_the_demo_seed_publishes_the_conduct_policy_with_some_acknowledgements(company: Company) -> None:
    assert company.admin is not None and company.member is not None
    seed_policies(company.system, company.admin, company.member)
    conduct = PolicyVersion.objects.for_tenant(company.tenant).get(document__kind=PolicyKind.CONDUCT)
    assert conduct.state == VersionState.PUBLISHED and conduct.scope_all
    progress = progress_of(conduct)
    assert progress.acknowledged > 0 and progress.outstanding > 0
    assert not Acknowledgement.objects.for_tenant(company.tenant).filter(member=company.member).exists()
    monitoring = PolicyVersion.objects.for_tenant(company.tenant).get(document__kind=PolicyKind.MONITORING)
    assert monitoring.state == VersionState.DRAFT and monitoring.body_zh
