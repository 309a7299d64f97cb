"""The group robot's outbox against the emulator: messages go out oldest first, never more than 20 in 60
seconds; a muted robot waits 10 minutes; other refusals are retried, then failed with DingTalk's code;
incidents and announcements queue one message each when the group asked for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from harbour.audit.models import AuditEvent
from harbour.core.time import now
from harbour.integrations.dingtalk import robot
from harbour.integrations.dingtalk.actions import connection as actions
from harbour.integrations.dingtalk.models import Connection, RobotMessage
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db

TOKEN, SECRET = "robottoken", "SECrobotsecret"


def _with_robot(
    company: Company, emulator: Emulator, *, secret: str = SECRET, topics: tuple[str, ...] = ()
) -> Connection:
    assert company.admin is not None
    connection = actions.connect(
        company.admin,
        app_key="dingappkey",
        app_secret="s",
        oapi_base_url=emulator.url,
        api_base_url=emulator.url,
    )
    return actions.set_robot(company.admin, connection, token=TOKEN, secret=secret, topics=list(topics))


def _queue(connection: Connection, n: int) -> None:
    for i in range(n):
        robot.queue_message(connection, "test", None, f"Message {i}", f"Harbour message {i}")


def _states(company: Company) -> dict[str, int]:
    found: dict[str, int] = {}
    for state in RobotMessage.objects.for_tenant(company.tenant).values_list("state", flat=True):
        found[state] = found.get(state, 0) + 1
    return found


def test_a_test_message_reaches_the_group_signed_and_is_logged(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    assert company.admin is not None
    connection = _with_robot(company, dingtalk_emulator)
    message = actions.send_test_message(company.admin, connection)
    assert robot.deliver_messages(connection) == 1
    sent = dingtalk_emulator.robot_messages
    assert len(sent) == 1 and sent[0]["msgtype"] == "markdown"
    assert sent[0]["msgUuid"] == message.msg_uuid
    assert _states(company) == {"sent": 1}
    assert (
        AuditEvent.objects.for_tenant(company.tenant).filter(kind="dingtalk.robot_message_sent").count() == 1
    )


def test_never_more_than_twenty_in_sixty_seconds(
    company: Company, make_dingtalk_emulator: Callable[..., Emulator]
) -> None:
    emulator = make_dingtalk_emulator(robot_per_minute=1000)
    connection = _with_robot(company, emulator)
    _queue(connection, 25)
    assert robot.deliver_messages(connection) == 20
    assert robot.deliver_messages(connection) == 0  # the window is full
    assert [m["markdown"]["title"] for m in emulator.robot_messages] == [f"Message {i}" for i in range(20)]
    assert robot.deliver_messages(connection, at=now() + dt.timedelta(seconds=61)) == 5
    assert _states(company) == {"sent": 25}


def test_a_muted_robot_waits_ten_minutes(
    company: Company, make_dingtalk_emulator: Callable[..., Emulator]
) -> None:
    emulator = make_dingtalk_emulator(robot_per_minute=2)
    connection = _with_robot(company, emulator)
    _queue(connection, 4)
    assert robot.deliver_messages(connection) == 2
    waiting = RobotMessage.objects.for_tenant(company.tenant).filter(state="queued")
    assert waiting.count() == 2
    assert all(m.not_before and m.not_before > now() + dt.timedelta(minutes=9) for m in waiting)
    assert {m.error_code for m in waiting} & {"410100", "660026"}  # DingTalk's "too fast" codes
    assert robot.deliver_messages(connection, at=now() + dt.timedelta(minutes=1)) == 0


def test_other_refusals_are_retried_then_failed_with_the_code(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    connection = _with_robot(company, dingtalk_emulator, secret="SECwrongsecret")
    _queue(connection, 1)
    at = now()
    for _attempt in range(robot.MAX_ATTEMPTS):
        robot.deliver_messages(connection, at=at)
        at += dt.timedelta(hours=1)
    message = RobotMessage.objects.for_tenant(company.tenant).get()
    assert (message.state, message.error_code, message.attempts) == ("failed", "310000", robot.MAX_ATTEMPTS)
    assert dingtalk_emulator.robot_messages == []


def test_an_opened_incident_queues_one_message_without_the_persons_name(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    from harbour.security import incidents

    assert company.member is not None
    _with_robot(company, dingtalk_emulator, topics=("incident",))
    opened = incidents.open_incident(
        company.system,
        kind="other",
        severity="high",
        title=f"Strange sign-ins of {company.member.name}",
        subject=company.member,
    )
    message = RobotMessage.objects.for_tenant(company.tenant).get()
    assert message.topic == "incident" and message.subject_id == opened.pk
    assert opened.reference in message.text and f"/security/incidents/{opened.pk}/" in message.text
    assert company.member.name not in message.text
    incidents.add_note(company.system, opened, "looked at it")
    assert RobotMessage.objects.for_tenant(company.tenant).count() == 1


def test_a_sent_announcement_queues_a_message_only_when_the_group_asked(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    from harbour.announcements import actions as announcements

    assert company.admin is not None
    connection = _with_robot(company, dingtalk_emulator, topics=("incident",))
    values = {
        "title": "New VPN from Monday",
        "background_en": "We change the VPN.",
        "effective_date": (now() + dt.timedelta(days=3)).date(),
        "consequences_en": "Install the new client.",
        "it_contact_en": "it@acme.com.hk",
        "title_zh": "新 VPN",
        "background_zh": "我們更換 VPN。",
        "consequences_zh": "請安裝新客戶端。",
        "it_contact_zh": "it@acme.com.hk",
    }
    first = announcements.create_announcement(company.admin, **values)
    announcements.send_announcement(company.admin, first)
    assert not RobotMessage.objects.for_tenant(company.tenant).exists()

    actions.set_robot(company.admin, connection, token=TOKEN, secret="", topics=["announcement"])
    second = announcements.create_announcement(company.admin, **{**values, "title": "Printer moves"})
    announcements.send_announcement(company.admin, second)
    message = RobotMessage.objects.for_tenant(company.tenant).get()
    assert message.topic == "announcement" and "Printer moves" in message.text


def test_robot_settings_are_checked(company: Company, dingtalk_emulator: Emulator) -> None:
    from harbour.core.errors import Invalid

    assert company.admin is not None
    connection = _with_robot(company, dingtalk_emulator)
    for token, secret, topics, field in [
        ("bad token!", SECRET, [], "token"),
        (TOKEN, "notsigned", [], "secret"),
        (TOKEN, SECRET, ["weather"], "topics"),
    ]:
        with pytest.raises(Invalid) as refused:
            actions.set_robot(company.admin, connection, token=token, secret=secret, topics=topics)
        assert refused.value.field == field
    pasted = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
    assert (
        actions.set_robot(company.admin, connection, token=pasted, secret="", topics=[]).robot_token == TOKEN
    )
    removed = actions.set_robot(company.admin, connection, token="", secret="", topics=[])
    assert (removed.robot_token, removed.robot_secret) == ("", "")
