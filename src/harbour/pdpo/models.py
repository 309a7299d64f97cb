"""The PDPO register a compliance officer keeps: the data inventory and the systems holding it (with their
DPP4 security record), versioned PICS/PPS notices and who was shown them, the consent ledger, transfer
impact assessments, GBA standard contracts, the processor register, monitoring assessments and the
company's data-location record. Rule ids are those of the PDPO rule catalogue."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned

SECURITY_FACTORS = (
    "kind_of_data",
    "storage_location",
    "equipment_security",
    "staff_integrity",
    "secure_transmission",
)


class System(TenantOwned):
    """A system holding personal data, with its DPP4(1) security record: one answer per factor."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    kind_of_data = models.TextField(blank=True)  # (a) kind of data and the harm that could result
    storage_location = models.TextField(blank=True)  # (b) physical location where it is stored
    equipment_security = models.TextField(blank=True)  # (c) security measures in the equipment
    staff_integrity = models.TextField(blank=True)  # (d) integrity, prudence, competence of staff
    secure_transmission = models.TextField(blank=True)  # (e) secure transmission of the data

    audit_fields = ("name", "description", *SECURITY_FACTORS)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="pdpo_system_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def missing_factors(self) -> list[str]:
        return [name for name in SECURITY_FACTORS if not getattr(self, name).strip()]


class Channel(models.TextChoices):
    FORM = "form", _("Form filled in by the person")
    HR_SYSTEM = "hr_system", _("HR system or records")
    APP = "app", _("Work app (chat, attendance, drive)")
    DEVICE = "device", _("Device or sensor")
    THIRD_PARTY = "third_party", _("From a third party")
    OTHER = "other", pgettext_lazy("collection channel", "Other")


class Origin(models.TextChoices):
    HONG_KONG = "hk", _("Hong Kong")
    MAINLAND = "mainland", _("Mainland China")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    SENSITIVE = "sensitive", _("Sensitive (e.g. identity numbers, financial)")
    SPECIAL = "special", _("Highly sensitive (e.g. health, biometric)")


class DataCategory(TenantOwned):
    """One category of personal data held (PDPO-DPP1-PURPOSE, PDPO-DPP1-MEANS)."""

    name = models.CharField(max_length=120)
    data_fields = models.JSONField(default=list)  # ["name", "HKID number", …]
    purposes = models.JSONField(default=list)  # at least one
    channel = models.CharField(max_length=16, choices=Channel.choices)
    obligatory = models.BooleanField(default=True)  # obligatory (else voluntary) to supply
    systems = models.ManyToManyField(System, blank=True, related_name="categories")
    storage_location = models.CharField(max_length=200)
    transferees = models.JSONField(default=list)  # classes of transferees
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.HONG_KONG)
    sensitivity = models.CharField(max_length=10, choices=Sensitivity.choices, default=Sensitivity.NORMAL)

    audit_fields = (
        "name",
        "data_fields",
        "purposes",
        "channel",
        "obligatory",
        "storage_location",
        "transferees",
        "origin",
        "sensitivity",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="pdpo_category_name")]

    def __str__(self) -> str:
        return self.name


class NoticeKind(models.TextChoices):
    PICS = "pics", _("Personal Information Collection Statement (PICS)")
    PPS = "pps", _("Privacy Policy Statement (PPS)")


class Notice(TenantOwned):
    """One version of a PICS or PPS: a draft until published; publishing supersedes the previous one."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    kind = models.CharField(max_length=4, choices=NoticeKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_en = models.TextField()  # Markdown
    body_zh = models.TextField()  # Markdown, Traditional Chinese
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("kind", "version", "title", "state", "published_at", "superseded_at")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "version"], name="pdpo_notice_version"),
            models.UniqueConstraint(
                fields=["tenant", "kind"], condition=Q(state="published"), name="pdpo_notice_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class NoticeShown(TenantOwned):
    """Who was shown which PICS version and when (PDPO-DPP1-PICS): a member, or a named person outside."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="shown")
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=120)
    person_email = models.CharField(max_length=254, blank=True)
    shown_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    how = models.CharField(max_length=200, blank=True)  # "shown in the console", "paper form at interview"

    audit_fields = ("notice", "member", "person_name", "person_email", "shown_at", "how")

    class Meta:
        ordering = ["-shown_at"]
        indexes = [models.Index(fields=["tenant", "member"], name="pdpo_shown_member")]


class ConsentAction(models.TextChoices):
    GRANT = "grant", _("Granted")
    WITHDRAW = "withdraw", _("Withdrawn")


class ConsentChannel(models.TextChoices):
    WRITTEN = "written", _("Signed in writing")
    ELECTRONIC = "electronic", _("Ticked or signed electronically")
    EMAIL = "email", _("By email")
    CONSOLE = "console", _("In the Harbour console")
    OTHER = "other", pgettext_lazy("consent channel", "Other (express)")


class ConsentEntry(TenantOwned):
    """One express grant or withdrawal of prescribed consent (PDPO-DPP3-USE); the latest entry per person
    and purpose is the current state. Entries are never edited."""

    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=120)
    person_key = models.CharField(max_length=160)  # member id, or the outside person's name lower-cased
    purpose = models.CharField(max_length=200)
    action = models.CharField(max_length=8, choices=ConsentAction.choices)
    channel = models.CharField(max_length=12, choices=ConsentChannel.choices)
    at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_fields = ("member", "person_name", "purpose", "action", "channel", "at", "note")

    class Meta:
        ordering = ["-at", "-created_at"]
        indexes = [models.Index(fields=["tenant", "person_key", "purpose"], name="pdpo_consent_subject")]


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ClauseSet(models.TextChoices):
    USER_TO_USER = "u2u", _("Data user to data user (RMC 2022)")
    USER_TO_PROCESSOR = "u2p", _("Data user to data processor (RMC 2022)")
    NONE = "none", _("No model clauses")


class Approval(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


TIA_ITEMS = (
    "processing_purpose",
    "data_scale",
    "recipient_capacity",
    "post_transfer_risk",
    "destination_law",
    "other_factors",
)
EXTRA_CLAUSES = ("clause_reporting", "clause_audit", "clause_breach_notice", "clause_cooperation")


class TransferAssessment(TenantOwned):
    """A transfer impact assessment before data goes to the mainland (XB-TIA, XB-RMC-2022)."""

    title = models.CharField(max_length=200)
    # XB-TIA items 1–6
    processing_purpose = models.TextField()
    data_scale = models.TextField()
    recipient_capacity = models.TextField()
    post_transfer_risk = models.TextField()
    destination_law = models.TextField()
    other_factors = models.TextField()
    risk = models.CharField(max_length=8, choices=Risk.choices)
    clause_set = models.CharField(max_length=4, choices=ClauseSet.choices)
    clause_reporting = models.BooleanField(default=False)
    clause_audit = models.BooleanField(default=False)
    clause_breach_notice = models.BooleanField(default=False)
    clause_cooperation = models.BooleanField(default=False)
    data_flow = models.TextField()
    vendor_entity = models.CharField(max_length=200)
    vendor_region = models.CharField(max_length=120)
    state = models.CharField(max_length=8, choices=Approval.choices, default=Approval.DRAFT)
    author = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    review_on = models.DateField()

    audit_fields = (
        "title",
        *TIA_ITEMS,
        "risk",
        "clause_set",
        *EXTRA_CLAUSES,
        "data_flow",
        "vendor_entity",
        "vendor_region",
        "state",
        "author",
        "approver",
        "approved_on",
        "review_on",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def missing_clauses(self) -> list[str]:
        return [name for name in EXTRA_CLAUSES if not getattr(self, name)]


GBA_CITIES = (
    ("hong_kong", _("Hong Kong")),
    ("guangzhou", _("Guangzhou")),
    ("shenzhen", _("Shenzhen")),
    ("zhuhai", _("Zhuhai")),
    ("foshan", _("Foshan")),
    ("huizhou", _("Huizhou")),
    ("dongguan", _("Dongguan")),
    ("zhongshan", _("Zhongshan")),
    ("jiangmen", _("Jiangmen")),
    ("zhaoqing", _("Zhaoqing")),
)
OTHER_CITY = "other"
CITY_CHOICES = (*GBA_CITIES, (OTHER_CITY, _("Elsewhere (outside the Greater Bay Area)")))


class GbaContract(TenantOwned):
    """A GBA standard contract record (XB-GBA): eligibility from both parties' registered cities and any
    onward transfer outside the GBA; once it takes effect, the filing deadline (10 HK working days)."""

    counterparty = models.CharField(max_length=200)
    our_city = models.CharField(max_length=12, choices=CITY_CHOICES)
    counterparty_city = models.CharField(max_length=12, choices=CITY_CHOICES)
    counterparty_city_note = models.CharField(max_length=200, blank=True)  # the city named when "elsewhere"
    onward_outside_gba = models.BooleanField(default=False)
    eligible = models.BooleanField()
    effective_on = models.DateField(null=True, blank=True)
    filing_due_on = models.DateField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    audit_fields = (
        "counterparty",
        "our_city",
        "counterparty_city",
        "counterparty_city_note",
        "onward_outside_gba",
        "eligible",
        "effective_on",
        "filing_due_on",
        "filed_on",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.counterparty


class VendorRole(models.TextChoices):
    PROCESSOR = "processor", _("Data processor")
    DATA_USER = "data_user", _("Data user")


PROCESSOR_CLAUSES = (
    "clause_retention",
    "clause_return_delete",
    "clause_security",
    "clause_breach_notice",
    "clause_audit",
    "clause_subprocessors",
)


class Processor(TenantOwned):
    """A vendor handling the company's personal data (PDPO-DPP2-PROCESSOR, PDPO-DPP4-PROCESSOR,
    PDPO-ROLE-DATAUSER): its role, contract and which protective clauses the contract has."""

    vendor = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=VendorRole.choices, default=VendorRole.PROCESSOR)
    contract_id = models.CharField(max_length=120, blank=True)
    clause_retention = models.BooleanField(default=False)
    clause_return_delete = models.BooleanField(default=False)
    clause_security = models.BooleanField(default=False)
    clause_breach_notice = models.BooleanField(default=False)
    clause_audit = models.BooleanField(default=False)
    clause_subprocessors = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)

    audit_fields = ("vendor", "role", "contract_id", *PROCESSOR_CLAUSES, "evidence")

    class Meta:
        ordering = ["vendor"]
        constraints = [models.UniqueConstraint(fields=["tenant", "vendor"], name="pdpo_processor_vendor")]

    def __str__(self) -> str:
        return self.vendor

    @property
    def missing_clauses(self) -> list[str]:
        return [name for name in PROCESSOR_CLAUSES if not getattr(self, name)]


class Feature(models.TextChoices):
    LOCATION_ATTENDANCE = "location_attendance", _("Location attendance")
    CHAT_AUDIT = "chat_audit", _("Chat audit")
    ONLINE_STATUS = "online_status", _("Online status")
    READ_RECEIPTS = "read_receipts", _("Read receipts")
    BIOMETRIC_ATTENDANCE = "biometric_attendance", _("Biometric attendance")
    OTHER = "other", pgettext_lazy("monitoring feature", "Other")


class MonitoringAssessment(TenantOwned):
    """The PCPD's three As and three Cs for one monitoring feature (MON-3A, MON-3C), with the extra
    conditions of covert (MON-COVERT) and biometric (MON-BIOMETRIC) monitoring."""

    feature = models.CharField(max_length=24, choices=Feature.choices)
    feature_note = models.CharField(max_length=200, blank=True)  # what "other" is
    assessment = models.TextField()
    alternatives = models.TextField()
    accountability = models.TextField()
    clarity = models.TextField(blank=True)
    communication = models.TextField(blank=True)
    control = models.TextField(blank=True)
    covert = models.BooleanField(default=False)
    covert_justification = models.TextField(blank=True)
    covert_until = models.DateField(null=True, blank=True)
    covert_approver = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opt_in = models.BooleanField(default=False)  # biometric: only those who opted in
    alternative_method = models.CharField(max_length=200, blank=True)  # biometric: e.g. card or PIN
    state = models.CharField(max_length=8, choices=Approval.choices, default=Approval.DRAFT)
    author = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)

    audit_fields = (
        "feature",
        "feature_note",
        "assessment",
        "alternatives",
        "accountability",
        "clarity",
        "communication",
        "control",
        "covert",
        "covert_justification",
        "covert_until",
        "covert_approver",
        "opt_in",
        "alternative_method",
        "state",
        "author",
        "approver",
        "approved_on",
    )

    class Meta:
        ordering = ["feature", "-created_at"]

    def __str__(self) -> str:
        label = str(self.get_feature_display())
        return f"{label}: {self.feature_note}" if self.feature_note else label

    @property
    def missing_cs(self) -> list[str]:
        return [name for name in ("clarity", "communication", "control") if not getattr(self, name).strip()]


class DingTalkEntity(models.TextChoices):
    SINGAPORE = "singapore", _("DingTalk (Singapore) Pte Ltd — non-+86 or email registrations")
    MAINLAND = (
        "mainland",
        _("Mainland DingDing entity (钉钉(中国)信息技术有限公司 / 钉钉科技有限公司) — +86 registrations"),
    )
    NOT_USED = "not_used", _("The company does not use DingTalk")
    UNKNOWN = "unknown", _("Not yet established")


class DataLocation(TenantOwned):
    """Where the company's data is registered, stored and who else can reach it (DT-ENTITY)."""

    registration_location = models.CharField(max_length=200)
    storage_regions = models.JSONField(default=list)  # nodes / regions, one per entry
    third_party_access = models.TextField(blank=True)
    dingtalk_entity = models.CharField(max_length=10, choices=DingTalkEntity.choices)
    entity_note = models.TextField(blank=True)
    data_region = models.CharField(max_length=120, blank=True)

    audit_fields = (
        "registration_location",
        "storage_regions",
        "third_party_access",
        "dingtalk_entity",
        "entity_note",
        "data_region",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="pdpo_data_location_one")]
