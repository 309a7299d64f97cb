"""Temporary collaborators: a member's request for an external person's time-boxed account, its extensions
and the reminders sent before it ends."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Active")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Ended early")


OPEN_STATES = (RequestState.REQUESTED, RequestState.APPROVED)


class CollaboratorRequest(TenantOwned):
    """A sponsor asks for an external person to get access for ``days`` days, for a stated purpose.

    Approved, it holds the account it created and when that account's access ends (``ends_at``, kept equal to
    the account's ``access_expires_at``); ``term_started_at`` is when the current end was set (the approval,
    or the last approved extension), from which reminders are counted."""

    sponsor = models.ForeignKey(
        "directory.Member", null=True, on_delete=models.SET_NULL, related_name="sponsored_collaborators"
    )
    email = models.EmailField()
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200)
    purpose = models.TextField()
    department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    days = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.REQUESTED)
    decided_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    member = models.ForeignKey(
        "directory.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborator_requests",
    )
    term_started_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    audit_fields = (
        "sponsor",
        "email",
        "name",
        "organisation",
        "purpose",
        "department",
        "days",
        "state",
        "decided_by",
        "decision_reason",
        "member",
        "ends_at",
        "ended_at",
        "end_reason",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "state", "ends_at"], name="collaborator_due"),
            models.Index(fields=["tenant", "sponsor"], name="collaborator_by_sponsor"),
            models.Index(fields=["tenant", "email"], name="collaborator_by_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.organisation})"

    # Permission target protocol (core.permissions): it sits in its department; the sponsor owns it.
    def permission_paths(self) -> tuple[str, ...]:
        return (self.department.path,) if self.department_id and self.department else ()

    def owner_id(self) -> uuid.UUID | None:
        return self.sponsor_id

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled (access ended first)")


class CollaboratorExtension(TenantOwned):
    """More time for an active collaborator: a new end, approved like the request itself. The new end is
    capped at the company's longest term counted from the moment it is approved."""

    request = models.ForeignKey(CollaboratorRequest, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        "directory.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ends_at = models.DateTimeField()
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=ExtensionState.choices, default=ExtensionState.REQUESTED)
    previous_ends_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    audit_fields = ("request", "requested_by", "ends_at", "reason", "state", "decided_by", "decision_reason")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(state="requested"),
                name="collaborator_one_open_extension",
            )
        ]

    def __str__(self) -> str:
        return f"extension of {self.request_id} to {self.ends_at:%Y-%m-%d %H:%M}"

    def permission_paths(self) -> tuple[str, ...]:
        return self.request.permission_paths()

    def owner_id(self) -> uuid.UUID | None:
        return self.requested_by_id


class CollaboratorReminder(TenantOwned):
    """A reminder sent before a collaborator's access ends: once per end and per lead time, so a second run
    of the job sends nothing and an extension (a new end) is reminded afresh."""

    request = models.ForeignKey(CollaboratorRequest, on_delete=models.CASCADE, related_name="reminders")
    ends_at = models.DateTimeField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)  # the addresses written to

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "ends_at", "days_before"], name="collaborator_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before} day(s) before {self.ends_at:%Y-%m-%d %H:%M}"
