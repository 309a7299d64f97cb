"""Policy documents (the Employee Conduct Policy, the workplace monitoring policy, others), their versions in
English and Traditional Chinese, members' acknowledgements of a published version, and the reminders sent.

Who must acknowledge a version is not stored: it is worked out from the version's scope (every member, or
chosen departments with their subtrees) over the accounts that are active or invited, so a new hire joins the
scope as soon as their account exists, and a leaver drops out of it when deactivated."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned


class PolicyKind(models.TextChoices):
    CONDUCT = "conduct", _("Employee Conduct Policy")
    MONITORING = "monitoring", _("Workplace monitoring policy")
    OTHER = "other", pgettext_lazy("policy kind", "Other policy")


# A company keeps one conduct policy and one monitoring policy (each with its versions); any number of others.
SINGLE_KINDS = (PolicyKind.CONDUCT, PolicyKind.MONITORING)


class PolicyDocument(TenantOwned):
    kind = models.CharField(max_length=12, choices=PolicyKind.choices)
    name = models.CharField(max_length=150)
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_fields = ("kind", "name")

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind"],
                condition=Q(kind__in=["conduct", "monitoring"]),
                name="policy_document_one_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("policy version state", "Published")
    SUPERSEDED = "superseded", _("Superseded")


DEFAULT_DEADLINE_DAYS = 14
MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS = 1, 90


class PolicyVersion(TenantOwned):
    """One text of a document: draft → published (everyone in scope acknowledges it) → superseded (a newer
    version was published; its acknowledgements stay as evidence but count for nothing newer)."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    body_en = models.TextField(blank=True)
    body_zh = models.TextField(blank=True)
    change_summary = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when published.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline_days = models.PositiveSmallIntegerField(default=DEFAULT_DEADLINE_DAYS)
    scope_all = models.BooleanField(default=True)
    # [{"id", "name"}] of the departments (with their subtrees) in scope when not everyone.
    scope_departments = models.JSONField(default=list, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "number",
        "title_en",
        "title_zh",
        "change_summary",
        "state",
        "published_at",
        "deadline_days",
        "scope_all",
        "scope_departments",
        "superseded_at",
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policy_version_number"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(state="published"), name="policy_version_one_published"
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(state="draft"), name="policy_version_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "state"], name="policy_version_state")]

    def __str__(self) -> str:
        return f"{self.document.name} v{self.number}"

    def title_in(self, language: str) -> str:
        return (
            (self.title_zh if language.startswith("zh") else self.title_en) or self.title_en or self.title_zh
        )

    def body_in(self, language: str) -> str:
        return (self.body_zh if language.startswith("zh") else self.body_en) or self.body_en or self.body_zh

    @property
    def scope_department_ids(self) -> list[str]:
        return [str(d.get("id", "")) for d in self.scope_departments]

    @property
    def scope_names(self) -> list[str]:
        return [str(d.get("name", "")) for d in self.scope_departments]


class Acknowledgement(TenantOwned):
    """A member's statement that they read and accept one version. Written once, never changed."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    # The name and address are kept too, so the evidence reads the same if the account is erased.
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_name = models.CharField(max_length=150)
    member_email = models.CharField(max_length=254)
    acknowledged_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    audit_fields = ("version", "member", "acknowledged_at", "ip_address", "user_agent")

    class Meta:
        ordering = ["-acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="policy_acknowledgement_once")
        ]
        indexes = [models.Index(fields=["tenant", "member"], name="policy_ack_by_member")]

    def __str__(self) -> str:
        return f"{self.member_name} acknowledged {self.version_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("an acknowledgement is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("an acknowledgement is never deleted")


class ReminderStage(models.TextChoices):
    """In order of urgency: the first notice, then 7, 3 and 1 days before the deadline, then overdue."""

    ASSIGNED = "assigned", _("Asked to acknowledge")
    DAYS_7 = "7d", _("7 days before the deadline")
    DAYS_3 = "3d", _("3 days before the deadline")
    DAYS_1 = "1d", _("1 day before the deadline")
    OVERDUE = "overdue", _("Overdue")


class PolicyReminder(TenantOwned):
    """One message sent to one member about one version at one stage (so each stage is sent once)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "member", "stage"], name="policy_reminder_once")
        ]
        indexes = [models.Index(fields=["tenant", "version", "member"], name="policy_reminder_by_member")]

    def __str__(self) -> str:
        return f"{self.stage} reminder"
