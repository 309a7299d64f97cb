"""Login risk detection: rules look at each completed sign-in (``signals.signed_in``) and each refused
password (``signals.sign_in_refused``); each rule that fires writes a ``RiskEvent`` (audited as
``login.risk``), and high risk opens a security incident with its 24-hour reporting clock.

Rules and severities:

==================  ========  =====================================================================
rule                severity  fires when
==================  ========  =====================================================================
new_device          medium    the browser (its long-lived ``harbour_browser`` cookie; none at all
                              counts as unknown) was never used by this login in this company before,
                              and the login has signed in to the company before (a first sign-in
                              is not a "new" device)
outside_networks    medium    the company lists allowed networks and the address is in none of them
                              (when the company refuses such sign-ins they never get this far)
outside_hours       low       outside the company's working days and hours, in its own time zone
                              (a start after the end is an overnight shift: 22:00–06:00)
two_networks        medium    another live session of the same login in this company, seen in the
                              last 30 minutes from another browser, comes from another network (/24
                              for IPv4, /48 for IPv6); a browser that moved is not in two places
failed_burst        high      ``BURST_THRESHOLD`` or more refused passwords for the address inside the
                              lockout window; written once per window for each work account the
                              address names
==================  ========  =====================================================================

**High risk** — any high rule, or two or more medium ones in the same sign-in — opens a
``suspicious_login`` incident (subject: the member; evidence: the events' details; no owner until someone
takes it). While an incident of that member with one of the same rules is still open (not resolved or
dismissed), the new evidence is added to it instead of opening another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_transaction
from harbour.core.models import Tenant
from harbour.core.permissions import SystemActor
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.identity.models import LoginSession, RiskEvent, RiskRule
from harbour.identity.signals import sign_in_refused, signed_in
from harbour.security import incidents
from harbour.security.incident_clock import open_incidents
from harbour.security.models import IncidentKind, SecuritySettings, Severity
from harbour.security.queries import settings_of

log = logging.getLogger(__name__)

BURST_THRESHOLD = 5  # refused passwords for one address inside the lockout window
CONCURRENT_WINDOW = dt.timedelta(minutes=30)  # "at once": the other session was seen this recently
IPV4_NETWORK_BITS = 24
IPV6_NETWORK_BITS = 48

SEVERITY: dict[str, str] = {
    RiskRule.NEW_DEVICE: Severity.MEDIUM,
    RiskRule.OUTSIDE_NETWORKS: Severity.MEDIUM,
    RiskRule.OUTSIDE_HOURS: Severity.LOW,
    RiskRule.TWO_NETWORKS: Severity.MEDIUM,
    RiskRule.FAILED_BURST: Severity.HIGH,
}
ACTOR_LABEL = "login risk detection"
incidents.register_evidence_labels({rule.value: rule.label for rule in RiskRule})


@dataclass
class Finding:
    rule: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return SEVERITY[self.rule]


def is_high_risk(findings: list[Finding]) -> bool:
    severities = [f.severity for f in findings]
    return (
        any(s in (Severity.HIGH, Severity.CRITICAL) for s in severities)
        or severities.count(Severity.MEDIUM) >= 2
    )


def network_of(ip: str) -> str | None:
    """The network an address belongs to for "two networks at once": its /24 (IPv4) or /48 (IPv6)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    bits = IPV4_NETWORK_BITS if address.version == 4 else IPV6_NETWORK_BITS
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))


def _fingerprint(browser_id: str) -> str:
    """Evidence names a browser by a digest: the cookie's value itself is not for administrators' eyes."""
    return hashlib.sha256(browser_id.encode()).hexdigest()[:12] if browser_id else ""


# ------------------------------------------------------------------------------------------------- rules
def new_device(member: Member, session: LoginSession) -> Finding | None:
    earlier = LoginSession.objects.filter(account_id=session.account_id, tenant_id=member.tenant_id).exclude(
        pk=session.pk
    )
    if not earlier.exists():
        return None
    if session.browser_id and earlier.filter(browser_id=session.browser_id).exists():
        return None
    return Finding(
        RiskRule.NEW_DEVICE,
        {"browser": _fingerprint(session.browser_id), "user_agent": session.user_agent[:200]},
    )


def outside_networks(settings_row: SecuritySettings, ip: str | None) -> Finding | None:
    networks = settings_row.allowed_networks or []
    if not networks or not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return None
        except ValueError:
            continue
    return Finding(RiskRule.OUTSIDE_NETWORKS, {"ip": ip, "allowed_networks": list(networks)})


def _zone(tenant: Tenant) -> ZoneInfo:
    try:
        return ZoneInfo(tenant.time_zone or "Asia/Hong_Kong")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Hong_Kong")


def within_working_hours(settings_row: SecuritySettings, at_local: dt.datetime) -> bool:
    start, end = settings_row.working_hours_start, settings_row.working_hours_end
    days = settings_row.working_days or []
    t = at_local.time()
    if start <= end:
        return at_local.weekday() in days and start <= t < end
    # overnight: the shift belongs to the day it started on
    if t >= start:
        return at_local.weekday() in days
    if t < end:
        return (at_local - dt.timedelta(days=1)).weekday() in days
    return False


def outside_hours(settings_row: SecuritySettings, tenant: Tenant, at: dt.datetime) -> Finding | None:
    zone = _zone(tenant)
    at_local = at.astimezone(zone)
    if within_working_hours(settings_row, at_local):
        return None
    return Finding(
        RiskRule.OUTSIDE_HOURS,
        {
            "local_time": at_local.isoformat(timespec="minutes"),
            "time_zone": str(zone),
            "working_hours": f"{settings_row.working_hours_start:%H:%M}-"
            f"{settings_row.working_hours_end:%H:%M}",
            "working_days": list(settings_row.working_days or []),
        },
    )


def two_networks(member: Member, session: LoginSession, at: dt.datetime) -> Finding | None:
    here = network_of(session.ip) if session.ip else None
    if here is None:
        return None
    others = (
        LoginSession.objects.filter(
            account_id=session.account_id,
            tenant_id=member.tenant_id,
            ended_at__isnull=True,
            expires_at__gt=at,
            last_seen_at__gte=at - CONCURRENT_WINDOW,
        )
        .exclude(pk=session.pk)
        .exclude(ip__isnull=True)
        .order_by("-last_seen_at")
    )
    if session.browser_id:  # one browser is in one place: its older session moved with it (office → home)
        others = others.exclude(browser_id=session.browser_id)
    for other in others:
        there = network_of(other.ip) if other.ip else None
        if there is not None and there != here:
            return Finding(
                RiskRule.TWO_NETWORKS,
                {
                    "ip": session.ip,
                    "other_ip": other.ip,
                    "other_session": str(other.pk),
                    "other_last_seen_at": other.last_seen_at.isoformat(),
                },
            )
    return None


def sign_in_findings(member: Member, session: LoginSession, at: dt.datetime) -> list[Finding]:
    settings_row = settings_of(member.tenant_id)
    tenant = Tenant.objects.get(pk=member.tenant_id)
    found = [
        new_device(member, session),
        outside_networks(settings_row, session.ip),
        outside_hours(settings_row, tenant, at),
        two_networks(member, session, at),
    ]
    return [f for f in found if f is not None]


# ---------------------------------------------------------------------------------------------- recording
def _evidence(event: RiskEvent) -> dict[str, Any]:
    return {
        "type": "risk_event",
        "risk_event": str(event.pk),
        "rule": event.rule,
        "severity": event.severity,
        "ip": event.ip,
        "at": event.created_at.isoformat(),
        "login_session": str(event.login_session) if event.login_session else None,
        "detail": event.detail,
    }


def _incident_title(member: Member, findings: list[Finding]) -> str:
    rules = ", ".join(str(RiskRule(f.rule).label) for f in findings)
    return (_("Suspicious sign-in of %(name)s: %(rules)s") % {"name": member.name, "rules": rules})[:200]


def record_findings(
    member: Member, findings: list[Finding], *, ip: str | None, login_session: uuid.UUID | None = None
) -> list[RiskEvent]:
    """Write one RiskEvent per finding; on high risk open an incident (or add to the member's open one
    sharing a rule). One transaction in the member's company."""
    if not findings:
        return []
    actor = SystemActor(member.tenant_id, ACTOR_LABEL)
    with tenant_transaction(member.tenant_id):
        events = []
        for finding in findings:
            event = RiskEvent.objects.create(
                tenant_id=member.tenant_id,
                member=member,
                rule=finding.rule,
                severity=finding.severity,
                ip=ip,
                detail=finding.detail,
                login_session=login_session,
            )
            record(actor, "login.risk", target=member, rule=finding.rule, severity=finding.severity, ip=ip)
            events.append(event)
        if is_high_risk(findings):
            _open_or_extend(actor, member, findings, events)
    return events


def _open_or_extend(
    actor: SystemActor, member: Member, findings: list[Finding], events: list[RiskEvent]
) -> None:
    # Two risky sign-ins of one member at the same moment must not open two incidents: the company row is
    # locked before looking for an open one (opening an incident locks it anyway, for its reference).
    Tenant.objects.select_for_update().filter(pk=member.tenant_id).first()
    rules = {f.rule for f in findings}
    severity = Severity.HIGH
    evidence = [_evidence(e) for e in events]
    candidates = open_incidents(member.tenant_id).filter(kind=IncidentKind.SUSPICIOUS_LOGIN, subject=member)
    existing = next(
        (i for i in candidates.order_by("detected_at") if rules & {e.get("rule") for e in i.evidence}), None
    )
    if existing is not None:
        incident = incidents.add_evidence(actor, existing, evidence, severity=severity)
    else:
        incident = incidents.open_incident(
            actor,
            kind=IncidentKind.SUSPICIOUS_LOGIN,
            severity=severity,
            title=_incident_title(member, findings),
            subject=member,
            evidence=evidence,
        )
    RiskEvent.objects.for_tenant(member.tenant_id).filter(pk__in=[e.pk for e in events]).update(
        incident=incident
    )


# ---------------------------------------------------------------------------------------------- receivers
@receiver(signed_in)
def assess_sign_in(
    sender: Any, request: HttpRequest, member: Member, login_session: LoginSession, **_kwargs: Any
) -> None:
    """A sign-in completed: run the rules. A fault here is logged and never undoes the sign-in."""
    try:
        findings = sign_in_findings(member, login_session, now())
        record_findings(member, findings, ip=login_session.ip, login_session=login_session.pk)
    except Exception:  # detection must not lock people out; the log shows the fault
        log.exception("login risk detection failed for member %s", member.pk)


def _burst_already_noted(member: Member) -> bool:
    since = now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return (
        RiskEvent.objects.for_tenant(member.tenant_id)
        .filter(member=member, rule=RiskRule.FAILED_BURST, created_at__gte=since)
        .exists()
    )


@receiver(sign_in_refused)
def assess_refused_password(
    sender: Any,
    request: HttpRequest,
    email: str,
    ip: str | None,
    failures: int,
    members: list[Member],
    **_kwargs: Any,
) -> None:
    """A password was refused: at ``BURST_THRESHOLD`` failures inside the window, each work account the
    address names gets a high-risk event (once per window), which opens an incident."""
    if failures < BURST_THRESHOLD:
        return
    for member in members:
        try:
            if _burst_already_noted(member):
                continue
            detail = {
                "failures": failures,
                "threshold": BURST_THRESHOLD,
                "window_minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60,
                "ip": ip,
            }
            record_findings(member, [Finding(RiskRule.FAILED_BURST, detail)], ip=ip)
        except Exception:
            log.exception("login risk detection failed for member %s", member.pk)
