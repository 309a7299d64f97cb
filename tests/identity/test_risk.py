"""Suspicious sign-in detection: real sign-ins through the login page, each rule firing and not firing,
and high risk opening a security incident with its 24-hour clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.directory.models import Member
from harbour.identity.models import LoginSession, RiskEvent, RiskRule
from harbour.identity.risk import BURST_THRESHOLD, network_of
from harbour.security import incidents
from harbour.security.actions import update_settings
from harbour.security.models import Incident, IncidentKind, IncidentState, Severity
from tests.factories import PASSWORD, Company

HK = ZoneInfo("Asia/Hong_Kong")
WEDNESDAY_MORNING = dt.datetime(2026, 11, 25, 10, 0, tzinfo=HK)  # a working day, inside 08:00-20:00
OFFICE_IP = "203.0.113.10"


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.at = self.at + dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Every ``timezone.now()`` (sessions, the risk rules, the audit log) reads this clock."""
    c = Clock(WEDNESDAY_MORNING)
    monkeypatch.setattr(timezone, "now", c.now)
    yield c


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(device: str = "laptop-1") -> Client:
    client = Client()
    client.cookies["harbour_browser"] = device
    return client


def sign_in(client: Client, member: Member, *, ip: str = OFFICE_IP, password: str = PASSWORD) -> int:
    response = client.post("/login/", {"email": member.email, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def rules_of(member: Member) -> list[str]:
    return sorted(
        RiskEvent.objects.for_tenant(member.tenant_id).filter(member=member).values_list("rule", flat=True)
    )


def incidents_of(member: Member) -> list[Incident]:
    return list(Incident.objects.for_tenant(member.tenant_id).filter(subject=member))


@pytest.fixture
def member(company: Company) -> Member:
    assert company.member is not None
    return company.member


# ------------------------------------------------------------------------------------------- new device
def test_first_sign_in_is_not_a_new_device(member: Member, clock: Clock) -> None:
    assert sign_in(browser(), member) == 302
    assert rules_of(member) == []


def test_known_browser_raises_nothing_and_another_browser_is_a_new_device(
    member: Member, clock: Clock
) -> None:
    assert sign_in(browser("laptop-1"), member) == 302
    assert sign_in(browser("laptop-1"), member) == 302
    assert rules_of(member) == []
    assert sign_in(browser("phone-7"), member) == 302
    assert rules_of(member) == [RiskRule.NEW_DEVICE]
    event = RiskEvent.objects.for_tenant(member.tenant_id).get(member=member)
    assert event.severity == Severity.MEDIUM
    assert "phone-7" not in str(event.detail)  # evidence names the browser by a digest only
    assert incidents_of(member) == []  # one medium rule is not high risk
    assert AuditEvent.objects.for_tenant(member.tenant_id).filter(kind="login.risk").count() == 1


def test_a_browser_without_its_cookie_counts_as_new(member: Member, clock: Clock) -> None:
    assert sign_in(browser("laptop-1"), member) == 302
    assert sign_in(Client(), member) == 302
    assert rules_of(member) == [RiskRule.NEW_DEVICE]


# ------------------------------------------------------------------------------------- allowed networks
def test_outside_allowed_networks_fires_only_when_networks_are_listed(
    company: Company, member: Member, clock: Clock
) -> None:
    assert sign_in(browser(), member, ip="198.51.100.7") == 302
    assert rules_of(member) == []  # no list: anywhere is fine
    update_settings(company.system, {"allowed_networks": ["203.0.113.0/24", "2001:db8::/32"]})
    clock.advance(minutes=31)  # each sign-in after the last went idle: no "two networks at once"
    assert sign_in(browser(), member, ip="203.0.113.99") == 302
    clock.advance(minutes=31)
    assert sign_in(browser(), member, ip="2001:db8::5") == 302
    assert rules_of(member) == []
    clock.advance(minutes=31)
    assert sign_in(browser(), member, ip="198.51.100.7") == 302
    assert rules_of(member) == [RiskRule.OUTSIDE_NETWORKS]
    event = RiskEvent.objects.for_tenant(member.tenant_id).get(member=member)
    assert event.ip == "198.51.100.7"
    assert event.detail["allowed_networks"] == ["203.0.113.0/24", "2001:db8::/32"]


# ---------------------------------------------------------------------------------------- working hours
@pytest.mark.parametrize(
    ("local_time", "fires"),
    [
        (dt.datetime(2026, 11, 25, 8, 0), False),  # Wednesday, the first minute of the day
        (dt.datetime(2026, 11, 25, 19, 59), False),
        (dt.datetime(2026, 11, 25, 20, 0), True),  # the end is exclusive
        (dt.datetime(2026, 11, 25, 7, 59), True),
        (dt.datetime(2026, 11, 29, 10, 0), True),  # Sunday
    ],
)
def test_outside_working_hours(member: Member, clock: Clock, local_time: dt.datetime, fires: bool) -> None:
    clock.at = local_time.replace(tzinfo=HK)
    assert sign_in(browser(), member) == 302
    assert rules_of(member) == ([RiskRule.OUTSIDE_HOURS] if fires else [])


def test_working_hours_are_read_in_the_company_time_zone(
    company: Company, member: Member, clock: Clock
) -> None:
    company.tenant.time_zone = "Europe/London"
    company.tenant.save(update_fields=["time_zone"])
    clock.at = dt.datetime(2026, 11, 25, 10, 0, tzinfo=HK)  # 02:00 in London
    assert sign_in(browser(), member) == 302
    event = RiskEvent.objects.for_tenant(member.tenant_id).get(member=member)
    assert event.rule == RiskRule.OUTSIDE_HOURS and event.severity == Severity.LOW
    assert event.detail["local_time"].startswith("2026-11-25T02:00")


def test_working_days_and_an_overnight_shift(company: Company, member: Member, clock: Clock) -> None:
    update_settings(
        company.system, {"working_hours_start": "22:00", "working_hours_end": "06:00", "working_days": [5]}
    )
    clock.at = dt.datetime(2026, 11, 29, 3, 0, tzinfo=HK)  # Sunday 03:00: Saturday's night shift
    assert sign_in(browser(), member) == 302
    assert rules_of(member) == []
    clock.at = dt.datetime(2026, 11, 28, 12, 0, tzinfo=HK)  # Saturday noon: not a shift
    assert sign_in(browser(), member) == 302
    assert rules_of(member) == [RiskRule.OUTSIDE_HOURS]


# ------------------------------------------------------------------------------------------ two networks
def test_network_of_uses_slash_24_and_slash_48() -> None:
    assert network_of("203.0.113.10") == network_of("203.0.113.250") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2::1") == network_of("2001:db8:1:ffff::9") == "2001:db8:1::/48"
    assert network_of("not an address") is None


def test_sessions_from_two_networks_at_once(member: Member, clock: Clock) -> None:
    assert sign_in(browser("laptop-1"), member, ip="203.0.113.10") == 302
    clock.advance(minutes=10)
    assert sign_in(browser("phone-1"), member, ip="203.0.113.77") == 302  # same /24: same network
    assert rules_of(member) == [RiskRule.NEW_DEVICE]
    clock.advance(minutes=10)
    assert sign_in(browser("laptop-1"), member, ip="198.51.100.7") == 302  # the phone is still at the office
    assert rules_of(member) == [RiskRule.NEW_DEVICE, RiskRule.TWO_NETWORKS]
    event = RiskEvent.objects.for_tenant(member.tenant_id).get(member=member, rule=RiskRule.TWO_NETWORKS)
    assert event.detail["other_ip"] == "203.0.113.77" and event.detail["ip"] == "198.51.100.7"


def test_one_browser_that_moved_is_not_in_two_places(member: Member, clock: Clock) -> None:
    assert sign_in(browser("laptop-1"), member, ip="203.0.113.10") == 302
    clock.advance(minutes=10)
    assert sign_in(browser("laptop-1"), member, ip="198.51.100.7") == 302  # office, then home
    assert rules_of(member) == []


def test_an_idle_or_ended_other_session_does_not_count(member: Member, clock: Clock) -> None:
    assert sign_in(browser("laptop-1"), member, ip="203.0.113.10") == 302
    assert sign_in(browser("phone-1"), member, ip="203.0.113.10") == 302
    clock.advance(minutes=31)  # the phone was not seen for more than 30 minutes
    assert sign_in(browser("laptop-1"), member, ip="198.51.100.7") == 302
    assert RiskRule.TWO_NETWORKS not in rules_of(member)
    LoginSession.objects.filter(account=member.account).update(ended_at=clock.now())
    assert sign_in(browser("phone-1"), member, ip="192.0.2.1") == 302  # every other session has ended
    assert RiskRule.TWO_NETWORKS not in rules_of(member)


# ------------------------------------------------------------------------------------------------- burst
def test_a_burst_of_failed_passwords_opens_an_incident(member: Member, clock: Clock) -> None:
    client = browser()
    for _ in range(BURST_THRESHOLD - 1):
        assert sign_in(client, member, password="wrong", ip="192.0.2.66") == 400
    assert rules_of(member) == []
    assert sign_in(client, member, password="wrong", ip="192.0.2.66") == 400
    assert rules_of(member) == [RiskRule.FAILED_BURST]
    [incident] = incidents_of(member)
    assert incident.kind == IncidentKind.SUSPICIOUS_LOGIN
    assert incident.severity == Severity.HIGH
    assert incident.state == IncidentState.OPEN
    assert incident.owner_id is None
    assert incident.detected_at == clock.now()
    assert incident.report_due_at == clock.now() + dt.timedelta(hours=24)
    assert incident.reference == f"INC-{clock.at.year}-0001"
    [evidence] = incident.evidence
    assert evidence["rule"] == RiskRule.FAILED_BURST and evidence["detail"]["failures"] == BURST_THRESHOLD
    event = RiskEvent.objects.for_tenant(member.tenant_id).get(member=member)
    assert event.incident_id == incident.pk
    kinds = list(AuditEvent.objects.for_tenant(member.tenant_id).values_list("kind", flat=True))
    assert "login.risk" in kinds and "incident.opened" in kinds


def test_a_second_burst_adds_to_the_open_incident_and_a_closed_one_is_not_reused(
    company: Company, member: Member, clock: Clock
) -> None:
    for _ in range(BURST_THRESHOLD):
        sign_in(browser(), member, password="wrong")
    clock.advance(minutes=20)  # past the 15-minute window: the lockout is over, counting starts again
    for _ in range(BURST_THRESHOLD):
        sign_in(browser(), member, password="wrong")
    [incident] = incidents_of(member)
    assert len(incident.evidence) == 2
    assert rules_of(member) == [RiskRule.FAILED_BURST, RiskRule.FAILED_BURST]

    incidents.dismiss_incident(company.system, incident, reason="the holder mistyped; confirmed by phone")
    clock.advance(minutes=20)
    for _ in range(BURST_THRESHOLD):
        sign_in(browser(), member, password="wrong")
    assert len(incidents_of(member)) == 2


def test_two_medium_rules_together_are_high_risk(company: Company, member: Member, clock: Clock) -> None:
    update_settings(company.system, {"allowed_networks": ["203.0.113.0/24"]})
    assert sign_in(browser("laptop-1"), member) == 302
    assert sign_in(browser("stranger"), member, ip="198.51.100.7") == 302  # new device, outside, two networks
    assert set(rules_of(member)) == {RiskRule.NEW_DEVICE, RiskRule.OUTSIDE_NETWORKS, RiskRule.TWO_NETWORKS}
    [incident] = incidents_of(member)
    assert {e["rule"] for e in incident.evidence} == set(rules_of(member))
    assert incident.severity == Severity.HIGH


def test_a_low_rule_alone_opens_nothing(member: Member, clock: Clock) -> None:
    clock.at = dt.datetime(2026, 11, 29, 23, 0, tzinfo=HK)
    assert sign_in(browser(), member) == 302
    assert rules_of(member) == [RiskRule.OUTSIDE_HOURS]
    assert incidents_of(member) == []
