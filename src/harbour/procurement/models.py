"""Reseller due diligence: each buying company's register of resellers, its imports of the official partner
list, the quotes it received and the two sign-offs a purchase verdict needs."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned
from harbour.plans.models import Plan, Term


class ResellerStatus(models.TextChoices):
    TO_REVERIFY = "to_reverify", _("To be re-verified")
    VERIFIED = "verified", _("Verified")


def sla_upload_to(instance: Reseller, filename: str) -> str:
    """Files live per company under a random name: the person's file name is kept in ``sla_filename``."""
    return f"procurement/{instance.tenant_id}/sla/{uuid.uuid4().hex}.pdf"


class Reseller(TenantOwned):
    """A reseller the company may buy seats from, with the evidence gathered about it."""

    name = models.CharField(max_length=150)
    registered_name = models.CharField(max_length=200, blank=True)
    br_number = models.CharField(max_length=20, blank=True, help_text=_("Business Registration number"))
    hk_address = models.TextField(blank=True)
    # [{"name": …, "email": …, "phone": …}], validated by procurement.validation.clean_contacts.
    contacts = models.JSONField(default=list, blank=True)
    certificate_number = models.CharField(max_length=80, blank=True)
    certificate_verified_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certificate_verified_by_label = models.CharField(max_length=200, blank=True)
    certificate_verified_at = models.DateTimeField(null=True, blank=True)
    certificate_verification_note = models.TextField(blank=True)
    sla_document = models.FileField(upload_to=sla_upload_to, blank=True, max_length=200)
    sla_filename = models.CharField(max_length=200, blank=True)
    sla_signed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ResellerStatus.choices, default=ResellerStatus.TO_REVERIFY
    )
    notes = models.TextField(blank=True)

    audit_fields = (
        "name",
        "registered_name",
        "br_number",
        "hk_address",
        "contacts",
        "certificate_number",
        "certificate_verified_by",
        "certificate_verified_at",
        "certificate_verification_note",
        "sla_filename",
        "sla_signed_on",
        "status",
        "notes",
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="reseller_unique_name")]
        indexes = [models.Index(fields=["tenant", "name", "id"], name="reseller_by_name")]

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict[str, Any]:
        snap = super().snapshot()
        snap["sla_document"] = self.sla_document.name or ""
        return snap

    @property
    def certificate_verified(self) -> bool:
        return bool(self.certificate_number and self.certificate_verified_at is not None)

    @property
    def has_sla(self) -> bool:
        return bool(self.sla_document) and self.sla_signed_on is not None


class PartnerList(TenantOwned):
    """One import of DingTalk's official partner list, as published on ``published_on``. Every import is
    kept; the checklist reads the one published last."""

    published_on = models.DateField()
    imported_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text=_("File name, or how the rows came"))
    row_count = models.PositiveIntegerField(default=0)

    audit_fields = ("published_on", "source", "row_count")

    class Meta:
        ordering = ["-published_on", "-created_at"]
        indexes = [models.Index(fields=["tenant", "published_on", "created_at"], name="partner_list_newest")]

    def __str__(self) -> str:
        return f"partner list {self.published_on.isoformat()}"


class PartnerListEntry(TenantOwned):
    """A row of an imported list; ``name_key``/``br_key`` are the normalised forms resellers match by."""

    partner_list = models.ForeignKey(PartnerList, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    br_number = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=80, blank=True)
    name_key = models.CharField(max_length=200)
    br_key = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["line"]
        indexes = [
            models.Index(fields=["partner_list", "br_key"], name="partner_entry_by_br"),
            models.Index(fields=["partner_list", "name_key"], name="partner_entry_by_name"),
        ]

    def __str__(self) -> str:
        return self.name


class QuoteStatus(models.TextChoices):
    OPEN = "open", _("Being assessed")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("Awaiting sign-off")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class AnswerLanguage(models.TextChoices):
    CANTONESE = "cantonese", _("Cantonese")
    ENGLISH = "english", _("English")
    MANDARIN = "mandarin", _("Mandarin")
    OTHER = "other", _("Other")


class Capacity(models.TextChoices):
    """In which capacity a person signs a verdict off; each needs its own permission."""

    LEGAL = "legal", _("Legal")
    INFOSEC = "infosec", _("Information Security")

    @property
    def permission(self) -> str:
        return f"procurement.sign_{self.value}"


class Quote(TenantOwned):
    """A reseller's offer of seats, the support-response test of that reseller, and the verdict on it."""

    reference = models.CharField(max_length=80, blank=True)
    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="quotes")
    # The catalogue belongs to no company: referred to by id, without a database constraint, like a
    # subscription's plan.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    seats = models.PositiveIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices, default=Term.ANNUAL)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2, help_text=_("HKD per seat per month"))
    invoice_issuer = models.CharField(max_length=200, blank=True)
    payer_name = models.CharField(max_length=200, blank=True)
    support_query_sent_at = models.DateTimeField(null=True, blank=True)
    support_first_answer_at = models.DateTimeField(null=True, blank=True)
    support_answer_language = models.CharField(max_length=10, choices=AnswerLanguage.choices, blank=True)
    support_note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.OPEN)
    verdict = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    verdict_reasons = models.TextField(blank=True)
    verdict_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict_by_label = models.CharField(max_length=200, blank=True)
    verdict_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "reference",
        "reseller",
        "plan",
        "seats",
        "term",
        "unit_price",
        "invoice_issuer",
        "payer_name",
        "support_query_sent_at",
        "support_first_answer_at",
        "support_answer_language",
        "support_note",
        "status",
        "verdict",
        "verdict_reasons",
        "verdict_by",
        "verdict_at",
        "decided_at",
    )

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["tenant", "created_at", "id"], name="quote_by_created")]

    def __str__(self) -> str:
        label = f"{self.reseller} · {self.plan} × {self.seats}"
        return f"{self.reference} ({label})" if self.reference else label

    @property
    def is_decided(self) -> bool:
        return self.status in (QuoteStatus.APPROVED, QuoteStatus.REJECTED)

    @property
    def has_support_test(self) -> bool:
        return self.support_query_sent_at is not None


class SignOff(TenantOwned):
    """One person's sign-off of a quote's verdict, in one capacity. A verdict stands once Legal and
    Information Security have both signed, as two different people."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="sign_offs")
    capacity = models.CharField(max_length=10, choices=Capacity.choices)
    member = models.ForeignKey("directory.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    member_label = models.CharField(max_length=200)
    verdict = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    signed_at = models.DateTimeField()

    audit_fields = ("quote", "capacity", "member", "verdict", "note", "signed_at")

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "capacity"], name="sign_off_one_per_capacity"),
            models.UniqueConstraint(fields=["quote", "member"], name="sign_off_distinct_people"),
        ]

    def __str__(self) -> str:
        return f"{self.get_capacity_display()}: {self.member_label}"
