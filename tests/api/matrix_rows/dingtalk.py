"""Permission-matrix rows for the DingTalk connector's API routes: reads need ``dingtalk.view``, writes
``dingtalk.manage`` (both the Administrator's). Company A is connected (on first use) to one emulator the
rows share; company B is not connected, so it gets 404 for the connection and empty lists."""

from __future__ import annotations

import atexit
from typing import Any

from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row
from tests.dingtalk_emulator import Emulator

ROBOT = {"token": "robottoken", "secret": "SECrobotsecret"}
_emulators: list[Emulator] = []


def _emulator() -> Emulator:
    if not _emulators:
        emulator = Emulator(
            appkey="dingappkey",
            appsecret="dingsecret",
            corp_id="dingcorp",
            robot_token=ROBOT["token"],
            robot_secret=ROBOT["secret"],
        )
        emulator.start(host="127.0.0.1", port=0)
        atexit.register(emulator.stop)
        _emulators.append(emulator)
    return _emulators[0]


def _connection(w: World) -> Any:
    """Company A's connection to the shared emulator, with a group robot (made on first use, as plain rows:
    a refused call's check counts audit entries, which the connect action would add)."""
    from harbour.integrations.dingtalk.models import Connection

    found = Connection.objects.for_tenant(w.a.tenant).first()
    if found is None:
        url = _emulator().url
        found = Connection.objects.create(
            tenant_id=w.a.tenant.pk,
            app_key="dingappkey",
            app_secret="dingsecret",
            oapi_base_url=url,
            api_base_url=url,
            robot_token=ROBOT["token"],
            robot_secret=ROBOT["secret"],
        )
    return found


def _run(w: World) -> str:
    """A planned (empty) sync run of company A."""
    from harbour.integrations.dingtalk.models import SyncRun

    connection = _connection(w)
    found = SyncRun.objects.for_tenant(w.a.tenant).filter(connection=connection).first()
    if found is None:
        found = SyncRun.objects.create(tenant_id=w.a.tenant.pk, connection=connection, kind=SyncRun.Kind.SYNC)
    return str(found.pk)


def _item(w: World, label: str, **fields: Any) -> str:
    """An item of company A's run, named by ``label`` (made on first use)."""
    from harbour.integrations.dingtalk.models import SyncItem

    _run(w)
    found = SyncItem.objects.for_tenant(w.a.tenant).filter(label=label).first()
    if found is None:
        run_id = _run(w)
        position = SyncItem.objects.for_tenant(w.a.tenant).filter(run_id=run_id).count()
        found = SyncItem.objects.create(
            tenant_id=w.a.tenant.pk, run_id=run_id, position=position, label=label, **fields
        )
    return str(found.pk)


def _delete_waiting(w: World) -> str:
    return _item(
        w, "matrix delete", op="user_delete", userid="u-matrix", needs_confirmation=True, outcome="waiting"
    )


def _pending(w: World) -> str:
    return _item(w, "matrix pending", op="user_update", userid="u-pending")


def _disputed(w: World) -> str:
    return _item(w, "matrix disputed", op="disputed", userid="u-disputed", outcome="waiting")


def _connected(path: str, body: Any = None) -> Any:
    def build(w: World) -> Call:
        _connection(w)
        return Call(path, body)

    return build


ROWS: list[Row] = [
    Row("GET", "/dingtalk/connection", _connected("/dingtalk/connection"), denied=WRITERS),
    Row(
        "POST",
        "/dingtalk/connection",
        lambda w: Call(
            "/dingtalk/connection",
            {"app_key": "dingappkey", "app_secret": "dingsecret", "oapi_base_url": _emulator().url},
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH", "/dingtalk/connection", _connected("/dingtalk/connection", {"qps_limit": 15}), denied=WRITERS
    ),
    Row("DELETE", "/dingtalk/connection", _connected("/dingtalk/connection"), ok=204, denied=WRITERS),
    Row("POST", "/dingtalk/connection/test", _connected("/dingtalk/connection/test"), denied=WRITERS),
    Row(
        "POST",
        "/dingtalk/connection/callback",
        _connected("/dingtalk/connection/callback"),
        ok=201,
        denied=WRITERS,
    ),
    Row(
        "PUT",
        "/dingtalk/robot",
        _connected("/dingtalk/robot", {**ROBOT, "topics": ["incident"]}),
        denied=WRITERS,
    ),
    Row("POST", "/dingtalk/robot/test", _connected("/dingtalk/robot/test"), ok=202, denied=WRITERS),
    Row(
        "GET", "/dingtalk/robot/messages", _connected("/dingtalk/robot/messages"), denied=WRITERS, other="own"
    ),
    Row("GET", "/dingtalk/runs", _connected("/dingtalk/runs"), denied=WRITERS, other="own"),
    Row("POST", "/dingtalk/runs", _connected("/dingtalk/runs", {"kind": "adopt"}), ok=201, denied=WRITERS),
    Row("GET", "/dingtalk/runs/{run_id}", lambda w: Call(f"/dingtalk/runs/{_run(w)}"), denied=WRITERS),
    Row(
        "GET",
        "/dingtalk/runs/{run_id}/items",
        lambda w: Call(f"/dingtalk/runs/{_run(w)}/items"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/dingtalk/runs/{run_id}/apply",
        lambda w: Call(f"/dingtalk/runs/{_run(w)}/apply"),
        ok=202,
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/dingtalk/items/{item_id}/confirm",
        lambda w: Call(f"/dingtalk/items/{_delete_waiting(w)}/confirm"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/dingtalk/items/{item_id}/skip",
        lambda w: Call(f"/dingtalk/items/{_pending(w)}/skip"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/dingtalk/items/{item_id}/decide",
        lambda w: Call(f"/dingtalk/items/{_disputed(w)}/decide", {"member_id": None}),
        denied=WRITERS,
    ),
    Row("GET", "/dingtalk/events", _connected("/dingtalk/events"), denied=WRITERS, other="own"),
]
