"""Company announcements with the four-part template (background, effective date, consequences of violation,
IT support contact), each text part in English and Traditional Chinese, and one delivery row per recipient
fixed when the announcement is sent (its read receipt lives there)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned


class Audience(models.TextChoices):
    EVERYONE = "all", _("All members")
    DEPARTMENTS = "departments", _("Chosen departments (with their sub-departments)")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh-hant", _("Traditional Chinese")
    BOTH = "both", _("English and Traditional Chinese")


# The parts that must all be filled in before an announcement can be sent or scheduled, in reading order.
REQUIRED_PARTS: tuple[str, ...] = (
    "title",
    "title_zh",
    "background_en",
    "background_zh",
    "effective_date",
    "consequences_en",
    "consequences_zh",
    "it_contact_en",
    "it_contact_zh",
)


class Announcement(TenantOwned):
    """draft → scheduled (a Hong Kong time in the future; cancelling returns it to draft) → sent (final)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", pgettext_lazy("announcement state", "Scheduled")
        SENT = "sent", pgettext_lazy("announcement state", "Sent")

    title = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200, blank=True)
    background_en = models.TextField(blank=True)
    background_zh = models.TextField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    consequences_en = models.TextField(blank=True)
    consequences_zh = models.TextField(blank=True)
    it_contact_en = models.TextField(blank=True)
    it_contact_zh = models.TextField(blank=True)
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    # Chosen departments as [{"id", "name"}]: the names stay readable after a department is renamed.
    departments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_count = models.PositiveIntegerField(default=0)

    audit_fields = (
        "title",
        "title_zh",
        "background_en",
        "background_zh",
        "effective_date",
        "consequences_en",
        "consequences_zh",
        "it_contact_en",
        "it_contact_zh",
        "audience",
        "departments",
        "state",
        "scheduled_for",
        "sent_at",
        "recipient_count",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "state", "scheduled_for"], name="announcement_due"),
            models.Index(fields=["tenant", "sent_at"], name="announcement_sent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def department_names(self) -> list[str]:
        return [str(d.get("name", "")) for d in self.departments]

    @property
    def department_ids(self) -> list[str]:
        return [str(d.get("id", "")) for d in self.departments]

    def missing_parts(self) -> list[str]:
        """The required fields still empty (``department_ids`` too when departments were chosen but none
        named): an announcement is sent or scheduled only when this is empty."""
        missing = [name for name in REQUIRED_PARTS if not _filled(getattr(self, name))]
        if self.audience == Audience.DEPARTMENTS and not self.departments:
            missing.append("department_ids")
        return missing

    def in_language(self, language: str) -> dict[str, object]:
        """The text parts in one language (Chinese for ``zh-hant``, English otherwise)."""
        zh = language == Language.CHINESE
        return {
            "title": self.title_zh if zh else self.title,
            "background": self.background_zh if zh else self.background_en,
            "effective_date": self.effective_date,
            "consequences": self.consequences_zh if zh else self.consequences_en,
            "it_contact": self.it_contact_zh if zh else self.it_contact_en,
        }


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


class Delivery(TenantOwned):
    """One recipient of a sent announcement: who (kept by name too), their department then, the language
    they were written to in, and when they first read it (set once)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_name = models.CharField(max_length=150)
    member_email = models.CharField(max_length=254, blank=True)
    department_name = models.CharField(max_length=120, blank=True)  # primary department when sent
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.BOTH)
    delivered_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("announcement", "member", "member_name", "language", "delivered_at", "read_at")

    class Meta:
        ordering = ["member_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "member"], name="announcement_delivery_once")
        ]
        indexes = [
            models.Index(fields=["tenant", "member", "read_at"], name="announcement_inbox"),
            models.Index(fields=["tenant", "announcement", "read_at"], name="announcement_receipts"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.member_name}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReaderLanguage(TenantOwned):
    """The language a member chose for announcements (console and email). Without one, emails carry both."""

    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, choices=Language.choices)

    audit_fields = ("member", "language")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "member"], name="announcement_reader_language")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.language}"


PART_LABELS = {
    "title": _("Title (English)"),
    "title_zh": _("Title (Traditional Chinese)"),
    "background_en": _("Background (English)"),
    "background_zh": _("Background (Traditional Chinese)"),
    "effective_date": _("Effective date"),
    "consequences_en": _("Consequences of violation (English)"),
    "consequences_zh": _("Consequences of violation (Traditional Chinese)"),
    "it_contact_en": _("IT support contact (English)"),
    "it_contact_zh": _("IT support contact (Traditional Chinese)"),
    "department_ids": _("Departments"),
}
