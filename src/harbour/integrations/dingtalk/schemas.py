"""API shapes of the DingTalk connector. Secrets (AppSecret, callback token and AES key, robot token and
secret) go in and never come out — except the callback credentials, once, when they are generated."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from harbour.core.pagination import MAX_PAGE_SIZE
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, RobotMessage, SyncItem, SyncRun


class ConnectIn(Schema):
    app_key: str = Field(..., max_length=64)
    app_secret: str = Field(..., max_length=200)
    oapi_base_url: str | None = Field(None, max_length=200)
    api_base_url: str | None = Field(None, max_length=200)
    qps_limit: int = 20
    leaver_mode: str = Connection.LeaverMode.AT_ONCE.value
    sync_interval_minutes: int = 60


class ConnectionPatch(Schema):
    """Only the fields sent change; an empty or missing ``app_secret`` keeps the stored one."""

    app_key: str | None = Field(None, max_length=64)
    app_secret: str | None = Field(None, max_length=200)
    oapi_base_url: str | None = Field(None, max_length=200)
    api_base_url: str | None = Field(None, max_length=200)
    qps_limit: int | None = None
    leaver_mode: str | None = None
    sync_interval_minutes: int | None = None
    corp_id: str | None = Field(None, max_length=64)
    paused: bool | None = None


class ConnectionOut(Schema):
    id: uuid.UUID
    app_key: str
    corp_id: str
    oapi_base_url: str
    api_base_url: str
    qps_limit: int
    state: str
    leaver_mode: str
    sync_interval_minutes: int
    adopted_at: dt.datetime | None
    last_tested_at: dt.datetime | None
    last_test_ok: bool | None
    last_test_message: str
    last_cycle_at: dt.datetime | None
    callback_url: str
    callback_set: bool
    robot_set: bool
    robot_topics: list[str]
    facts: dict[str, Any]
    facts_read_at: dt.datetime | None
    links: dict[str, int]

    @classmethod
    def of(cls, connection: Connection, *, callback_url: str, links: dict[str, int]) -> ConnectionOut:
        return cls(
            id=connection.pk,
            app_key=connection.app_key,
            corp_id=connection.corp_id,
            oapi_base_url=connection.oapi_base_url,
            api_base_url=connection.api_base_url,
            qps_limit=connection.qps_limit,
            state=connection.state,
            leaver_mode=connection.leaver_mode,
            sync_interval_minutes=connection.sync_interval_minutes,
            adopted_at=connection.adopted_at,
            last_tested_at=connection.last_tested_at,
            last_test_ok=connection.last_test_ok,
            last_test_message=connection.last_test_message,
            last_cycle_at=connection.last_cycle_at,
            callback_url=callback_url,
            callback_set=bool(connection.callback_token and connection.callback_aes_key),
            robot_set=bool(connection.robot_token),
            robot_topics=list(connection.robot_topics),
            facts=connection.facts,
            facts_read_at=connection.facts_read_at,
            links=links,
        )


class TestStepOut(Schema):
    step: str
    ok: bool
    seen: str


class TestOut(Schema):
    ok: bool
    message: str
    steps: list[TestStepOut]


class CallbackOut(Schema):
    """Shown once: enter them in DingTalk's developer console (event subscription, HTTP push)."""

    url: str
    token: str
    aes_key: str


class RobotIn(Schema):
    token: str = Field("", max_length=128, description="the webhook's access_token; empty removes the robot")
    secret: str = Field(
        "", max_length=200, description="the signing secret (SEC…); empty keeps the stored one"
    )
    topics: list[str] = Field(default_factory=list, description="incident, announcement")


class RobotOut(Schema):
    robot_set: bool
    robot_topics: list[str]


class RobotMessageOut(Schema):
    id: uuid.UUID
    topic: str
    subject_id: uuid.UUID | None
    title: str
    state: str
    attempts: int
    not_before: dt.datetime | None
    sent_at: dt.datetime | None
    error_code: str
    message: str
    created_at: dt.datetime

    @classmethod
    def of(cls, message: RobotMessage) -> RobotMessageOut:
        return cls(
            id=message.pk,
            topic=message.topic,
            subject_id=message.subject_id,
            title=message.title,
            state=message.state,
            attempts=message.attempts,
            not_before=message.not_before,
            sent_at=message.sent_at,
            error_code=message.error_code,
            message=message.message,
            created_at=message.created_at,
        )


class PlanIn(Schema):
    kind: Literal["adopt", "sync"]


class RunOut(Schema):
    id: uuid.UUID
    kind: str
    state: str
    trigger: str
    counts: dict[str, Any]
    api_calls: int
    throttled: int
    error: str
    created_at: dt.datetime
    applied_at: dt.datetime | None
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, run: SyncRun) -> RunOut:
        return cls(
            id=run.pk,
            kind=run.kind,
            state=run.state,
            trigger=run.trigger,
            counts=run.counts,
            api_calls=run.api_calls,
            throttled=run.throttled,
            error=run.error,
            created_at=run.created_at,
            applied_at=run.applied_at,
            finished_at=run.finished_at,
        )


class QueuedOut(Schema):
    run_id: uuid.UUID
    state: str


class ItemOut(Schema):
    id: uuid.UUID
    run_id: uuid.UUID
    position: int
    op: str
    label: str
    member_id: uuid.UUID | None
    department_id: uuid.UUID | None
    userid: str
    dept_id: int | None
    payload: dict[str, Any]
    before: dict[str, Any]
    reason: str
    candidates: list[str]
    needs_confirmation: bool
    confirmed_at: dt.datetime | None
    outcome: str
    error_code: str
    explanation: str
    message: str
    attempts: int
    applied_at: dt.datetime | None

    @classmethod
    def of(cls, item: SyncItem, explanation: str = "") -> ItemOut:
        return cls(
            id=item.pk,
            run_id=item.run_id,
            position=item.position,
            op=item.op,
            label=item.label,
            member_id=item.member_id,
            department_id=item.department_id,
            userid=item.userid,
            dept_id=item.dept_id,
            payload=item.payload,
            before=item.before,
            reason=item.reason,
            candidates=[str(c) for c in item.candidates],
            needs_confirmation=item.needs_confirmation,
            confirmed_at=item.confirmed_at,
            outcome=item.outcome or "pending",
            error_code=item.error_code,
            explanation=explanation,
            message=item.message,
            attempts=item.attempts,
            applied_at=item.applied_at,
        )


class ItemFilters(Schema):
    outcome: str | None = Field(None, description="pending, applied, skipped, failed or waiting")
    op: str | None = Field(None, description="the change's kind, e.g. user_create")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None


class DecisionIn(Schema):
    member_id: uuid.UUID | None = Field(
        None, description="the Harbour account the DingTalk user is; null: none"
    )


class EventOut(Schema):
    id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    outcome: str
    message: str
    created_at: dt.datetime
    handled_at: dt.datetime | None

    @classmethod
    def of(cls, event: CallbackEvent) -> EventOut:
        return cls(
            id=event.pk,
            event_type=event.event_type,
            payload=event.payload,
            outcome=event.outcome or "pending",
            message=event.message,
            created_at=event.created_at,
            handled_at=event.handled_at,
        )
