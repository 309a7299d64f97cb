"""The DingTalk connector's tables: one connection per company, the links between Harbour's departments and
members and DingTalk's ids, sync runs with one item per change, received events, and the robot's outbox."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.core.fields import SealedCharField
from harbour.core.tenancy import TenantOwned

DEFAULT_OAPI_BASE_URL = "https://oapi.dingtalk.com"
DEFAULT_API_BASE_URL = "https://api.dingtalk.com"
ROOT_DEPT_ID = 1  # DingTalk's root department: never created, renamed, moved or deleted


class Connection(TenantOwned):
    """A company's DingTalk internal app (AppKey/AppSecret) and how Harbour keeps DingTalk in step."""

    class State(models.TextChoices):
        NEW = "new", _("Connected, directory not adopted yet")
        ADOPTED = "adopted", _("Adopted: Harbour is the source")
        PAUSED = "paused", _("Paused")

    class LeaverMode(models.TextChoices):
        CYCLE = "cycle", _("Remove leavers at the next sync cycle")
        AT_ONCE = "at_once", _("Remove leavers from DingTalk at once")

    app_key = models.CharField(max_length=64)
    app_secret = SealedCharField(max_length=500)
    corp_id = models.CharField(max_length=64, blank=True)  # learnt from the first callback, or entered
    oapi_base_url = models.URLField(max_length=200, default=DEFAULT_OAPI_BASE_URL)
    api_base_url = models.URLField(max_length=200, default=DEFAULT_API_BASE_URL)
    qps_limit = models.PositiveSmallIntegerField(default=20)  # per app per API, from the company's edition
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    leaver_mode = models.CharField(max_length=10, choices=LeaverMode.choices, default=LeaverMode.AT_ONCE)
    sync_interval_minutes = models.PositiveIntegerField(default=60)  # 0: only when someone asks
    adopted_at = models.DateTimeField(null=True, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True, blank=True)
    last_test_message = models.CharField(max_length=500, blank=True)
    last_cycle_at = models.DateTimeField(null=True, blank=True)
    # What the security baseline reads about the DingTalk tenant (admins, members outside bound domains,
    # external departments…), read through the API at each test, sync cycle or refresh.
    facts = models.JSONField(default=dict, blank=True)
    facts_read_at = models.DateTimeField(null=True, blank=True)
    # HTTP event callback (DingTalk's encryption): the token and the 43-character AES key set in DingTalk's
    # developer console; DingTalk posts to /hooks/dingtalk/<connection id>/.
    callback_token = SealedCharField(max_length=500, blank=True)
    callback_aes_key = SealedCharField(max_length=500, blank=True)
    # Custom group robot: the webhook's access_token and its signing secret (SEC…).
    robot_token = SealedCharField(max_length=500, blank=True)
    robot_secret = SealedCharField(max_length=500, blank=True)
    robot_topics = models.JSONField(default=list, blank=True)  # "incident", "announcement"

    audit_fields = (
        "app_key",
        "corp_id",
        "oapi_base_url",
        "api_base_url",
        "qps_limit",
        "state",
        "leaver_mode",
        "sync_interval_minutes",
        "robot_topics",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="dingtalk_one_connection")]

    def __str__(self) -> str:
        return f"DingTalk {self.app_key}"


class DepartmentLink(TenantOwned):
    """A Harbour department and the DingTalk department it is kept in step with."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dept_id = models.BigIntegerField()
    parent_dept_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=64)  # as DingTalk last showed it
    removed_at = models.DateTimeField(null=True, blank=True)  # deleted in DingTalk

    audit_fields = ("dept_id", "parent_dept_id", "name", "removed_at")

    class Meta:
        ordering = ["dept_id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dept_id"], name="dingtalk_dept_once"),
            models.UniqueConstraint(
                fields=["tenant", "department"],
                condition=models.Q(department__isnull=False),
                name="dingtalk_department_linked_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dept_id})"


class MemberLink(TenantOwned):
    """A DingTalk user (``userid``, immutable; ``unionid``, stable across apps) and the Harbour member it is,
    with its reconciliation situation (the lifecycle's words: linked, unlinked, unmatched, disputed,
    deleted)."""

    class Situation(models.TextChoices):
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Matches an account, not linked yet")
        UNMATCHED = "unmatched", _("No matching account")
        DISPUTED = "disputed", _("Disputed: a person decides")
        DELETED = "deleted", _("Deleted from DingTalk")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    userid = models.CharField(max_length=64)
    unionid = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=80, blank=True)  # as DingTalk last showed it
    situation = models.CharField(max_length=10, choices=Situation.choices, default=Situation.LINKED)
    candidates = models.JSONField(default=list, blank=True)  # disputed: member ids to choose from
    fingerprint = models.CharField(max_length=64, blank=True)  # of the fields last written to DingTalk
    removed_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("userid", "unionid", "member", "situation", "removed_at")

    class Meta:
        ordering = ["userid"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "userid"], name="dingtalk_user_once"),
            models.UniqueConstraint(
                fields=["tenant", "member"],
                condition=models.Q(member__isnull=False, removed_at__isnull=True),
                name="dingtalk_member_linked_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.userid} ({self.situation})"


class SyncRun(TenantOwned):
    """An adoption (DingTalk → Harbour) or a sync (Harbour → DingTalk): planned first, then applied item by
    item; each item's outcome is committed with its effect, so a killed run resumes where it stopped."""

    class Kind(models.TextChoices):
        ADOPT = "adopt", _("Adopt the DingTalk directory")
        SYNC = "sync", _("Sync Harbour to DingTalk")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned (dry run)")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Stopped with an error")
        SUPERSEDED = "superseded", _("Replaced by a newer plan")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("By a person")
        SCHEDULE = "schedule", _("Sync cycle")
        LEAVER = "leaver", _("Leaver removed at once")
        EVENT = "event", _("DingTalk event")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    counts = models.JSONField(default=dict, blank=True)  # planned: op → n; applied: outcome → n
    started_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    api_calls = models.PositiveIntegerField(default=0)
    throttled = models.PositiveIntegerField(default=0)  # throttle answers retried by the client
    error = models.CharField(max_length=500, blank=True)  # why a run stopped (credentials, permission…)
    # Who is applying it ("host:pid:thread") and when they last showed life: one applier at a time.
    applier = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("kind", "state", "trigger", "counts", "api_calls", "throttled", "error")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SyncItem(TenantOwned):
    """One change of a run, in the order it is applied (parents before children, creates before moves,
    deletes last), with what it sends and, once applied, what happened."""

    class Op(models.TextChoices):
        # adoption: DingTalk → Harbour
        ADOPT_DEPARTMENT = "adopt_dept", _("Create the department in Harbour")
        LINK_DEPARTMENT = "link_dept", _("Link to the Harbour department")
        ADOPT_MEMBER = "adopt_user", _("Create the account in Harbour")
        LINK_MEMBER = "link_user", _("Link to the Harbour account")
        DISPUTED = "disputed", _("Disputed: a person decides")
        CANNOT_ADOPT = "no_adopt", _("Cannot be adopted")
        # sync: Harbour → DingTalk
        CREATE_DEPARTMENT = "dept_create", _("Create the department in DingTalk")
        UPDATE_DEPARTMENT = "dept_update", _("Rename or move the department in DingTalk")
        DELETE_DEPARTMENT = "dept_delete", _("Delete the department in DingTalk")
        CREATE_USER = "user_create", _("Add the member to DingTalk")
        UPDATE_USER = "user_update", _("Update the member in DingTalk")
        DELETE_USER = "user_delete", _("Remove the member from DingTalk")
        ONLY_IN_DINGTALK = "only_dt", _("Only in DingTalk")
        BLOCKED = "blocked", _("Cannot be sent to DingTalk")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not applied yet")
        APPLIED = "applied", _("Applied")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")
        WAITING = "waiting", _("Waiting for a person")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    op = models.CharField(max_length=12, choices=Op.choices)
    label = models.CharField(max_length=300, blank=True)
    member_id = models.UUIDField(null=True, blank=True)
    department_id = models.UUIDField(null=True, blank=True)
    userid = models.CharField(max_length=64, blank=True)
    dept_id = models.BigIntegerField(null=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)  # department level: applied level by level
    payload = models.JSONField(default=dict, blank=True)  # the fields sent (or, adopting, read)
    before = models.JSONField(default=dict, blank=True)  # DingTalk's values the change replaces
    reason = models.CharField(max_length=300, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    needs_confirmation = models.BooleanField(default=False)  # irreversible in DingTalk (deletes)
    confirmed_by = models.ForeignKey(
        "directory.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    error_code = models.CharField(max_length=64, blank=True)  # DingTalk's errcode / sub_code / code
    message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("op", "label", "userid", "dept_id", "outcome", "error_code", "message")

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="dingtalk_item_position_once")
        ]
        indexes = [models.Index(fields=["run", "outcome", "position"], name="dingtalk_item_by_outcome")]

    def __str__(self) -> str:
        return f"{self.op} {self.label}"


class CallbackEvent(TenantOwned):
    """An event DingTalk pushed (decrypted), once: what it said and what Harbour did about it."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not handled yet")
        APPLIED = "applied", _("Reflected in Harbour")
        IGNORED = "ignored", _("Nothing to do")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="events")
    digest = models.CharField(max_length=64)  # SHA-256 of the encrypted body: a replay is recognised
    event_type = models.CharField(max_length=40)
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    message = models.CharField(max_length=500, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    audit_fields = ("event_type", "outcome", "message")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "digest"], name="dingtalk_event_once")]

    def __str__(self) -> str:
        return self.event_type


class RobotMessage(TenantOwned):
    """A message for the company's DingTalk group, queued so the robot's limit (20 a minute, then a 10-minute
    penalty) is never crossed; ``msg_uuid`` makes a retried send idempotent on DingTalk's side."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="robot_messages")
    topic = models.CharField(max_length=20)  # incident, announcement, test
    subject_id = models.UUIDField(null=True, blank=True)  # the incident or announcement
    title = models.CharField(max_length=200)
    text = models.TextField()  # Markdown
    msg_uuid = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    message = models.CharField(max_length=500, blank=True)

    audit_fields = ("topic", "title", "state", "error_code")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "topic", "subject_id"],
                condition=models.Q(subject_id__isnull=False),
                name="dingtalk_robot_message_once",
            )
        ]
        indexes = [models.Index(fields=["state", "not_before"], name="dingtalk_robot_by_state")]

    def __str__(self) -> str:
        return self.title
