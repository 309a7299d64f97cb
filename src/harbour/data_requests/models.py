"""Data access and correction requests (PDPO s18–s24), the disclosures a correction must follow up, and
the s27 log book of refusals.

A request's clock is a Hong Kong calendar: received on day 0, due on day 40 (``received_on + 40``), on time
until the end of that day. The log book outlives the requests it records: its entries keep a copy of what
they are about, so a request erased by a retention schedule leaves its refusal readable."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.core.tenancy import TenantOwned
from harbour.core.time import HONG_KONG

DAYS_TO_ANSWER = 40  # s19(1), s23(1), s21(1), s25
REMIND_ON_DAY = 30
LOG_BOOK_MIN_DAYS = 1461  # s27(2): at least 4 years


class Kind(models.TextChoices):
    ACCESS = "access", _("Access request")
    CORRECTION = "correction", _("Correction request")


class Language(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Another language")


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("data request state", "Received")
    DELAYED = "delayed", _("Notice of delay sent")
    COMPLETED = "completed", pgettext_lazy("data request state", "Completed")
    REFUSED = "refused", pgettext_lazy("data request state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("data request state", "Withdrawn")


OPEN_STATES = (State.RECEIVED, State.DELAYED)
CLOSED_STATES = (State.COMPLETED, State.REFUSED, State.WITHDRAWN)


class Timeliness(models.TextChoices):
    """Where a request stands against its 40 days (``DataRequest.timeliness``)."""

    RUNNING = "running", _("Clock running")
    NOTICE_GIVEN = "notice_given", _("Late, notice of delay given")
    OVERDUE = "overdue", _("Overdue: no answer and no notice of delay")
    ON_TIME = "on_time", _("Answered within 40 days")
    LATE = "late", _("Answered after day 40 without a notice of delay")
    WITHDRAWN = "withdrawn", pgettext_lazy("data request state", "Withdrawn")


# Grounds of refusal. Access: s20(1)–(3); correction: s24(3) (and s24(3)(a)/(b)'s companions).
ACCESS_GROUNDS: dict[str, Any] = {
    "s20_1_a_identity": _(
        "s20(1)(a): not supplied with the information needed to be satisfied of the requestor's identity"
    ),
    "s20_1_b_third_party": _(
        "s20(1)(b): cannot comply without disclosing another individual's data, and "
        "that individual has not consented"
    ),
    "s20_1_c_prohibited": _("s20(1)(c): compliance is prohibited under this or another ordinance"),
    "s20_3_a_language": _("s20(3)(a): the request is not in Chinese or English"),
    "s20_3_b_information": _(
        "s20(3)(b): not supplied with the information reasonably needed to locate the data"
    ),
    "s20_3_c_repeated": _(
        "s20(3)(c): a repeat of an earlier request already complied with, with no reasonable interval"
    ),
    "s20_3_d_other_controls": _(
        "s20(3)(d): another data user controls the use of the data in a way that prohibits compliance"
    ),
    "s20_3_e_form": _("s20(3)(e): not in the form specified under s67"),
    "s20_3_ea_vexatious": _("s20(3)(ea): the request is frivolous or vexatious"),
    "s20_3_f_exemption": _("s20(3)(f)/Part 8: the data are exempt from access"),
}
CORRECTION_GROUNDS: dict[str, Any] = {
    "s24_3_a_language": _("s24(3)(a): the request is not in Chinese or English"),
    "s24_3_b_not_inaccurate": _("s24(3)(b): not satisfied that the data are inaccurate"),
    "s24_3_c_information": _(
        "s24(3)(c): not supplied with the information needed to ascertain the inaccuracy"
    ),
    "s24_3_d_correction_inaccurate": _("s24(3)(d): not satisfied that the correction asked for is accurate"),
    "s24_3_e_other_controls": _(
        "s24(3)(e): another data user controls the processing of the data in a way that prohibits compliance"
    ),
    "s24_3_identity": _(
        "s24(3): not supplied with the information needed to be satisfied of the requestor's identity"
    ),
}


def grounds_for(kind: str) -> dict[str, Any]:
    return ACCESS_GROUNDS if kind == Kind.ACCESS else CORRECTION_GROUNDS


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in Hong Kong: anything before it happened on or before that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=HONG_KONG)


def hong_kong_day(value: dt.datetime) -> dt.date:
    return value.astimezone(HONG_KONG).date()


class DataRequest(TenantOwned):
    """One request of a data subject: received → (notice of delay) → completed | refused | withdrawn."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    requester = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_name = models.CharField(max_length=150)
    requester_contact = models.CharField(max_length=254, blank=True)
    received_on = models.DateField()  # a Hong Kong date: day 0 of the clock
    description = models.TextField()  # the data asked for, or the correction asked
    language = models.CharField(max_length=5, choices=Language.choices)
    fee = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)  # HKD, access only
    fee_note = models.CharField(max_length=300, blank=True)
    access_request = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    lodged_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_service = models.BooleanField(default=False)  # lodged by the requester in the console
    # notice of delay (s19(2), s23(2)): before the deadline, with reasons
    delay_notice_at = models.DateTimeField(null=True, blank=True)
    delay_reasons = models.TextField(blank=True)
    # closing
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by_name = models.CharField(max_length=150, blank=True)
    # access: completed
    data_held = models.BooleanField(null=True, blank=True)
    supplied = models.TextField(blank=True)  # what was supplied (or the "no data held" reply)
    supplied_on = models.DateField(null=True, blank=True)
    # correction: completed
    satisfied_inaccurate = models.BooleanField(null=True, blank=True)
    correction_made = models.TextField(blank=True)
    corrected_copy_supplied_on = models.DateField(null=True, blank=True)
    # refused
    refusal_ground = models.CharField(max_length=40, blank=True)
    refusal_reasons = models.TextField(blank=True)
    # withdrawn
    withdrawal_note = models.CharField(max_length=500, blank=True)
    # the reminder clock: each sent once
    day30_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "kind",
        "state",
        "requester",
        "requester_name",
        "received_on",
        "language",
        "fee",
        "fee_note",
        "access_request",
        "delay_notice_at",
        "delay_reasons",
        "closed_at",
        "data_held",
        "supplied_on",
        "satisfied_inaccurate",
        "corrected_copy_supplied_on",
        "refusal_ground",
        "refusal_reasons",
        "withdrawal_note",
    )

    class Meta:
        ordering = ["received_on", "created_at"]
        indexes = [
            models.Index(fields=["tenant", "state", "received_on"], name="data_request_state"),
            models.Index(fields=["tenant", "requester"], name="data_request_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.requester_name} ({self.received_on.isoformat()})"

    def owner_id(self) -> uuid.UUID | None:
        return self.requester_id  # the requester follows their own request (self-service)

    # ---------------------------------------------------------------------------------------------- clock
    @property
    def due_on(self) -> dt.date:
        """Day 40: the request must be answered (or a notice of delay given) by the end of this day."""
        return self.received_on + dt.timedelta(days=DAYS_TO_ANSWER)

    @property
    def deadline(self) -> dt.datetime:
        """The first instant that is late: midnight after day 40, Hong Kong time."""
        return end_of_day(self.due_on)

    def day_number(self, today: dt.date) -> int:
        return (today - self.received_on).days

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def notice_given_in_time(self) -> bool:
        return self.delay_notice_at is not None and self.delay_notice_at < self.deadline

    def timeliness(self, at: dt.datetime) -> str:
        """Running, overdue, late with notice, or how it was closed (PDPO-DPP6-DAR / -DCR)."""
        if self.state == State.WITHDRAWN:
            return Timeliness.WITHDRAWN
        if self.is_open:
            if at < self.deadline:
                return Timeliness.RUNNING
            return Timeliness.NOTICE_GIVEN if self.notice_given_in_time else Timeliness.OVERDUE
        assert self.closed_at is not None
        if self.closed_at < self.deadline:
            return Timeliness.ON_TIME
        return Timeliness.NOTICE_GIVEN if self.notice_given_in_time else Timeliness.LATE


class Disclosure(TenantOwned):
    """Personal data of someone disclosed to a third party: where a correction must be sent on to
    (s23(1)(c))."""

    subject = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_name = models.CharField(max_length=150)
    recipient = models.CharField(max_length=200)
    data_disclosed = models.TextField()
    disclosed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=200, blank=True)

    audit_fields = ("subject", "subject_name", "recipient", "data_disclosed", "disclosed_at")

    class Meta:
        ordering = ["-disclosed_at", "id"]
        indexes = [
            models.Index(fields=["tenant", "subject", "disclosed_at"], name="disclosure_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} → {self.recipient}"


class ThirdPartyNotice(TenantOwned):
    """On completing a correction: one line per disclosure in the lookback — the corrected data sent to the
    recipient on a day, or the reason it was not (e.g. believed no longer to use the data)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="third_parties")
    disclosure = models.ForeignKey(
        Disclosure, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    recipient = models.CharField(max_length=200)
    disclosed_at = models.DateTimeField()
    notified = models.BooleanField()
    notified_on = models.DateField(null=True, blank=True)
    reason_not_notified = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["disclosed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "disclosure"], name="third_party_notice_once"),
        ]

    def __str__(self) -> str:
        return self.recipient


class LogBookEntry(TenantOwned):
    """An s27 log-book line: a refused request and the reasons, kept at least four years."""

    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_book_entries"
    )
    request_ref = models.UUIDField()  # the request's id, kept after the request is erased
    kind = models.CharField(max_length=10, choices=Kind.choices)
    requester_name = models.CharField(max_length=150)
    received_on = models.DateField()
    refused_on = models.DateField()  # Hong Kong date of the refusal notice
    ground = models.CharField(max_length=40)
    ground_text = models.CharField(max_length=300)
    reasons = models.TextField()
    recorded_by_label = models.CharField(max_length=200, blank=True)

    audit_fields = ("request_ref", "kind", "received_on", "refused_on", "ground", "reasons")

    class Meta:
        ordering = ["-refused_on", "-created_at"]
        indexes = [models.Index(fields=["tenant", "refused_on"], name="log_book_refused_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} refused {self.refused_on.isoformat()}: {self.requester_name}"

    def keep_until(self) -> dt.date:
        return self.refused_on + dt.timedelta(days=LOG_BOOK_MIN_DAYS)
