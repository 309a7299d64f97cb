"""Console URL-matrix rows for the DingTalk connector's pages. The company is connected (on first use) to a
DingTalk address nobody answers: no row's check reaches DingTalk (planning and testing are covered against
the emulator in tests/dingtalk)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.console.test_url_matrix import Row
from tests.factories import Company

NOWHERE = "http://127.0.0.1:9"


def _connection(c: Company) -> Any:
    from harbour.integrations.dingtalk.models import Connection

    found = Connection.objects.for_tenant(c.tenant).first()
    if found is None:
        found = Connection.objects.create(
            tenant_id=c.tenant.pk,
            app_key="dingappkey",
            app_secret="dingsecret",
            oapi_base_url=NOWHERE,
            api_base_url=NOWHERE,
        )
    return found


def _run(c: Company) -> Any:
    from harbour.integrations.dingtalk.models import SyncRun

    connection = _connection(c)
    found = SyncRun.objects.for_tenant(c.tenant).first()
    return (
        found or SyncRun.objects.create(tenant_id=c.tenant.pk, connection=connection, kind=SyncRun.Kind.SYNC)
    ).pk


def _item(c: Company, label: str, **fields: Any) -> Any:
    from harbour.integrations.dingtalk.models import SyncItem

    run_id = _run(c)
    found = SyncItem.objects.for_tenant(c.tenant).filter(label=label).first()
    if found is None:
        position = SyncItem.objects.for_tenant(c.tenant).filter(run_id=run_id).count()
        found = SyncItem.objects.create(
            tenant_id=c.tenant.pk, run_id=run_id, position=position, label=label, **fields
        )
    return found.pk


def _connected(name: str, method: str = "get", data: dict[str, Any] | None = None) -> Row:
    def url(c: Company) -> str:
        _connection(c)
        return reverse(name)

    return Row(url, method=method, data=lambda c: data or {})


ROWS: dict[str, Row] = {
    "dingtalk:connection": _connected("dingtalk:connection"),
    "dingtalk:test": _connected("dingtalk:test", "post"),
    "dingtalk:callback": _connected("dingtalk:callback", "post"),
    "dingtalk:robot": _connected("dingtalk:robot", "post", {"token": "", "secret": ""}),
    "dingtalk:robot_test": _connected("dingtalk:robot_test", "post"),
    "dingtalk:messages": _connected("dingtalk:messages"),
    "dingtalk:disconnect": _connected("dingtalk:disconnect"),
    "dingtalk:plan": _connected("dingtalk:plan", "post", {"kind": "neither"}),
    "dingtalk:runs": _connected("dingtalk:runs"),
    "dingtalk:events": _connected("dingtalk:events"),
    "dingtalk:run": Row(lambda c: reverse("dingtalk:run", args=[_run(c)]), foreign_object=True),
    "dingtalk:apply": Row(
        lambda c: reverse("dingtalk:apply", args=[_run(c)]), method="post", foreign_object=True
    ),
    "dingtalk:confirm": Row(
        lambda c: reverse(
            "dingtalk:confirm",
            args=[_item(c, "delete", op="user_delete", needs_confirmation=True, outcome="waiting")],
        ),
        method="post",
        foreign_object=True,
    ),
    "dingtalk:skip": Row(
        lambda c: reverse("dingtalk:skip", args=[_item(c, "update", op="user_update")]),
        method="post",
        foreign_object=True,
    ),
    "dingtalk:decide": Row(
        lambda c: reverse("dingtalk:decide", args=[_item(c, "disputed", op="disputed", outcome="waiting")]),
        method="post",
        foreign_object=True,
    ),
}
