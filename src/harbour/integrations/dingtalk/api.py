"""REST API v1 of the DingTalk connector: the connection (connect, change, test, callback credentials,
disconnect), the group robot, sync runs (plan, read, apply, decide items), received events and the robot's
outbox. Writes need ``dingtalk.manage``; reads ``dingtalk.view``. Secrets never come back."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from harbour.core.errors import Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.pagination import keyset_page
from harbour.core.permissions import require_permission
from harbour.directory.models import Member
from harbour.integrations.dingtalk import queries
from harbour.integrations.dingtalk.actions import connection as connection_actions
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.client.errors import error_class_for
from harbour.integrations.dingtalk.models import Connection, SyncItem, SyncRun
from harbour.integrations.dingtalk.permission_codes import MANAGE, VIEW
from harbour.integrations.dingtalk.schemas import (
    CallbackOut,
    ConnectIn,
    ConnectionOut,
    ConnectionPatch,
    DecisionIn,
    EventOut,
    ItemFilters,
    ItemOut,
    ItemPage,
    PlanIn,
    QueuedOut,
    RobotIn,
    RobotMessageOut,
    RobotOut,
    RunOut,
    TestOut,
    TestStepOut,
)

router = Router(tags=["dingtalk"])
LISTED = 200


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _out(connection: Connection) -> ConnectionOut:
    return ConnectionOut.of(
        connection,
        callback_url=connection_actions.callback_address(connection),
        links=queries.link_counts(connection),
    )


def _viewable(actor: Any) -> Connection | None:
    """The connection for lists: refused without ``dingtalk.view``, empty when DingTalk is not connected."""
    require_permission(actor, VIEW, Tenant.objects.get(pk=actor.tenant_id))
    return queries.get_connection(actor)


def _item(item: SyncItem) -> ItemOut:
    return ItemOut.of(item, str(error_class_for(item.error_code).explanation) if item.error_code else "")


# ------------------------------------------------------------------------------------------ connection
@router.get("/dingtalk/connection", response=ConnectionOut, summary="The DingTalk connection (404: none)")
def get_connection(request: HttpRequest) -> ConnectionOut:
    return _out(queries.get_connection_for(_actor(request)))


@router.post("/dingtalk/connection", response={201: ConnectionOut}, summary="Connect a DingTalk internal app")
def connect(request: HttpRequest, body: ConnectIn) -> tuple[int, ConnectionOut]:
    return 201, _out(connection_actions.connect(_actor(request), **body.dict()))


@router.patch("/dingtalk/connection", response=ConnectionOut, summary="Change the connection's settings")
def change_connection(request: HttpRequest, body: ConnectionPatch) -> ConnectionOut:
    actor = _actor(request)
    connection = queries.get_connection_for(actor, action=MANAGE)
    changes = body.dict(exclude_unset=True)
    return _out(connection_actions.update_connection(actor, connection, **changes))


@router.delete("/dingtalk/connection", response={204: None}, summary="Disconnect (DingTalk is not changed)")
def disconnect(request: HttpRequest) -> tuple[int, None]:
    actor = _actor(request)
    connection_actions.disconnect(actor, queries.get_connection_for(actor, action=MANAGE))
    return 204, None


@router.post("/dingtalk/connection/test", response=TestOut, summary="Test the connection step by step")
def test_connection(request: HttpRequest) -> TestOut:
    actor = _actor(request)
    result = connection_actions.test_connection(actor, queries.get_connection_for(actor, action=MANAGE))
    steps = [TestStepOut(step=label, ok=ok, seen=seen) for label, ok, seen in result.details]
    return TestOut(ok=result.ok, message=result.message, steps=steps)


@router.post(
    "/dingtalk/connection/callback",
    response={201: CallbackOut},
    summary="New event callback token and AES key (shown once)",
)
def new_callback(request: HttpRequest) -> tuple[int, CallbackOut]:
    actor = _actor(request)
    connection = queries.get_connection_for(actor, action=MANAGE)
    token, aes_key = connection_actions.set_callback(actor, connection)
    return 201, CallbackOut(url=connection_actions.callback_address(connection), token=token, aes_key=aes_key)


# ------------------------------------------------------------------------------------------ robot
@router.put(
    "/dingtalk/robot", response=RobotOut, summary="Set up (or, with no token, remove) the group robot"
)
def set_robot(request: HttpRequest, body: RobotIn) -> RobotOut:
    actor = _actor(request)
    connection = connection_actions.set_robot(
        actor,
        queries.get_connection_for(actor, action=MANAGE),
        token=body.token,
        secret=body.secret,
        topics=body.topics,
    )
    return RobotOut(robot_set=bool(connection.robot_token), robot_topics=list(connection.robot_topics))


@router.post("/dingtalk/robot/test", response={202: RobotMessageOut}, summary="Queue a test message")
def robot_test(request: HttpRequest) -> tuple[int, RobotMessageOut]:
    actor = _actor(request)
    message = connection_actions.send_test_message(actor, queries.get_connection_for(actor, action=MANAGE))
    return 202, RobotMessageOut.of(message)


@router.get(
    "/dingtalk/robot/messages", response=list[RobotMessageOut], summary="The robot's outbox, newest first"
)
def robot_messages(request: HttpRequest) -> list[RobotMessageOut]:
    connection = _viewable(_actor(request))
    if connection is None:
        return []
    return [RobotMessageOut.of(m) for m in connection.robot_messages.order_by("-created_at")[:LISTED]]


# ------------------------------------------------------------------------------------------ runs
@router.get("/dingtalk/runs", response=list[RunOut], summary="Adoptions and syncs, newest first")
def list_runs(request: HttpRequest) -> list[RunOut]:
    actor = _actor(request)
    connection = _viewable(actor)
    if connection is None:
        return []
    return [RunOut.of(run) for run in queries.runs_for(actor, connection)[:LISTED]]


@router.post("/dingtalk/runs", response={201: RunOut}, summary="Plan an adoption or a sync (a dry run)")
def plan_run(request: HttpRequest, body: PlanIn) -> tuple[int, RunOut]:
    actor = _actor(request)
    connection = queries.get_connection_for(actor, action=MANAGE)
    if body.kind == SyncRun.Kind.ADOPT:
        run = sync_actions.plan_adoption(actor, connection)
    else:
        run = sync_actions.plan_sync(actor, connection, trigger=SyncRun.Trigger.MANUAL)
    return 201, RunOut.of(run)


@router.get("/dingtalk/runs/{run_id}", response=RunOut, summary="One run")
def get_run(request: HttpRequest, run_id: str) -> RunOut:
    return RunOut.of(queries.get_run_for(_actor(request), run_id))


@router.get("/dingtalk/runs/{run_id}/items", response=ItemPage, summary="A run's changes, in order")
def list_items(request: HttpRequest, run_id: str, filters: Query[ItemFilters]) -> ItemPage:
    run = queries.get_run_for(_actor(request), run_id)
    outcome = filters.outcome
    if outcome is not None:
        outcome = "" if outcome == "pending" else outcome
        if outcome not in SyncItem.Outcome.values:
            choices = ", ".join(["pending", *[v for v in SyncItem.Outcome.values if v]])
            raise Invalid(_("outcome is one of %(choices)s") % {"choices": choices}, field="outcome")
    if filters.op is not None and filters.op not in SyncItem.Op.values:
        choices = ", ".join(SyncItem.Op.values)
        raise Invalid(_("op is one of %(choices)s") % {"choices": choices}, field="op")
    qs = queries.items_of(run, outcome=outcome, op=filters.op)
    page = keyset_page(qs, ("position",), filters.cursor, filters.limit)
    return ItemPage(items=[_item(i) for i in page.items], next_cursor=page.next_cursor)


@router.post("/dingtalk/runs/{run_id}/apply", response={202: QueuedOut}, summary="Apply a run (background)")
def apply_run(request: HttpRequest, run_id: str) -> tuple[int, QueuedOut]:
    actor = _actor(request)
    run = queries.get_run_for(actor, run_id)
    sync_actions.apply_in_background(actor, run)
    return 202, QueuedOut(run_id=run.pk, state="queued")


@router.post("/dingtalk/items/{item_id}/confirm", response=ItemOut, summary="Allow an irreversible change")
def confirm_item(request: HttpRequest, item_id: str) -> ItemOut:
    actor = _actor(request)
    return _item(sync_actions.confirm_item(actor, queries.get_item_for(actor, item_id)))


@router.post("/dingtalk/items/{item_id}/skip", response=ItemOut, summary="Set a change aside")
def skip_item(request: HttpRequest, item_id: str) -> ItemOut:
    actor = _actor(request)
    return _item(sync_actions.skip_item(actor, queries.get_item_for(actor, item_id)))


@router.post(
    "/dingtalk/items/{item_id}/decide",
    response=ItemOut,
    summary="Decide which Harbour account a disputed DingTalk user is (or none)",
)
def decide_item(request: HttpRequest, item_id: str, body: DecisionIn) -> ItemOut:
    actor = _actor(request)
    item = queries.get_item_for(actor, item_id)
    member = None
    if body.member_id is not None:
        member = Member.objects.for_tenant(actor.tenant_id).filter(pk=body.member_id).first()
        if member is None:
            raise NotFound(_("no such account"), field="member_id")
    return _item(sync_actions.decide_item(actor, item, member))


# ------------------------------------------------------------------------------------------ events
@router.get("/dingtalk/events", response=list[EventOut], summary="Events DingTalk pushed, newest first")
def list_events(request: HttpRequest, limit: int = 100) -> list[EventOut]:
    actor = _actor(request)
    if not 1 <= limit <= 500:
        raise Invalid(_("limit is between 1 and 500"), field="limit")
    connection = _viewable(actor)
    if connection is None:
        return []
    return [EventOut.of(event) for event in queries.events_for(actor, connection)[:limit]]
