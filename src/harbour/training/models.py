"""Quarterly security training: programmes (a schedule, an audience and a quiz template), sessions (one per
quarter per programme, or one-off), attendance and quiz attempts kept as audit evidence.

A quiz keeps its questions as data (``[{"id", "text", "options": [{"id", "text", "correct"}]}]``); a session
generated from a programme gets its own copy, so editing the programme's quiz never changes the evidence of
a quarter already held."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from harbour.core.tenancy import TenantOwned
from harbour.core.time import HONG_KONG


class Quiz(TenantOwned):
    """Questions with options (one or more correct), a pass mark in percent and a limit of attempts."""

    title = models.CharField(max_length=200)
    pass_mark = models.PositiveSmallIntegerField(default=80)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    questions = models.JSONField(default=list)

    audit_fields = ("title", "pass_mark", "max_attempts", "questions")

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return len(self.questions)


class Programme(TenantOwned):
    """A mandatory training repeated every quarter: the schedule job opens one session per quarter."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audience_all = models.BooleanField(default=True)
    audience_departments = models.JSONField(default=list, blank=True)  # department ids; subtrees included
    quiz = models.ForeignKey(Quiz, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True)
    # When the quarter's session takes place: this many days into the quarter, at this Hong Kong time.
    day_of_quarter = models.PositiveSmallIntegerField(default=14)
    start_time = models.TimeField(default=dt.time(10, 0))
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    due_days = models.PositiveSmallIntegerField(default=30)  # completion due this many days after the session
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    trainer = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_fields = (
        "title",
        "description",
        "audience_all",
        "audience_departments",
        "quiz",
        "active",
        "day_of_quarter",
        "start_time",
        "duration_minutes",
        "due_days",
        "place",
        "online_link",
        "trainer",
    )

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Session(TenantOwned):
    """One training session: when and where, who trains, who must attend, and by when they must complete."""

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    quarter = models.CharField(max_length=7, blank=True)  # "2026-Q4" for a programme's quarterly session
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    trainer = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience_all = models.BooleanField(default=True)
    audience_departments = models.JSONField(default=list, blank=True)
    due_on = models.DateField()  # a Hong Kong day: complete by its end
    quiz = models.ForeignKey(Quiz, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checkin_code = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Counts kept when the retention schedule erased the attendance and attempts (the evidence summary).
    summary = models.JSONField(default=dict, blank=True)
    records_erased_at = models.DateTimeField(null=True, blank=True)

    audit_fields = (
        "programme",
        "quarter",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "online_link",
        "trainer",
        "audience_all",
        "audience_departments",
        "due_on",
        "quiz",
    )

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "programme", "quarter"],
                condition=~Q(quarter=""),
                name="training_session_per_quarter",
            )
        ]
        indexes = [models.Index(fields=["tenant", "quarter"], name="training_session_quarter")]

    def __str__(self) -> str:
        return self.title

    @property
    def due_at(self) -> dt.datetime:
        """The first moment after the due day (Hong Kong): from then on, the incomplete are overdue."""
        return dt.datetime.combine(self.due_on + dt.timedelta(days=1), dt.time(0, 0), tzinfo=HONG_KONG)

    def is_open_for_checkin(self, at: dt.datetime) -> bool:
        return self.starts_at <= at <= self.ends_at


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class Attendance(TenantOwned):
    """Whether a member attended a session, who recorded it and how (marked, or checked in with the code)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()
    self_checked_in = models.BooleanField(default=False)

    audit_fields = ("session", "member", "status", "marked_by", "marked_at", "self_checked_in")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status}"


class Attempt(TenantOwned):
    """One quiz attempt as submitted: the answers, the score the server gave, and whether it passed."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey("directory.Member", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)  # question id → chosen option ids
    score = models.PositiveSmallIntegerField()  # percent of questions answered exactly right
    passed = models.BooleanField()
    submitted_at = models.DateTimeField()

    audit_fields = ("session", "member", "number", "answers", "score", "passed", "submitted_at")

    class Meta:
        ordering = ["session", "member", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member", "number"], name="training_attempt_number")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.score}%"
