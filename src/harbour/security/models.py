"""A company's security settings, its bound email domains, security incidents and baseline exceptions."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned

DEFAULT_SESSION_MINUTES = 12 * 60
DEFAULT_TEMPORARY_DAYS = 7
INCIDENT_REPORTING_HOURS = 24


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class SecuritySettings(TenantOwned):
    """One row per company: the switches on the console's Security settings page.

    Audit retention is the operation log's own setting (``audit.AuditPolicy``); the page shows both.
    """

    sso_only = models.BooleanField(default=False)
    mfa_for_admins = models.BooleanField(default=False)
    domain_binding = models.BooleanField(default=False)
    company_devices_only = models.BooleanField(default=False)
    allowed_networks = models.JSONField(default=list, blank=True)  # CIDR strings; empty: anywhere
    refuse_outside_networks = models.BooleanField(default=False)  # else only flagged as risky
    working_hours_start = models.TimeField(default=dt.time(8, 0))
    working_hours_end = models.TimeField(default=dt.time(20, 0))
    working_days = models.JSONField(default=_weekdays, blank=True)  # Monday = 0
    session_lifetime_minutes = models.PositiveIntegerField(default=DEFAULT_SESSION_MINUTES)
    external_auto_join = models.BooleanField(default=False)
    temporary_max_days = models.PositiveIntegerField(default=DEFAULT_TEMPORARY_DAYS)
    break_glass_member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Incident rules (changed on the incident register's rules page, not the settings page):
    # a designated critical-infrastructure operator under Cap. 653 (CI-CAP653) reports incidents of its
    # critical computer systems to the Commissioner within 12 or 48 hours;
    designated_ci_operator = models.BooleanField(default=False)
    # the proposed (not in force) mandatory breach notice within 5 business days (DBN-PROPOSALS).
    breach_notice_proposal = models.BooleanField(default=False)

    INCIDENT_RULE_FIELDS: ClassVar[tuple[str, ...]] = ("designated_ci_operator", "breach_notice_proposal")

    FIELDS: ClassVar[tuple[str, ...]] = (
        "sso_only",
        "mfa_for_admins",
        "domain_binding",
        "company_devices_only",
        "allowed_networks",
        "refuse_outside_networks",
        "working_hours_start",
        "working_hours_end",
        "working_days",
        "session_lifetime_minutes",
        "external_auto_join",
        "temporary_max_days",
        "break_glass_member",
    )
    audit_fields = FIELDS

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="security_settings_one_per_tenant")]

    def __str__(self) -> str:
        return str(_("Security settings"))


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class TenantDomain(TenantOwned):
    """An email domain the company claims. Verified by a DNS TXT record (or an audited override);
    a verified domain belongs to one company only."""

    lives_with_tenant = False  # the registry: one company per verified domain, across databases

    TXT_PREFIX = "harbour-verification="

    class Method(models.TextChoices):
        DNS = "dns", _("DNS TXT record")
        OVERRIDE = "override", _("Marked verified by an administrator")

    name = models.CharField(max_length=253)
    token = models.CharField(max_length=64, default=new_verification_token, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    override_reason = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_result = models.CharField(max_length=200, blank=True)

    audit_fields = ("name", "verified_at", "method", "override_reason")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="domain_once_per_tenant"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(verified_at__isnull=False), name="verified_domain_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def txt_value(self) -> str:
        return f"{self.TXT_PREFIX}{self.token}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class IncidentKind(models.TextChoices):
    SUSPICIOUS_LOGIN = "suspicious_login", _("Suspicious sign-in")
    SELF_REPORTED = "self_reported", _("Account reported compromised by its holder")
    BREAK_GLASS = "break_glass", _("Break-glass sign-in")
    OTHER = "other", _("Other security incident")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class IncidentState(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Reported to IT compliance")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed as harmless")


class Incident(TenantOwned):
    """A security incident with its internal reporting clock.

    ``report_due_at`` is stored, not derived, so that later rules (personal-data breaches, critical
    infrastructure operators' shorter clocks) can set their own deadline on the same register.
    """

    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=32, choices=IncidentKind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    state = models.CharField(max_length=12, choices=IncidentState.choices, default=IncidentState.OPEN)
    title = models.CharField(max_length=200)
    subject = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.JSONField(default=list, blank=True)
    detected_at = models.DateTimeField()
    report_due_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_summary = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    # Personal-data breach (DBN-GUIDE-2023): what it touched, and the last of the five steps completed.
    is_breach = models.BooleanField(default=False)
    breach_marked_at = models.DateTimeField(null=True, blank=True)
    breach_occurred_at = models.DateTimeField(null=True, blank=True)
    data_kinds = models.JSONField(default=list, blank=True)
    affected_estimate = models.PositiveIntegerField(null=True, blank=True)
    systems = models.TextField(blank=True)
    breach_step = models.PositiveSmallIntegerField(default=0)
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    # The proposed 5-business-day notice to the PCPD (DBN-PROPOSALS); only set while the company has the
    # proposal switched on and the breach carries a real risk of significant harm.
    pcpd_due_at = models.DateTimeField(null=True, blank=True)
    pcpd_notified_at = models.DateTimeField(null=True, blank=True)
    pcpd_overdue_notified_at = models.DateTimeField(null=True, blank=True)

    # Critical infrastructure (CI-CAP653): report to the Commissioner within 12 h (core function disrupted)
    # or 48 h, stored beside the internal 24-hour clock.
    critical_system = models.BooleanField(default=False)
    core_function_disrupted = models.BooleanField(default=False)
    ci_report_due_at = models.DateTimeField(null=True, blank=True)
    ci_reported_at = models.DateTimeField(null=True, blank=True)
    ci_report_summary = models.TextField(blank=True)
    ci_overdue_notified_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "reference",
        "kind",
        "severity",
        "state",
        "title",
        "report_due_at",
        "reported_at",
        "is_breach",
        "data_kinds",
        "affected_estimate",
        "breach_step",
        "risk_level",
        "pcpd_due_at",
        "critical_system",
        "ci_report_due_at",
        "ci_reported_at",
    )

    class Meta:
        ordering = ["-detected_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "reference"], name="incident_reference")]
        indexes = [models.Index(fields=["tenant", "state", "report_due_at"], name="incident_clock")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class IncidentNote(TenantOwned):
    """The incident's timeline: what was done, by whom, when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class BreachStep(TenantOwned):
    """One of the PCPD's five steps of a personal-data breach, completed: when, by whom, what was recorded
    (``data``: the step's fields) and the person's notes."""

    class Step(models.IntegerChoices):
        GATHER = 1, _("Gather essential information")
        CONTAIN = 2, _("Contain the breach")
        ASSESS = 3, _("Assess the risk of harm")
        DECIDE = 4, _("Consider notification")
        DOCUMENT = 5, _("Document the breach")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="breach_steps")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    completed_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)

    audit_fields = ("step", "completed_at", "data", "notes")

    class Meta:
        ordering = ["step"]
        constraints = [models.UniqueConstraint(fields=["incident", "step"], name="breach_step_once")]

    def __str__(self) -> str:
        return self.get_step_display()


class BaselineException(TenantOwned):
    """An accepted deviation from one baseline rule, with its reason and an end date."""

    rule_id = models.CharField(max_length=40)
    rationale = models.TextField()
    expires_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("rule_id", "rationale", "expires_at", "revoked_at")

    class Meta:
        ordering = ["rule_id", "-created_at"]

    def __str__(self) -> str:
        return self.rule_id


class Notice(TenantOwned):
    """A console notification for one member ("INC-2026-0003 is overdue"). Generic: any app may post one
    (``security.notices.post_notice``); the member reads them on the Notices page."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "member", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return self.title
