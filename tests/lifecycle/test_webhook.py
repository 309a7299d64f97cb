"""The HR webhook: signed events drive accounts at once; bad signatures, stale timestamps, replays and
malformed events are refused and change nothing."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from harbour.cli import main
from harbour.directory.models import Member, MemberState
from harbour.lifecycle.models import HrWebhook, SyncRun
from harbour.lifecycle.webhook import create_webhook, signature
from tests.factories import Company


@pytest.fixture
def hook(company: Company) -> tuple[HrWebhook, str]:
    return create_webhook(company.admin)


def _post(hook: tuple[HrWebhook, str], event: Any, *, at: float | None = None, secret: str | None = None):  # type: ignore[no-untyped-def]
    webhook, key = hook
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    timestamp = str(int(at if at is not None else time.time()))
    return Client().post(
        f"/hooks/hr/{webhook.pk}/",
        body,
        content_type="application/json",
        HTTP_X_HARBOUR_TIMESTAMP=timestamp,
        HTTP_X_HARBOUR_SIGNATURE=signature(secret or key, timestamp, body),
    )


def _hire(event_id: str = "evt-1") -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "hire",
        "employee": {
            "employee_number": "W-1",
            "email": "hooked@acme.com.hk",
            "name": "Hooked In",
            "department": "Finance",
        },
    }


def test_hire_leave_and_rehire(company: Company, hook) -> None:  # type: ignore[no-untyped-def]
    response = _post(hook, _hire())
    assert response.status_code == 200, response.content
    member = Member.objects.for_tenant(company.tenant).get(email="hooked@acme.com.hk")
    assert member.state == MemberState.INVITED and member.employee_number == "W-1"
    assert SyncRun.objects.for_tenant(company.tenant).get().source == SyncRun.Source.WEBHOOK
    member.state = MemberState.ACTIVE
    member.save(update_fields=["state"])

    started = time.perf_counter()
    left = _post(
        hook, {"id": "evt-2", "type": "leave", "employee": {"employee_number": "W-1", "name": "Hooked In"}}
    )
    assert left.status_code == 200 and time.perf_counter() - started < 5
    member.refresh_from_db()
    assert member.state == MemberState.SUSPENDED  # frozen within the request

    back = _post(hook, {"id": "evt-3", "type": "rehire", "employee": {"employee_number": "W-1"}})
    assert back.status_code == 200
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE


@pytest.mark.parametrize(
    ("how", "status"),
    [
        ("wrong secret", 403),
        ("stale", 403),
        ("replay", 409),
        ("not json", 422),
        ("bad type", 422),
        ("outside domain", 422),
    ],
)
def test_refusals_change_nothing(company: Company, hook, how: str, status: int) -> None:  # type: ignore[no-untyped-def]
    before = Member.objects.for_tenant(company.tenant).count()
    if how == "wrong secret":
        response = _post(hook, _hire(), secret="not-the-secret")
    elif how == "stale":
        response = _post(hook, _hire(), at=time.time() - 600)
    elif how == "replay":
        assert _post(hook, _hire("evt-r")).status_code == 200
        before = Member.objects.for_tenant(company.tenant).count()
        response = _post(hook, _hire("evt-r"))
    elif how == "not json":
        response = _post(hook, b"{not json")
    elif how == "bad type":
        response = _post(hook, {**_hire(), "type": "promote"})
    else:
        event = _hire()
        event["employee"]["email"] = "someone@gmail.com"
        response = _post(hook, event)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert Member.objects.for_tenant(company.tenant).count() == before


def test_an_unknown_or_disabled_webhook_is_not_found(company: Company, hook) -> None:  # type: ignore[no-untyped-def]
    webhook, _key = hook
    HrWebhook.objects.for_tenant(company.tenant).filter(pk=webhook.pk).update(enabled=False)
    assert _post(hook, _hire()).status_code == 404
    assert Client().get(f"/hooks/hr/{webhook.pk}/").status_code == 405


def test_the_cli_creates_and_rotates(company: Company, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["webhook", "create", "--tenant", "acme"]) == 0
    out = capsys.readouterr().out
    webhook = HrWebhook.objects.for_tenant(company.tenant).get()
    assert f"/hooks/hr/{webhook.pk}/" in out and webhook.secret in out
    assert main(["webhook", "rotate", str(webhook.pk), "--tenant", "acme"]) == 0
    webhook.refresh_from_db()
    assert webhook.secret in capsys.readouterr().out
