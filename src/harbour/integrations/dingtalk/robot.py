"""The group robot's outbox: alerts are queued, then sent oldest first by a job that never lets more than 20
through in any 60 seconds per connection (DingTalk's limit; crossing it mutes the robot for 10 minutes).

A newly opened security incident and a sent announcement each queue one Markdown message when the
connection's ``robot_topics`` ask for them. The message says only what the group may see: the reference or
title, the severity, and a link to the Harbour page (which checks who opens it).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from harbour.audit.actions import record
from harbour.core.databases import database_for, tenant_transaction
from harbour.core.permissions import SystemActor
from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.integrations.dingtalk.client.errors import RobotError, RobotThrottled
from harbour.integrations.dingtalk.models import Connection, RobotMessage

logger = logging.getLogger(__name__)

PER_MINUTE = 20  # DingTalk: 20 messages a minute per robot …
WINDOW = dt.timedelta(seconds=60)
PENALTY = dt.timedelta(minutes=10)  # … and a robot that exceeds it is muted for 10 minutes
MAX_ATTEMPTS = 4
BACKOFF = dt.timedelta(minutes=1)  # doubled after each failed attempt
MARKDOWN_SPECIALS = "\\`*_[]()#>!|"


def robot_actor(tenant_id: uuid.UUID) -> SystemActor:
    return SystemActor(tenant_id, "DingTalk robot")


def plain(text: str) -> str:
    """Text shown literally in DingTalk's Markdown (a title cannot add links or headings)."""
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in " ".join(str(text).split()))


def harbour_link(path: str) -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}{path}"


# ------------------------------------------------------------------------------------------------ queue
def queue_message(
    connection: Connection, topic: str, subject_id: uuid.UUID | None, title: str, text: str
) -> RobotMessage | None:
    """Queue one message (once per topic and subject) and ask for a delivery after the commit. Nothing is
    queued while no robot is set up."""
    if not connection.robot_token:
        return None
    messages = RobotMessage.objects.for_tenant(connection.tenant_id)
    if subject_id is not None:
        existing = messages.filter(topic=topic, subject_id=subject_id).first()
        if existing is not None:
            return existing
    message = messages.create(
        tenant_id=connection.tenant_id,
        connection=connection,
        topic=topic,
        subject_id=subject_id,
        title=title[:200],
        text=text,
        msg_uuid=uuid.uuid4().hex,
    )
    tenant_id, connection_id = str(connection.tenant_id), str(connection.pk)
    transaction.on_commit(
        lambda: deliver_robot_messages_task.enqueue(tenant_id=tenant_id, connection_id=connection_id),
        using=database_for(connection.tenant_id),
    )
    return message


# ------------------------------------------------------------------------------------------------ delivery
def _due(connection: Connection, at: dt.datetime) -> Any:
    return (
        RobotMessage.objects.for_tenant(connection.tenant_id)
        .filter(connection=connection, state=RobotMessage.State.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=at))
        .order_by("created_at", "id")
    )


def sent_recently(connection: Connection, at: dt.datetime) -> int:
    """Messages this robot sent in the 60 seconds before ``at``: the window DingTalk counts."""
    return (
        RobotMessage.objects.for_tenant(connection.tenant_id)
        .filter(connection=connection, state=RobotMessage.State.SENT, sent_at__gt=at - WINDOW)
        .count()
    )


def _body(message: RobotMessage) -> dict[str, Any]:
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": message.text},
        "msgUuid": message.msg_uuid,
    }


def _finish(outgoing: RobotMessage, /, **changes: Any) -> None:
    """Write one message's outcome in its own transaction (audited when sent), so a crash between two sends
    never makes the first one go again (and ``msgUuid`` dedupes a resend on DingTalk's side anyway)."""
    with tenant_transaction(outgoing.tenant_id):
        for name, value in changes.items():
            setattr(outgoing, name, value)
        outgoing.save(update_fields=[*changes, "updated_at"])
        if outgoing.state == RobotMessage.State.SENT:
            record(
                robot_actor(outgoing.tenant_id),
                "dingtalk.robot_message_sent",
                target=outgoing,
                after=outgoing.snapshot(),
            )


def _hold_back(connection: Connection, until: dt.datetime) -> None:
    """DingTalk muted the robot: nothing of this connection goes before the penalty ends."""
    RobotMessage.objects.for_tenant(connection.tenant_id).filter(
        connection=connection, state=RobotMessage.State.QUEUED
    ).update(not_before=until, updated_at=now())


def deliver_messages(connection: Connection, *, at: dt.datetime | None = None) -> int:
    """Send what is due, oldest first, within the robot's limit; returns how many were sent."""
    from harbour.integrations.dingtalk.client.robot import RobotSender

    at = at or now()
    if not connection.robot_token:
        for message in _due(connection, at):
            _finish(
                message, state=RobotMessage.State.FAILED, error_code="no_robot", message=_("no robot set up")
            )
        return 0
    room = PER_MINUTE - sent_recently(connection, at)
    if room <= 0:
        return 0
    sender = RobotSender(
        connection.robot_token, connection.robot_secret, oapi_base_url=connection.oapi_base_url
    )
    sent = 0
    for message in list(_due(connection, at)[:room]):
        attempts = message.attempts + 1
        try:
            sender.send(_body(message))
        except RobotThrottled as exc:
            _finish(message, attempts=attempts, error_code=exc.code, message=str(exc.explanation)[:500])
            _hold_back(connection, now() + PENALTY)
            break
        except RobotError as exc:
            if attempts >= MAX_ATTEMPTS:
                _finish(
                    message,
                    attempts=attempts,
                    state=RobotMessage.State.FAILED,
                    error_code=exc.code,
                    message=f"{exc.explanation} {exc.message}".strip()[:500],
                )
            else:
                _finish(
                    message,
                    attempts=attempts,
                    error_code=exc.code,
                    message=str(exc.explanation)[:500],
                    not_before=now() + BACKOFF * 2 ** (attempts - 1),
                )
            continue
        _finish(
            message,
            attempts=attempts,
            state=RobotMessage.State.SENT,
            sent_at=now(),
            error_code="",
            message="",
        )
        sent += 1
    return sent


@task()
def deliver_robot_messages_task(tenant_id: str, connection_id: str) -> dict[str, Any]:
    """Send one connection's queued messages now (queued after each new message's commit)."""
    connection = Connection.objects.for_tenant(uuid.UUID(tenant_id)).filter(pk=connection_id).first()
    if connection is None:
        return {"sent": 0}
    return {"sent": deliver_messages(connection)}


@task(queue_name="maintenance")
def deliver_due_robot_messages_task() -> dict[str, Any]:
    """Every minute: messages held back by the limit, a penalty or a retry go out once they are due."""
    at = now()
    due = Q(state=RobotMessage.State.QUEUED) & (Q(not_before__isnull=True) | Q(not_before__lte=at))
    waiting = home_rows(
        row
        for qs in RobotMessage.objects.in_every_database()
        for row in qs.filter(due).only("tenant_id", "connection_id")
    )
    pairs = sorted({(row.tenant_id, row.connection_id) for row in waiting}, key=str)
    sent = 0
    for tenant_id, connection_id in pairs:
        connection = Connection.objects.for_tenant(tenant_id).filter(pk=connection_id).first()
        if connection is not None:
            sent += deliver_messages(connection, at=at)
    return {"connections": len(pairs), "sent": sent}


# ------------------------------------------------------------------------------------------------ hooks
def _robot_for(tenant_id: uuid.UUID, topic: str) -> Connection | None:
    connection = Connection.objects.for_tenant(tenant_id).first()
    if connection is None or not connection.robot_token or topic not in connection.robot_topics:
        return None
    return connection


def _queue_safely(tenant_id: uuid.UUID, topic: str, subject_id: uuid.UUID, compose: Any) -> None:
    """Queue in a savepoint of the caller's transaction: a fault here is logged and never undoes the
    incident or the announcement."""
    try:
        connection = _robot_for(tenant_id, topic)
        if connection is None:
            return
        title, text = compose()
        with transaction.atomic(using=database_for(tenant_id)):
            queue_message(connection, topic, subject_id, title, text)
    except Exception:
        logger.exception("DingTalk robot message for %s %s not queued", topic, subject_id)


def incident_message(incident: Any) -> tuple[str, str]:
    """Reference, severity and a link; the title only when the incident is not about one person (titles of
    those name them)."""
    what = incident.get_kind_display() if incident.subject_id else incident.title
    title = _("Security incident %(reference)s") % {"reference": incident.reference}
    link = harbour_link(reverse("incidents:detail", args=[incident.pk]))
    text = "\n\n".join(
        [
            f"### {plain(title)}",
            f"**{_('Severity')}:** {plain(incident.get_severity_display())}",
            f"**{_('What')}:** {plain(what)}",
            f"[{_('Open it in Harbour')}]({link})",
        ]
    )
    return title, text


def announcement_message(announcement: Any) -> tuple[str, str]:
    title = _("Announcement: %(title)s") % {"title": announcement.title}
    link = harbour_link(reverse("announcements:read", args=[announcement.pk]))
    lines = [f"### {plain(announcement.title)}"]
    if announcement.title_zh:
        lines.append(plain(announcement.title_zh))
    if announcement.effective_date:
        lines.append(f"**{_('Effective')}:** {announcement.effective_date:%Y-%m-%d}")
    lines.append(f"[{_('Read it in Harbour')}]({link})")
    return title, "\n\n".join(lines)


def _incident_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        _queue_safely(instance.tenant_id, "incident", instance.pk, lambda: incident_message(instance))


def _announcement_saved(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    from harbour.announcements.models import Announcement

    if instance.state != Announcement.State.SENT:
        return
    if created or update_fields is None or "state" in update_fields:
        _queue_safely(instance.tenant_id, "announcement", instance.pk, lambda: announcement_message(instance))


def connect_hooks() -> None:
    """Listen to the incident register and to announcements (they do not know this app exists)."""
    from harbour.announcements.models import Announcement
    from harbour.security.models import Incident

    post_save.connect(_incident_saved, sender=Incident, dispatch_uid="dingtalk_robot_incident")
    post_save.connect(_announcement_saved, sender=Announcement, dispatch_uid="dingtalk_robot_announcement")
